// One fixed vocabulary of Event reasons (HPA's words where HPA has one), and the Events a cycle produces.
import type { CycleReport } from '../autoscaler/types.ts';
import type { Decision } from '../autoscaler/types.ts';
import type { ReasonCode, Stage } from '../logger/events.ts';
import { boundText, LIMITS } from './record.ts';

/** Every reason kubectl-cpa puts on an Event. */
export const EVENT_REASONS = [
  'SuccessfulRescale',
  'FailedGetScale',
  'FailedComputeMetrics',
  'FailedEvaluate',
  'FailedRescale',
  'FailedRunHook',
  'InvalidConfig',
  // Another runner's fresh claim on the target kept this one from writing (one writer per target).
  'TargetHeldByOther',
  // Issue 15: the fallback scaled the target after repeated failures (KEDA's vocabulary has no Event).
  'FallbackApplied',
] as const;
export type EventReason = (typeof EVENT_REASONS)[number];

/** The component name on every Event we write (`source.component`, `reportingComponent`). */
export const EVENT_COMPONENT = 'kubectl-cpa';

/** Which failure reason a pipeline stage reports. */
export const STAGE_REASON: Record<Stage, EventReason> = {
  config: 'InvalidConfig',
  target: 'FailedGetScale',
  scale: 'FailedGetScale',
  pods: 'FailedComputeMetrics',
  metric: 'FailedComputeMetrics',
  evaluate: 'FailedEvaluate',
  decide: 'FailedEvaluate',
  patch: 'FailedRescale',
  hook: 'FailedRunHook',
};

/** An Event to record, before correlation. */
export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: EventReason;
  message: string;
}

/** The behavior steps in an Event message. */
const SAFETY_WORDS: [ReasonCode, string][] = [
  ['ScaleUpStabilized', 'held down by the scale-up stabilization window'],
  ['ScaleUpLimited', 'limited by the scale-up policies'],
  ['ScaleDownLimited', 'limited by the scale-down policies'],
];

/** Why the new size is what it is, in words: `evaluation 7 above maxReplicas 5`. */
export function rescaleReason(
  decision: Decision,
  limits: { minReplicas: number; maxReplicas: number },
): string {
  const parts: string[] = [];
  const r = decision.reasons;
  if (r.includes('ClampedToMax'))
    parts.push(`evaluation ${decision.evaluation} above maxReplicas ${limits.maxReplicas}`);
  else if (r.includes('ClampedToMin'))
    parts.push(`evaluation ${decision.evaluation} below minReplicas ${limits.minReplicas}`);
  else parts.push(`evaluation ${decision.evaluation}`);
  if (r.includes('ScaleDownStabilized'))
    parts.push(`held at ${decision.target} by the downscale stabilization window`);
  for (const [code, words] of SAFETY_WORDS) if (r.includes(code)) parts.push(words);
  if (r.includes('Paused')) return 'paused by annotation';
  return parts.join(', ');
}

/** The Events of one recorded cycle: a rescale, a failure, or nothing. */
export function eventsForReport(
  report: CycleReport,
  limits: { minReplicas: number; maxReplicas: number },
): EventSpec[] {
  if (report.error) {
    const failed: EventSpec = {
      type: 'Warning',
      reason: STAGE_REASON[report.error.stage],
      message: boundText(report.error.message, LIMITS.messageChars),
    };
    const d = report.decision;
    if (!report.scaled || d === undefined || !d.reasons.includes('FallbackApplied')) return [failed];
    const message = `New size: ${d.target}; reason: fallback after repeated failures (from ${d.current})`;
    return [failed, { type: 'Normal', reason: 'FallbackApplied', message }];
  }
  if (report.scaled && report.decision) {
    const d = report.decision;
    return [
      {
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message: `New size: ${d.target}; reason: ${rescaleReason(d, limits)}`,
      },
    ];
  }
  return [];
}
