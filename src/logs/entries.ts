// Physical lines → log entries: a header line plus the header-less lines that continue it (Python
// tracebacks in `Shell command failed, stderr: …`, the `logStderr` dump, multi-line evaluator output).
import { parseLine, stampEvidence, type HeaderLine } from './line.ts';

/** One log entry; `message` holds the continuation lines too, joined with `\n`. */
export type LogEntry = HeaderLine;

/** Groups lines as they arrive; an entry is complete when the next header (or `flush`) comes. */
export class EntryGrouper {
  #stamps: boolean | undefined;
  #pending: LogEntry | undefined;

  /** `kubeletStamps`: true when the log was fetched with timestamps, undefined to detect it. */
  constructor(kubeletStamps?: boolean) {
    this.#stamps = kubeletStamps;
  }

  /** Adds one physical line (without its newline); returns the entries it completed. */
  push(raw: string): LogEntry[] {
    this.#stamps ??= stampEvidence(raw);
    const line = parseLine(raw, this.#stamps);
    if (line.kind === 'continuation') {
      if (this.#pending !== undefined) {
        this.#pending = { ...this.#pending, message: `${this.#pending.message}\n${line.text}` };
        return [];
      }
      // A log cut by --tail/--since may start inside an entry: keep the line, of no known format.
      const orphan: LogEntry = { kind: 'header', format: 'plain', severity: 'I', message: line.text };
      return [line.time === undefined ? orphan : { ...orphan, time: line.time }];
    }
    const done = this.flush();
    this.#pending = line;
    return done;
  }

  /** Returns the entry still waiting for continuation lines, if any. */
  flush(): LogEntry[] {
    const done = this.#pending;
    this.#pending = undefined;
    return done === undefined ? [] : [done];
  }

  /** True when an entry is waiting for possible continuation lines. */
  get pending(): boolean {
    return this.#pending !== undefined;
  }
}

/** Groups a whole log text into entries. */
export function groupEntries(text: string, kubeletStamps?: boolean): LogEntry[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const grouper = new EntryGrouper(kubeletStamps);
  const entries = lines.flatMap((line) => grouper.push(line));
  return [...entries, ...grouper.flush()];
}
