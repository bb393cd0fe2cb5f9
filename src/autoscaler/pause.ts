// Pausing without destroying anything: two annotations on the target itself (KEDA's idea, our keys). The
// cycle reads them from the object it fetched anyway; while paused no hook runs. Pure.
import type { Decision } from './types.ts';

/** `"true"` holds the replicas where they are. */
export const PAUSED_ANNOTATION = 'kubectl-cpa.io/paused';
/** `"N"` scales to N and holds there (it pauses by itself, with or without the other key). */
export const PAUSED_REPLICAS_ANNOTATION = 'kubectl-cpa.io/paused-replicas';

/** What the annotations say. `problem` explains a paused-replicas value that is not a count (held instead). */
export type Pause = { paused: false } | { paused: true; replicas?: number; problem?: string };

/** Reads the pause annotations; an unreadable paused-replicas still pauses (holding), never scales. */
export function readPause(annotations: Readonly<Record<string, string>> | undefined): Pause {
  const raw = annotations?.[PAUSED_REPLICAS_ANNOTATION];
  if (raw !== undefined) {
    const text = raw.trim();
    if (/^\d{1,9}$/.test(text)) return { paused: true, replicas: Number(text) };
    const problem = `${PAUSED_REPLICAS_ANNOTATION} is ${JSON.stringify(raw)}, not a replica count; holding the current count`;
    return { paused: true, problem };
  }
  return annotations?.[PAUSED_ANNOTATION]?.trim().toLowerCase() === 'true'
    ? { paused: true }
    : { paused: false };
}

/** The decision while paused: hold `current`, or go to the paused replicas. No evaluation took place. */
export function pausedDecision(current: number, pause: Extract<Pause, { paused: true }>): Decision {
  const target = pause.replicas ?? current;
  const note =
    pause.problem ??
    (pause.replicas === undefined
      ? `${PAUSED_ANNOTATION}: "true"`
      : `${PAUSED_REPLICAS_ANNOTATION}: "${target}"`);
  const changed = target !== current;
  return {
    current,
    // Nothing was evaluated; the recorded evaluation is the count the pause asks for.
    evaluation: target,
    clamped: target,
    target,
    reasons: ['Paused', changed ? 'Scaled' : 'NoChange'],
    action: changed ? 'scale' : 'none',
    chain: [
      { step: 'pause', input: current, output: target, reason: 'Paused', note },
      { step: 'final', input: current, output: target, reason: changed ? 'Scaled' : 'NoChange' },
    ],
  };
}

/**
 * The `metadata.annotations` merge patch of `kubectl cpa pause` (`replicas` given: scale to it and hold) and
 * `resume` (`null`: both keys removed). Setting one key removes the other, so no stale value lingers.
 */
export function pausePatch(pause: { replicas?: number } | null): Record<string, string | null> {
  if (pause === null) return { [PAUSED_ANNOTATION]: null, [PAUSED_REPLICAS_ANNOTATION]: null };
  return {
    [PAUSED_ANNOTATION]: 'true',
    [PAUSED_REPLICAS_ANNOTATION]: pause.replicas === undefined ? null : String(pause.replicas),
  };
}
