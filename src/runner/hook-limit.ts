// One bound on hook processes for the whole process (`--max-hooks`): with a thousand autoscalers in one
// process, a burst of ticks must not start a thousand interpreters at once. Calls wait in one FIFO queue,
// so no autoscaler can starve another: each waits at most for the calls queued before it. (runMany bounds
// shell hooks; wrapRequester is there for a caller that wants HTTP hooks inside a bound too.)
import type { HttpRequester, ProcessRunner } from '../ports.ts';

/** A counting semaphore with a FIFO queue; waiting ends early (without a slot) when the caller's signal aborts. */
export class HookLimit {
  readonly max: number;
  #running = 0;
  readonly #queue: (() => void)[] = [];
  /** Most calls ever running at once (the bench and tests read it). */
  peak = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`hook limit must be a positive integer, got ${max}`);
    this.max = max;
  }

  /** Calls running now. */
  get running(): number {
    return this.#running;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Runs `fn` in a slot; resolves `aborted()` without running it if `signal` aborts while it waits. */
  async run<T>(fn: () => Promise<T>, signal: AbortSignal | undefined, aborted: () => T): Promise<T> {
    if (!(await this.#acquire(signal))) return aborted();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  /** The process runner with every call inside the bound. */
  wrapRunner(runner: ProcessRunner): ProcessRunner {
    return (spec) =>
      this.run(
        () => runner(spec),
        spec.signal,
        () => ({ kind: 'aborted', durationMs: 0 }),
      );
  }

  /** The HTTP requester with every call inside the bound. */
  wrapRequester(request: HttpRequester): HttpRequester {
    return (spec) =>
      this.run(
        () => request(spec),
        spec.signal,
        () => ({ kind: 'aborted', durationMs: 0 }),
      );
  }

  #acquire(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.#running < this.max) {
      this.#take();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', leave);
        resolve(true);
      };
      const leave = (): void => {
        const at = this.#queue.indexOf(grant);
        if (at >= 0) this.#queue.splice(at, 1);
        resolve(false);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.#queue.push(grant);
    });
  }

  #take(): void {
    this.#running++;
    if (this.#running > this.peak) this.peak = this.#running;
  }

  #release(): void {
    // The slot passes straight to the longest waiter, so a newcomer can never overtake it.
    const next = this.#queue.shift();
    if (next === undefined) this.#running--;
    else {
      next();
    }
  }
}
