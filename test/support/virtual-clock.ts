// A clock whose sleeps wait until the test moves time on: several loops (two election candidates, a lease
// renewal racing its deadline) sleep side by side and wake in time order, as on a real clock but at once.
import { setImmediate as tick } from 'node:timers/promises';
import type { Clock } from '../../src/ports.ts';

interface Sleeper {
  atMs: number;
  wake: () => void;
}

/** Clock of virtual time: `runFor(ms)` wakes every sleeper due, in order, letting each run before the next. */
export class VirtualClock implements Clock {
  now: number;
  #sleepers: Sleeper[] = [];
  constructor(startMs: number) {
    this.now = startMs;
  }
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = { atMs: this.now + Math.max(0, ms), wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }
  /** Lets pending promise chains run (several event-loop turns: fake I/O resolves through a few). */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await tick();
  }
  /** Moves time forward by `ms`, waking sleepers as their time comes; `until` may end it early. */
  async runFor(ms: number, until: () => boolean = () => false): Promise<void> {
    const end = this.now + ms;
    await this.settle();
    while (!until()) {
      const next = this.#sleepers.reduce<Sleeper | undefined>(
        (a, s) => (a && a.atMs <= s.atMs ? a : s),
        undefined,
      );
      if (next === undefined || next.atMs > end) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.now = Math.max(this.now, next.atMs);
      next.wake();
      await this.settle();
    }
    if (!until()) this.now = Math.max(this.now, end);
  }
}
