// The autoscaling loop (CPA §3.1–3.2): wait for the startTime boundary, then tick at a fixed rate anchored
// to it. Cycles never overlap; a cycle longer than the interval makes the next one start at once and the
// missed ticks collapse into that one, like Go's ticker. REST API cycles share the loop's turn through
// CycleLock, which lets a tick go first so that requests can never starve the loop.
import type { Clock } from '../ports.ts';

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
  /**
   * Extra wait before the first start delay: a process running many autoscalers spreads those without
   * startTime alignment over their interval, so that their ticks do not all fall on the same instant.
   */
  phaseMs?: number;
  /** Told how late each tick started against its schedule (ms): the density bench and /metrics read it. */
  onTick?: (lateMs: number) => void;
}

/** Runs until `signal` aborts. The first cycle runs one interval after the aligned start, as in CPA. */
export async function runLoop(options: LoopOptions): Promise<void> {
  const { clock, intervalMs, signal } = options;
  if ((options.phaseMs ?? 0) > 0) await clock.sleep(options.phaseMs ?? 0, signal);
  if (signal.aborted) return;
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
    options.onTick?.(clock.nowMs() - (anchorMs + index * intervalMs));
    await options.tick();
    index = nextTickIndex(index, anchorMs, clock.nowMs(), intervalMs);
  }
}

/** Who asks for a cycle: the loop's own tick, or a REST API request. */
type CycleTurn = 'tick' | 'request';

/** Why a cycle that was still waiting never ran: its caller aborted. */
export class CycleCancelledError extends Error {
  constructor() {
    super('failed to run the cycle: cancelled while waiting for its turn');
    this.name = 'CycleCancelledError';
  }
}

/**
 * Runs cycles one at a time, so the loop and REST API requests never overlap. A waiting tick goes before
 * every waiting request: however many requests queue, the loop waits for at most the one cycle running.
 */
export class CycleLock {
  #busy = false;
  readonly #ticks: (() => void)[] = [];
  readonly #requests: (() => void)[] = [];

  /** Runs `fn` when its turn comes; rejects with CycleCancelledError if `signal` aborts before that. */
  async run<R>(turn: CycleTurn, fn: () => Promise<R>, signal?: AbortSignal): Promise<R> {
    await this.#acquire(turn === 'tick' ? this.#ticks : this.#requests, signal);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(queue: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CycleCancelledError());
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        queue.splice(queue.indexOf(grant), 1);
        reject(new CycleCancelledError());
      };
      signal?.addEventListener('abort', leave, { once: true });
      queue.push(grant);
    });
  }

  #release(): void {
    // The lock passes straight to the next in line, so nobody can slip in between.
    const next = this.#ticks.shift() ?? this.#requests.shift();
    if (next === undefined) this.#busy = false;
    else next();
  }
}
