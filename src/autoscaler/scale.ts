// Applying a decision (CPA §5.4): preScale → PATCH of /spec/replicas on the scale subresource → postScale.
// The PATCH carries the resourceVersion that was read, so a concurrent writer causes a 409; we then read
// the scale again, re-decide against the fresh count and try again (up to PATCH_ATTEMPTS in all).
import { KubeError, describeError } from '../errors.ts';
import type { KubeObject, ResolvedTarget, Scale } from '../ports.ts';
import type { CycleContext } from './context.ts';
import type { Decision, RunType } from './types.ts';
import { redecide } from './decide.ts';
import { scaleInfo } from './payloads.ts';
import { callHook, StepError } from './steps.ts';

const CONTEXT = 'failed to scale resource';

function isConflict(err: unknown): boolean {
  return err instanceof KubeError && err.details.status === 409;
}

/**
 * A 409 means the target changed since it was read. Status writes by the workload's controller change the
 * resourceVersion too, so one retry is not always enough on a busy workload; a few fresh reads are.
 */
const PATCH_ATTEMPTS = 3;

/** Patches the scale, re-reading and re-deciding after each conflict. Returns the decision finally applied. */
export async function patchWithRetry(
  ctx: CycleContext,
  resolved: ResolvedTarget,
  decision: Decision,
  scale: Scale,
): Promise<Decision> {
  let current = decision;
  let resourceVersion = scale.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    try {
      if (current.action === 'scale') await ctx.kube.patchScale(resolved, current.target, resourceVersion);
      return current;
    } catch (err) {
      if (!isConflict(err) || attempt >= PATCH_ATTEMPTS) throw err;
    }
    ctx.logger.log({
      kind: 'info',
      level: 1,
      message: 'the target changed while deciding (409 Conflict); reading it again',
    });
    const fresh = await ctx.kube.getScale(resolved);
    current = redecide(current, fresh.replicas, ctx.config.minReplicas);
    resourceVersion = fresh.resourceVersion;
  }
}

/** Runs the scale hooks and the PATCH for a decision that is not `disabled`. Returns the applied decision. */
export async function applyDecision(
  ctx: CycleContext,
  resolved: ResolvedTarget,
  target: KubeObject,
  scale: Scale,
  decision: Decision,
  runType: RunType,
): Promise<{ decision: Decision; scaled: boolean }> {
  const payload = scaleInfo({
    finalTarget: decision.target,
    resource: target,
    scaleTargetRef: ctx.target,
    namespace: ctx.namespace,
    minReplicas: ctx.config.minReplicas,
    maxReplicas: ctx.config.maxReplicas,
    rawEvaluation: decision.evaluation,
    runType,
  });
  const io = { methods: ctx.methods, logger: ctx.logger };
  await callHook('preScale', ctx.config.hooks.preScale, payload, {
    ...io,
    context: `${CONTEXT}: failed to run pre-scaling hook`,
  });
  let applied = decision;
  let scaled = false;
  if (decision.action === 'scale' && !ctx.dryRun) {
    try {
      applied = await patchWithRetry(ctx, resolved, decision, scale);
      scaled = applied.action === 'scale';
    } catch (err) {
      throw new StepError(
        'patch',
        `${CONTEXT}: failed to apply scaling changes to resource: ${describeError(err)}`,
        { cause: err },
      );
    }
  }
  // A user who scaled to 0 while we decided (seen on the 409 re-read) switched autoscaling off: like any
  // disabled target, no postScale (CPA §5.2).
  if (applied.action === 'disabled') return { decision: applied, scaled };
  await callHook('postScale', ctx.config.hooks.postScale, payload, {
    ...io,
    context: `${CONTEXT}: failed to run post-scaling hook`,
  });
  return { decision: applied, scaled };
}
