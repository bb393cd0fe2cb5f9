// Bytes → lines for log streams, and the ordering key of kubelet stamps (used to resume without repeats).

/** Splits a byte stream into lines; a line split across chunks (or inside a UTF-8 sequence) is joined. */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  #rest = '';

  /** Adds a chunk; returns the complete lines in it (without newlines). */
  push(chunk: Uint8Array): string[] {
    const text = this.#rest + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines;
  }

  /** The unterminated last line, if any. */
  end(): string[] {
    const last = this.#rest + this.#decoder.decode();
    this.#rest = '';
    return last === '' ? [] : [last];
  }
}

/**
 * A string that orders kubelet stamps by time. RFC3339Nano drops trailing zeros of the fraction
 * (`.31Z` vs `.3107Z`), so plain string comparison would not do; the fraction is padded to 9 digits.
 */
export function stampKey(stamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(stamp);
  if (m === null) return stamp;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}
