// The scaling decision (CPA §5.1–5.4) as a chain of small pure steps, each adding a reason code. With
// `behavior` set, the window and the rate limit follow HPA (behavior.ts); without it, CPA exactly.
import type { Behavior } from '../config/safety.ts';
import type { ReasonCode } from '../logger/events.ts';
import type { ChainStep, Decision } from './types.ts';
import { limitRate, stabilizeWithBehavior, type ScaleEvents } from './behavior.ts';
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
  /** HPA's behavior; absent: CPA's downscale window only. */
  behavior?: Behavior;
  /** This autoscaler's recent scale events (the rate limit counts them). */
  scaleEvents?: ScaleEvents;
  /** `fallback` when `evaluation` is the fallback's replica count, not the evaluator's. */
  source?: 'evaluation' | 'fallback';
}

/** What the window and policy steps hand on: the replicas, their reasons, chain steps and history. */
interface Stabilized {
  replicas: number;
  reasons: ReasonCode[];
  steps: ChainStep[];
  history: Recommendation[];
}

const EMPTY_EVENTS: ScaleEvents = { up: [], down: [] };

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

/** CPA's window: the highest recommendation within `downscaleStabilizationSec`, including the new one. */
function cpaWindow(input: DecisionInput, clamped: number): Stabilized {
  const stable = stabilize(input.history, clamped, input.nowMs, input.downscaleStabilizationSec);
  const reason: ReasonCode | undefined = stable.replicas > clamped ? 'ScaleDownStabilized' : undefined;
  const step: ChainStep = {
    step: 'stabilization',
    input: clamped,
    output: stable.replicas,
    note: `downscale window ${input.downscaleStabilizationSec}s`,
  };
  if (reason) step.reason = reason;
  return {
    replicas: stable.replicas,
    reasons: reason ? [reason] : [],
    steps: [step],
    history: stable.history,
  };
}

/** HPA's order: the window over recommendations first, then the rate limit over scale events. */
function hpaSteps(input: DecisionInput, behavior: Behavior, clamped: number): Stabilized {
  const { current, nowMs } = input;
  // A count outside [min, max] is corrected at once, before any window or policy (as the HPA controller).
  if (current > input.maxReplicas || current < input.minReplicas) {
    const note = `current ${current} outside [${input.minReplicas}, ${input.maxReplicas}]: window and policies skipped`;
    const steps: ChainStep[] = [{ step: 'stabilization', input: clamped, output: clamped, note }];
    return { replicas: clamped, reasons: [], steps, history: [...input.history] };
  }
  const stable = stabilizeWithBehavior(input.history, clamped, current, nowMs, behavior);
  const windows = `scale-up window ${behavior.scaleUp.stabilizationWindowSec}s, scale-down window ${behavior.scaleDown.stabilizationWindowSec}s`;
  const window: ChainStep = { step: 'stabilization', input: clamped, output: stable.replicas, note: windows };
  if (stable.reason) window.reason = stable.reason;
  const limited = limitRate(stable.replicas, current, input.scaleEvents ?? EMPTY_EVENTS, behavior, nowMs);
  const rules = stable.replicas >= current ? behavior.scaleUp : behavior.scaleDown;
  const policies = rules.policies.map((p) => `${p.type} ${p.value} per ${p.periodSec}s`).join(', ');
  const policy: ChainStep = {
    step: 'policy',
    input: stable.replicas,
    output: limited.replicas,
    note: `${stable.replicas >= current ? 'scale-up' : 'scale-down'} ${rules.selectPolicy} of ${policies}`,
  };
  if (limited.reason) policy.reason = limited.reason;
  const reasons = [stable.reason, limited.reason].filter((r): r is ReasonCode => r !== undefined);
  return { replicas: limited.replicas, reasons, steps: [window, policy], history: stable.history };
}

/** The first step: the evaluator's value, or the fallback's when the evaluator keeps failing. */
function sourceStep(input: DecisionInput): ChainStep {
  if (input.source === 'fallback') {
    return { step: 'fallback', input: input.current, output: input.evaluation, reason: 'FallbackApplied' };
  }
  return { step: 'evaluation', input: input.evaluation, output: input.evaluation };
}

/**
 * Decides the final replica count. Returns the decision and the stabilisation history to keep; a disabled
 * target leaves the history untouched, as in CPA.
 */
export function decide(input: DecisionInput): { decision: Decision; history: Recommendation[] } {
  const { evaluation, current } = input;
  const source = sourceStep(input);
  const clamped = clamp(evaluation, input.minReplicas, input.maxReplicas);
  const clampStep: ChainStep = { step: 'clamp', input: evaluation, output: clamped.replicas };
  if (clamped.reason) clampStep.reason = clamped.reason;
  const reasons: ReasonCode[] = source.reason ? [source.reason] : [];
  if (clamped.reason) reasons.push(clamped.reason);
  if (isDisabled(current, input.minReplicas)) {
    const final: ChainStep = {
      step: 'final',
      input: current,
      output: current,
      reason: 'AutoscalingDisabled',
    };
    const decision: Decision = {
      current,
      evaluation,
      clamped: clamped.replicas,
      target: current,
      reasons: ['AutoscalingDisabled'],
      action: 'disabled',
      chain: [source, clampStep, final],
    };
    return { decision, history: [...input.history] };
  }
  const stable = input.behavior
    ? hpaSteps(input, input.behavior, clamped.replicas)
    : cpaWindow(input, clamped.replicas);
  reasons.push(...stable.reasons);
  const changed = stable.replicas !== current;
  const verdict: ReasonCode = changed ? 'Scaled' : 'NoChange';
  reasons.push(verdict);
  const final: ChainStep = { step: 'final', input: current, output: stable.replicas, reason: verdict };
  const decision: Decision = {
    current,
    evaluation,
    clamped: clamped.replicas,
    target: stable.replicas,
    reasons,
    action: changed ? 'scale' : 'none',
    chain: [source, clampStep, ...stable.steps, final],
  };
  return { decision, history: stable.history };
}

/** Re-decides against a fresh current count after a 409, without recording the evaluation twice. */
export function redecide(decision: Decision, current: number, minReplicas: number): Decision {
  if (isDisabled(current, minReplicas)) {
    const disabled: Decision = {
      ...decision,
      current,
      target: current,
      reasons: ['AutoscalingDisabled'],
      action: 'disabled',
    };
    if (decision.chain) disabled.chain = withFinal(decision.chain, current, current, 'AutoscalingDisabled');
    return disabled;
  }
  const reasons: ReasonCode[] = decision.reasons.filter((r) => r !== 'Scaled' && r !== 'NoChange');
  const changed = decision.target !== current;
  const verdict: ReasonCode = changed ? 'Scaled' : 'NoChange';
  reasons.push(verdict);
  const redecided: Decision = { ...decision, current, reasons, action: changed ? 'scale' : 'none' };
  if (decision.chain) redecided.chain = withFinal(decision.chain, current, decision.target, verdict);
  return redecided;
}

/** The chain with its final step replaced (the count it starts from changed after a 409). */
function withFinal(
  chain: readonly ChainStep[],
  input: number,
  output: number,
  reason: ReasonCode,
): ChainStep[] {
  return [...chain.filter((s) => s.step !== 'final'), { step: 'final', input, output, reason }];
}
