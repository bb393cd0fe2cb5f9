// The autoscaling loop (CPA §3.1–3.2): wait for the startTime boundary, then tick at a fixed rate anchored
// to it. Cycles never overlap; a cycle longer than the interval makes the next one start at once and the
// missed ticks collapse into that one, like Go's ticker.
import type { Clock } from '../deps.ts';

/** Milliseconds until the next multiple of `startTimeMs` since the epoch, in (0, startTimeMs]; 0 disables alignment. */
export function startDelayMs(nowMs: number, startTimeMs: number): number {
  if (startTimeMs <= 0) return 0;
  return startTimeMs - (nowMs % startTimeMs);
}

/** Which tick (counted from the anchor) runs next, given the tick that just ran and the time now. */
export function nextTickIndex(ranIndex: number, anchorMs: number, nowMs: number, intervalMs: number): number {
  const elapsedTicks = Math.floor((nowMs - anchorMs) / intervalMs);
  return Math.max(ranIndex + 1, elapsedTicks);
}

export interface LoopOptions {
  clock: Clock;
  intervalMs: number;
  startTimeMs: number;
  signal: AbortSignal;
  /** Runs one cycle; the loop awaits it before considering the next tick. */
  tick: () => Promise<void>;
  /** Called once when the loop starts ticking (after the start delay). */
  onStart?: (delayMs: number) => void;
}

/** Runs until `signal` aborts. The first cycle runs one interval after the aligned start, as in CPA. */
export async function runLoop(options: LoopOptions): Promise<void> {
  const { clock, intervalMs, signal } = options;
  const delay = startDelayMs(clock.nowMs(), options.startTimeMs);
  await clock.sleep(delay, signal);
  if (signal.aborted) return;
  options.onStart?.(delay);
  const anchorMs = clock.nowMs();
  let index = 1;
  while (!signal.aborted) {
    const waitMs = anchorMs + index * intervalMs - clock.nowMs();
    if (waitMs > 0) await clock.sleep(waitMs, signal);
    if (signal.aborted) return;
    await options.tick();
    index = nextTickIndex(index, anchorMs, clock.nowMs(), intervalMs);
  }
}

/** Serialises calls so that the loop and REST API requests never run cycles concurrently. */
export function serialize<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args: A) => {
    const run = tail.then(() => fn(...args));
    tail = run.catch(() => undefined);
    return run;
  };
}
