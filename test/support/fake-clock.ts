// A virtual clock for loop and stabilisation tests: sleeping advances time instantly.
import type { Clock } from '../../src/ports.ts';

/** Clock whose sleep() moves time forward at once; `advance` simulates work that takes time. */
export class FakeClock implements Clock {
  now: number;
  readonly sleeps: number[] = [];
  constructor(startMs: number) {
    this.now = startMs;
  }
  nowMs(): number {
    return this.now;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return;
    this.now += Math.max(0, ms);
  }
  advance(ms: number): void {
    this.now += ms;
  }
}
