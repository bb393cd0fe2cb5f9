// The scaling decision (CPA §5.1–5.4) as a chain of small pure steps, each adding a reason code.
import type { ReasonCode } from '../logger/events.ts';
import type { Decision } from './types.ts';
import { stabilize, type Recommendation } from './stabilize.ts';

/** Everything the decision depends on. */
export interface DecisionInput {
  evaluation: number;
  current: number;
  minReplicas: number;
  maxReplicas: number;
  downscaleStabilizationSec: number;
  history: readonly Recommendation[];
  nowMs: number;
}

/** Clamps the evaluation into [min, max]; with min > max, CPA's order of checks is kept (min wins below). */
export function clamp(
  evaluation: number,
  min: number,
  max: number,
): { replicas: number; reason?: ReasonCode } {
  if (evaluation < min) return { replicas: min, reason: 'ClampedToMin' };
  if (evaluation > max) return { replicas: max, reason: 'ClampedToMax' };
  return { replicas: evaluation };
}

/** Zero replicas with a non-zero minimum is how a user switches autoscaling off for a workload. */
export function isDisabled(current: number, minReplicas: number): boolean {
  return current === 0 && minReplicas !== 0;
}

/**
 * Decides the final replica count. Returns the decision and the stabilisation history to keep; a disabled
 * target leaves the history untouched, as in CPA.
 */
export function decide(input: DecisionInput): { decision: Decision; history: Recommendation[] } {
  const { evaluation, current } = input;
  const clamped = clamp(evaluation, input.minReplicas, input.maxReplicas);
  const reasons: ReasonCode[] = clamped.reason ? [clamped.reason] : [];
  if (isDisabled(current, input.minReplicas)) {
    const decision: Decision = {
      current,
      evaluation,
      clamped: clamped.replicas,
      target: current,
      reasons: ['AutoscalingDisabled'],
      action: 'disabled',
    };
    return { decision, history: [...input.history] };
  }
  const stable = stabilize(input.history, clamped.replicas, input.nowMs, input.downscaleStabilizationSec);
  if (stable.replicas > clamped.replicas) reasons.push('ScaleDownStabilized');
  const changed = stable.replicas !== current;
  reasons.push(changed ? 'Scaled' : 'NoChange');
  const decision: Decision = {
    current,
    evaluation,
    clamped: clamped.replicas,
    target: stable.replicas,
    reasons,
    action: changed ? 'scale' : 'none',
  };
  return { decision, history: stable.history };
}

/** Re-decides against a fresh current count after a 409, without recording the evaluation twice. */
export function redecide(decision: Decision, current: number, minReplicas: number): Decision {
  if (isDisabled(current, minReplicas)) {
    return { ...decision, current, target: current, reasons: ['AutoscalingDisabled'], action: 'disabled' };
  }
  const reasons: ReasonCode[] = decision.reasons.filter((r) => r !== 'Scaled' && r !== 'NoChange');
  const changed = decision.target !== current;
  reasons.push(changed ? 'Scaled' : 'NoChange');
  return { ...decision, current, reasons, action: changed ? 'scale' : 'none' };
}
