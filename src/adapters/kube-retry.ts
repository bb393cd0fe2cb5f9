// When the JSON transport sends a call again: a throttled call (429, or 5xx with Retry-After) after the wait
// the server asks for, a few times, within the call's timeout; and waits that a shutdown can end at once.

/** The longest Retry-After waited for; a server asking for more gets its failure reported at once. */
export const MAX_RETRY_AFTER_MS = 5_000;

/** Retries of one call after answers with Retry-After (client-go allows 10; our calls are per cycle). */
export const MAX_RETRIES = 3;

/**
 * Milliseconds a Retry-After value asks for: delta-seconds, or an HTTP-date measured from `serverNowMs`, the
 * answer's own Date header (so clock skew does not matter; NaN without one). Undefined when absent or bad.
 */
export function retryAfterMs(value: string | undefined, serverNowMs: number): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = /[a-z]/i.test(text) ? Date.parse(text) - serverNowMs : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at);
}

/** What retryWait reads of an answer: its status and the Retry-After and Date headers if any. */
export interface RetryHeaders {
  status: number;
  retryAfter: string | undefined;
  date: string | undefined;
}

/**
 * How long to wait before sending a call again, or undefined to report the answer as it is. Like client-go,
 * a 429 or a 5xx is retried only when it carries Retry-After (the API server's max-in-flight and priority
 * filters send it for requests they did not process); the wait must fit the cap and the call's time left.
 */
export function retryWait(answer: RetryHeaders, retries: number, leftMs: number): number | undefined {
  if (answer.status !== 429 && (answer.status < 500 || answer.status > 599)) return undefined;
  const waitMs = retryAfterMs(answer.retryAfter, Date.parse(answer.date ?? ''));
  if (waitMs === undefined || retries >= MAX_RETRIES) return undefined;
  return waitMs <= MAX_RETRY_AFTER_MS && waitMs < leftMs ? waitMs : undefined;
}

/** Waits between retries that cancel() can end at once (a shutdown must not sit out a Retry-After). */
export class Pauses {
  readonly #pending = new Map<NodeJS.Timeout, (err: Error) => void>();

  /** Resolves after `ms`, or rejects with cancel()'s error. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve();
      }, ms);
      this.#pending.set(timer, reject);
    });
  }

  /** Ends every pending pause with `err`. */
  cancel(err: Error): void {
    for (const [timer, reject] of this.#pending) {
      clearTimeout(timer);
      reject(err);
    }
    this.#pending.clear();
  }
}
