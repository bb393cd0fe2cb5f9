// Outside text made safe for a terminal. Annotations, CR fields, Events and pod logs are written by others;
// printed raw, their control characters would drive the terminal (clear it, move the cursor over earlier
// lines, set the title, answer back). kubectl escapes them since CVE-2021-25743 (kubernetes#101695); the
// human renderers of `status` and `logs --decisions` do the same. Pure.

/** C0 controls, DEL and C1 controls: what a terminal may act on instead of printing. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** kubectl's spellings for ESC and CR; the usual backslash escapes for newline and tab. */
const NAMED: Record<string, string> = { '\u001b': '^[', '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/**
 * `text` with every C0/C1 control character and DEL replaced by a visible spelling (`^[`, `\r`, `\n`,
 * `\t`, else `\xNN`), except those in `keep` (a renderer that lays out newlines itself keeps `\n`).
 * Readable, not reversible: a backslash in the text is left as it is, as kubectl leaves it.
 */
export function escapeTerminal(text: string, keep = ''): string {
  return text.replace(CONTROL, (c) => {
    if (keep.includes(c)) return c;
    return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A copy of plain data (JSON-like) with `f` applied to every string value; keys are left alone. */
export function mapStrings<T>(value: T, f: (text: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, f)) as T;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}
