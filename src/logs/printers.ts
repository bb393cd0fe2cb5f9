// The two LogSinks of `kubectl cpa logs`: raw lines, and per-cycle decisions. stdout gets the data,
// stderr the notes (pods coming and going, hints).
import type { Clock, Output } from '../ports.ts';
import { classify } from './classify.ts';
import { CycleReducer, type Cycle } from './cycles.ts';
import { EntryGrouper, type LogEntry } from './entries.ts';
import type { LogSink } from './follow.ts';
import { podColor, podPrefix, renderDecision, renderLine, verbosityHint, type LineStyle } from './render.ts';

export interface PrinterOptions {
  out: Output;
  err: Output;
  /** Keep kubelet stamps in raw lines (`--timestamps`). */
  timestamps: boolean;
  /** Colour pod prefixes (TTY and no NO_COLOR). */
  color: boolean;
}

/** Styles per pod: a prefix once more than one pod has been shown at a time, a colour per pod. */
class Styles {
  readonly #timestamps: boolean;
  readonly #color: boolean;
  readonly #containers = new Map<string, string>();
  readonly #order: string[] = [];
  #multi = false;

  constructor(timestamps: boolean, color: boolean) {
    this.#timestamps = timestamps;
    this.#color = color;
  }

  update(list: { name: string; container: string }[]): void {
    this.#multi ||= list.length > 1;
    for (const { name, container } of list) {
      this.#containers.set(name, container);
      if (!this.#order.includes(name)) this.#order.push(name);
    }
  }

  of(pod: string): LineStyle {
    if (!this.#multi) return { timestamps: this.#timestamps };
    const prefix = podPrefix(pod, this.#containers.get(pod) ?? '');
    const index = this.#order.indexOf(pod);
    return this.#color
      ? { timestamps: this.#timestamps, prefix, color: podColor(index) }
      : { timestamps: this.#timestamps, prefix };
  }
}

/** Prints each line as it comes. */
export function rawPrinter(opts: PrinterOptions): LogSink {
  const styles = new Styles(opts.timestamps, opts.color);
  return {
    pods: (list) => styles.update(list),
    line: (pod, raw) => opts.out.write(`${renderLine(raw, styles.of(pod))}\n`),
    idle: () => {},
    end: () => {},
    note: (text) => opts.err.write(`${text}\n`),
  };
}

interface PodState {
  grouper: EntryGrouper;
  reducer: CycleReducer;
  /** Bumped on every chunk; an idle flush only runs if no chunk came after it was scheduled. */
  generation: number;
}

/**
 * Prints one line per cycle. A cycle is shown when the next one starts, when its pod's stream ends, or
 * when the stream has been quiet for `idleMs` after a decision (lines of one cycle arrive together).
 */
export function decisionPrinter(
  opts: PrinterOptions & { clock: Clock; signal: AbortSignal; idleMs: number },
): LogSink {
  return new DecisionPrinter(opts);
}

class DecisionPrinter implements LogSink {
  readonly #opts: PrinterOptions & { clock: Clock; signal: AbortSignal; idleMs: number };
  readonly #styles: Styles;
  readonly #states = new Map<string, PodState>();
  #verbosity: number | 'unknown' = 'unknown';
  #hinted = false;

  constructor(opts: PrinterOptions & { clock: Clock; signal: AbortSignal; idleMs: number }) {
    this.#opts = opts;
    this.#styles = new Styles(true, opts.color);
  }

  pods(list: { name: string; container: string }[]): void {
    this.#styles.update(list);
  }

  line(pod: string, raw: string): void {
    const s = this.#state(pod);
    this.#feed(pod, s, s.grouper.push(raw));
  }

  idle(pod: string): void {
    const s = this.#state(pod);
    const generation = ++s.generation;
    void this.#opts.clock.sleep(this.#opts.idleMs, this.#opts.signal).then(() => {
      if (s.generation === generation && this.#states.get(pod) === s) this.#flush(pod, s, false);
    });
  }

  end(pod: string): void {
    this.#flush(pod, this.#state(pod), true);
    this.#states.delete(pod);
  }

  note(text: string): void {
    this.#opts.err.write(`${text}\n`);
  }

  #state(pod: string): PodState {
    let s = this.#states.get(pod);
    if (s === undefined) {
      s = { grouper: new EntryGrouper(true), reducer: new CycleReducer(), generation: 0 };
      this.#states.set(pod, s);
    }
    return s;
  }

  #feed(pod: string, s: PodState, entries: LogEntry[]): void {
    for (const entry of entries) {
      const c = classify(entry);
      if (c.v !== undefined && (this.#verbosity === 'unknown' || c.v > this.#verbosity))
        this.#verbosity = c.v;
      this.#print(pod, s.reducer.push(c));
    }
  }

  /** Shows the entry held for continuation lines, and the cycle if it is decided (or `all`). */
  #flush(pod: string, s: PodState, all: boolean): void {
    this.#feed(pod, s, s.grouper.flush());
    if (all || s.reducer.decided) this.#print(pod, s.reducer.flush());
  }

  #print(pod: string, cycles: Cycle[]): void {
    for (const cycle of cycles) {
      this.#opts.out.write(`${renderDecision(cycle, this.#styles.of(pod))}\n`);
      const hint = this.#hinted ? undefined : verbosityHint(cycle, this.#verbosity);
      if (hint !== undefined) this.#opts.err.write(`hint: ${hint}\n`);
      this.#hinted ||= hint !== undefined;
    }
  }
}
