// The decision of a cycle: decide() fed from the cycle's configuration and the state that persists between
// cycles. The evaluator's count and the fallback's go through the same chain, so both are built here once.
import type { CycleContext } from './context.ts';
import { decide, type DecisionInput } from './decide.ts';
import type { Recommendation } from './stabilize.ts';
import type { Decision } from './types.ts';

/** Decides for `current` replicas from `evaluation` (the evaluator's, or the fallback's count). */
export function decideInCycle(
  ctx: Pick<CycleContext, 'config' | 'state' | 'clock'>,
  evaluation: number,
  current: number,
  source: NonNullable<DecisionInput['source']> = 'evaluation',
): { decision: Decision; history: Recommendation[] } {
  return decide({
    evaluation,
    current,
    minReplicas: ctx.config.minReplicas,
    maxReplicas: ctx.config.maxReplicas,
    downscaleStabilizationSec: ctx.config.downscaleStabilizationSec,
    history: ctx.state.history,
    nowMs: ctx.clock.nowMs(),
    ...(source === 'fallback' ? { source } : {}),
    ...(ctx.config.behavior ? { behavior: ctx.config.behavior } : {}),
    ...(ctx.state.scaleEvents ? { scaleEvents: ctx.state.scaleEvents } : {}),
  });
}
