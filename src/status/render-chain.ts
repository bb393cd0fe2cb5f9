// The recorded decision chain in the status detail view: one line per step, each with what it received,
// what it passed on and why, like `kubectl describe hpa`'s conditions. Pure.
import type { ChainStep, ChainStepName } from '../autoscaler/types.ts';

const LABELS: Record<ChainStepName, string> = {
  evaluation: 'Evaluation',
  fallback: 'Fallback',
  pause: 'Pause',
  clamp: 'Clamp',
  stabilization: 'Stabilization',
  policy: 'Behavior policy',
  final: 'Final',
};

/** `10 → 5: ScaleUpLimited (scale-up Max of Pods 4 per 60s)`; an unchanged value is shown once. */
function stepText(step: ChainStep): string {
  const values = step.input === step.output ? `${step.output}` : `${step.input} → ${step.output}`;
  const reason = step.reason === undefined ? '' : `: ${step.reason}`;
  const note = step.note === undefined ? '' : ` (${step.note})`;
  return `${values}${reason}${note}`;
}

/** The chain as `[label, text]` rows for the detail view; the final step reads `current → target`. */
export function chainRows(chain: readonly ChainStep[]): [string, string][] {
  return chain.map((step) => [LABELS[step.step], stepText(step)]);
}
