// The decision chain in words, like `kubectl describe hpa`'s conditions: each step's input, output and
// reason. One formatter for the -v 1 log line and the status detail view. Pure.
import type { ChainStep } from './types.ts';

/** `policy 10 → 5 ScaleUpLimited (scale-up Max of Pods 4 per 60s)`: one step on one line. */
export function stepText(step: ChainStep): string {
  const values = step.input === step.output ? `${step.output}` : `${step.input} → ${step.output}`;
  const reason = step.reason === undefined ? '' : ` ${step.reason}`;
  const note = step.note === undefined ? '' : ` (${step.note})`;
  return `${step.step} ${values}${reason}${note}`;
}

/** The whole chain on one line, steps joined by ` | `, for the log. */
export function chainText(chain: readonly ChainStep[]): string {
  return chain.map(stepText).join(' | ');
}
