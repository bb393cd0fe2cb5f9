// The detail view's reading of an item in HPA's vocabulary: the conditions AbleToScale, ScalingActive and
// ScalingLimited, and the decision chain metrics → evaluation → clamp → stabilization → action. Pure.
import type { AutoscalerStatus } from './model.ts';

/** One condition row, as `kubectl describe hpa` prints them. */
export interface Condition {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

type Failure = 'scale' | 'rescale' | 'metrics' | 'evaluate' | 'hook' | 'other';

/** Which part failed: the recorded stage, or for Go CPA logs the error chain's first words. */
export function failureKind(item: AutoscalerStatus): Failure | null {
  if ((item.consecutiveFailures ?? 0) === 0 || item.lastError === null) return null;
  const byStage: Record<string, Failure> = {
    target: 'scale',
    scale: 'scale',
    patch: 'rescale',
    pods: 'metrics',
    metric: 'metrics',
    evaluate: 'evaluate',
    decide: 'evaluate',
    hook: 'hook',
  };
  if (item.lastError.stage !== null) return byStage[item.lastError.stage] ?? 'other';
  const m = item.lastError.message;
  if (/failed to get (managed resource|scale subresource)|failed to parse pod selector/.test(m))
    return 'scale';
  if (/failed to scale resource: failed to (apply scaling|retrieve group)/.test(m)) return 'rescale';
  if (/failed to get metrics/.test(m)) return 'metrics';
  if (/failed get evaluation/.test(m)) return 'evaluate';
  if (/hook/.test(m)) return 'hook';
  return 'other';
}

function ableToScale(item: AutoscalerStatus, failure: Failure | null): Condition {
  const type = 'AbleToScale';
  const error = item.lastError?.message ?? '';
  if (failure === 'scale') return { type, status: 'False', reason: 'FailedGetScale', message: error };
  if (failure === 'rescale') return { type, status: 'False', reason: 'FailedUpdateScale', message: error };
  const d = item.lastDecision;
  if (d === null)
    return { type, status: 'Unknown', reason: 'NoDecision', message: 'no decision has been seen yet' };
  if (d.reason === 'ScaleDownStabilized')
    return {
      type,
      status: 'True',
      reason: 'ScaleDownStabilized',
      message: `the downscale stabilization window holds the target at ${d.to}`,
    };
  if (d.from !== null && d.from !== d.to)
    return {
      type,
      status: 'True',
      reason: 'SucceededRescale',
      message: `the last decision scaled the target from ${d.from} to ${d.to}`,
    };
  return { type, status: 'True', reason: 'ReadyForNewScale', message: 'the target can be scaled' };
}

function scalingActive(item: AutoscalerStatus, failure: Failure | null): Condition {
  const type = 'ScalingActive';
  const error = item.lastError?.message ?? '';
  if (failure === 'metrics') return { type, status: 'False', reason: 'FailedComputeMetrics', message: error };
  if (failure === 'evaluate') return { type, status: 'False', reason: 'FailedEvaluate', message: error };
  if (failure === 'hook') return { type, status: 'False', reason: 'FailedRunHook', message: error };
  if (item.state === 'Paused')
    return { type, status: 'False', reason: 'ScalingDisabled', message: 'autoscaling is paused' };
  const d = item.lastDecision;
  if (d?.reason === 'AutoscalingDisabled')
    return {
      type,
      status: 'False',
      reason: 'ScalingDisabled',
      message: 'the target has 0 replicas and minReplicas is not 0',
    };
  if (d === null)
    return { type, status: 'Unknown', reason: 'NoDecision', message: 'no decision has been seen yet' };
  const evaluation = item.lastEvaluation === null ? '' : ` (evaluation ${item.lastEvaluation})`;
  return {
    type,
    status: 'True',
    reason: 'ValidMetricFound',
    message: `the metric and evaluate steps produced a replica count${evaluation}`,
  };
}

function scalingLimited(item: AutoscalerStatus): Condition {
  const type = 'ScalingLimited';
  const d = item.lastDecision;
  if (d === null)
    return { type, status: 'Unknown', reason: 'NoDecision', message: 'no decision has been seen yet' };
  const reasons = d.reasons ?? [d.reason];
  const evaluation =
    item.lastEvaluation === null ? 'the evaluation' : `the evaluation ${item.lastEvaluation}`;
  if (reasons.includes('ClampedToMax'))
    return {
      type,
      status: 'True',
      reason: 'TooManyReplicas',
      message: `${evaluation} is above maxReplicas ${item.maxReplicas ?? ''}`.trim(),
    };
  if (reasons.includes('ClampedToMin'))
    return {
      type,
      status: 'True',
      reason: 'TooFewReplicas',
      message: `${evaluation} is below minReplicas ${item.minReplicas ?? ''}`.trim(),
    };
  // HPA's words for a `behavior` policy that held the change back.
  if (reasons.includes('ScaleUpLimited') || reasons.includes('ScaleDownLimited')) {
    const up = reasons.includes('ScaleUpLimited');
    return {
      type,
      status: 'True',
      reason: up ? 'ScaleUpLimit' : 'ScaleDownLimit',
      message: `the desired replica count is ${up ? 'increasing' : 'decreasing'} faster than the maximum scale rate`,
    };
  }
  return {
    type,
    status: 'False',
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
}

/** The three conditions for an item. */
export function conditionsOf(item: AutoscalerStatus): Condition[] {
  const failure = failureKind(item);
  return [ableToScale(item, failure), scalingActive(item, failure), scalingLimited(item)];
}

function clampStep(item: AutoscalerStatus): string {
  const d = item.lastDecision;
  if (d === null) return '<none>';
  const ev = item.lastEvaluation;
  if (d.clamped !== undefined && ev !== null) {
    if (d.reasons?.includes('ClampedToMax'))
      return `${ev} → ${d.clamped} (maxReplicas ${item.maxReplicas ?? '?'})`;
    if (d.reasons?.includes('ClampedToMin'))
      return `${ev} → ${d.clamped} (minReplicas ${item.minReplicas ?? '?'})`;
    return `${ev}, within [${item.minReplicas ?? '?'}, ${item.maxReplicas ?? '?'}]`;
  }
  if (d.reason === 'ClampedToMax') return `clamped to maxReplicas (${item.maxReplicas ?? 'image default'})`;
  if (d.reason === 'ClampedToMin') return `clamped to minReplicas (${item.minReplicas ?? 'image default'})`;
  return '<unknown>';
}

function stabilizationStep(item: AutoscalerStatus): string {
  const d = item.lastDecision;
  if (d === null) return '<none>';
  const window = item.config.downscaleStabilizationSec;
  const windowText = window === null ? 'the downscale window' : `the ${window}s downscale window`;
  if (d.reason === 'ScaleDownStabilized' || d.reasons?.includes('ScaleDownStabilized'))
    return `held at ${d.to} by ${windowText}${d.clamped === undefined ? '' : ` (recommendation ${d.clamped})`}`;
  if (window === 0) return `${d.to} (no downscale window)`;
  return `${d.to} (highest recommendation over ${windowText})`;
}

function actionStep(item: AutoscalerStatus): string {
  const d = item.lastDecision;
  if (d === null) return '<none>';
  if (d.reason === 'AutoscalingDisabled') return `none: autoscaling disabled at ${d.from ?? 0} replicas`;
  if (d.from !== null && d.from !== d.to) return `scaled ${d.from} → ${d.to}`;
  return `unchanged at ${d.to} replicas`;
}

/** The last cycle's decision, one step per line: [label, text]. */
export function decisionChain(item: AutoscalerStatus, metrics: string): [string, string][] {
  return [
    ['Metrics', metrics],
    ['Evaluation', item.lastEvaluation === null ? '<unknown>' : String(item.lastEvaluation)],
    ['Clamp', clampStep(item)],
    ['Stabilization', stabilizationStep(item)],
    ['Action', actionStep(item)],
  ];
}
