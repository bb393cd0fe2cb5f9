// Event aggregation, as Kubernetes' event recorder does it: a repeat of the same Event bumps `count` and
// `lastTimestamp` of the one already written; many different messages for one reason within ten minutes
// collapse into a single "(combined from similar events)" Event. Pure: time comes in as `nowMs`.
import type { EventSpec } from './reasons.ts';

/** What to do for one Event: create a new object, or update the count of an existing one. */
export interface PlannedEvent {
  action: 'create' | 'update';
  /** Cache key; pass it to `forget` when the update finds the Event gone (expired, deleted). */
  key: string;
  name: string;
  count: number;
  message: string;
  /** RFC 3339, seconds precision (metav1.Time). */
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface CorrelatorOptions {
  maxEntries: number;
  similarWindowMs: number;
  /** Distinct messages per reason within the window before they are combined. */
  similarLimit: number;
}

const DEFAULTS: CorrelatorOptions = { maxEntries: 256, similarWindowMs: 10 * 60_000, similarLimit: 10 };

interface Entry {
  name: string;
  count: number;
  firstTimestamp: string;
}

/** metav1.Time has second precision. */
export function eventTime(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Correlates the Events of one involved object. */
export class EventCorrelator {
  readonly #object: string;
  readonly #options: CorrelatorOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #distinct = new Map<string, number[]>();
  #seq = 0;

  constructor(objectName: string, options: Partial<CorrelatorOptions> = {}) {
    this.#object = objectName;
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Plans the write for `spec` at `nowMs` and remembers it as written. */
  plan(spec: EventSpec, nowMs: number): PlannedEvent {
    const exactKey = `${spec.type}\u0000${spec.reason}\u0000${spec.message}`;
    if (this.#entries.has(exactKey)) return this.#bump(exactKey, spec.message, nowMs);
    const similarKey = `${spec.type}\u0000${spec.reason}`;
    const recent = (this.#distinct.get(similarKey) ?? []).filter(
      (t) => nowMs - t < this.#options.similarWindowMs,
    );
    if (recent.length >= this.#options.similarLimit) {
      this.#distinct.set(similarKey, recent);
      const combinedKey = `${similarKey}\u0000(combined)`;
      const message = `(combined from similar events): ${spec.message}`;
      if (this.#entries.has(combinedKey)) return this.#bump(combinedKey, message, nowMs);
      return this.#create(combinedKey, message, nowMs);
    }
    recent.push(nowMs);
    this.#distinct.set(similarKey, recent);
    return this.#create(exactKey, spec.message, nowMs);
  }

  /** Drops a key whose Event could not be updated, so that the next plan creates a fresh one. */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  #bump(key: string, message: string, nowMs: number): PlannedEvent {
    const entry = this.#entries.get(key) as Entry;
    entry.count++;
    this.#touch(key, entry);
    return { action: 'update', key, message, lastTimestamp: eventTime(nowMs), ...entry };
  }

  #create(key: string, message: string, nowMs: number): PlannedEvent {
    // client-go names Events `<object>.<unix nanoseconds in hex>`; the sequence keeps same-millisecond names apart.
    this.#seq = (this.#seq + 1) % 1_000_000;
    const nanos = BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(this.#seq);
    const entry: Entry = {
      name: `${this.#object}.${nanos.toString(16)}`,
      count: 1,
      firstTimestamp: eventTime(nowMs),
    };
    this.#touch(key, entry);
    return { action: 'create', key, message, lastTimestamp: entry.firstTimestamp, ...entry };
  }

  /** Least recently used entries go first when the cache is full. */
  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
