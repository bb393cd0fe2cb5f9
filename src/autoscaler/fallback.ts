// KEDA's `fallback`: when the user's logic keeps failing, the target goes to a known replica count instead of
// staying wherever it was. Pure; the cycle decides when it applies and the decision chain takes it from here.
import type { Fallback } from '../config/safety.ts';

/**
 * True once the failures in a row (this one included) exceed `failureThreshold`, as KEDA counts them:
 * with a threshold of 3 the fourth failed cycle in a row is the first to fall back.
 */
export function fallbackDue(fallback: Fallback, failuresInARow: number): boolean {
  return failuresInARow > fallback.failureThreshold;
}

/** The replica count the fallback asks for, given the current count (KEDA's four behaviours). */
export function fallbackReplicas(fallback: Fallback, current: number): number {
  switch (fallback.behavior) {
    case 'static':
      return fallback.replicas;
    case 'currentReplicas':
      return current;
    case 'currentReplicasIfHigher':
      return Math.max(current, fallback.replicas);
    case 'currentReplicasIfLower':
      return Math.min(current, fallback.replicas);
  }
}
