// Downscale stabilisation (CPA §5.3): the target never drops below the highest value recorded within the
// window, so a brief dip in the metric does not shed replicas that are needed again a moment later.

/** One recorded (clamped) target. */
export interface Recommendation {
  atMs: number;
  replicas: number;
}

/** Result of stabilising one new recommendation. */
export interface Stabilized {
  replicas: number;
  /** The history to keep for the next cycle (entries older than the window dropped, the new one appended). */
  history: Recommendation[];
}

/**
 * Records `replicas` at `nowMs` and returns the maximum over the window. Entries strictly older than
 * `nowMs - windowSec` are dropped first, as CPA does; with a zero window only the new entry remains.
 */
export function stabilize(
  history: readonly Recommendation[],
  replicas: number,
  nowMs: number,
  windowSec: number,
): Stabilized {
  const cutoffMs = nowMs - windowSec * 1000;
  const kept = history.filter((entry) => entry.atMs >= cutoffMs);
  kept.push({ atMs: nowMs, replicas });
  const max = kept.reduce((best, entry) => Math.max(best, entry.replicas), replicas);
  return { replicas: max, history: kept };
}
