// The cycle's safety steps that touch the target (pause, fallback) and the windows it carries between cycles
// and runners. The decisions themselves are pure (pause.ts, fallback.ts, decide.ts); this module only
// reads what the cycle fetched and patches the scale subresource, never running a hook.
import { describeError } from '../errors.ts';
import { STATUS_ANNOTATION } from '../status/schema.ts';
import type { KubeObject, ResolvedTarget, Scale } from '../ports.ts';
import type { CycleContext } from './context.ts';
import type { CycleReport, Decision } from './types.ts';
import { recordScaleEvent } from './behavior.ts';
import { decideInCycle } from './decide-in-cycle.ts';
import { fallbackDue, fallbackReplicas } from './fallback.ts';
import { pausedDecision, readPause } from './pause.ts';
import { patchWithRetry } from './scale.ts';
import { StepError } from './steps.ts';
import { decodeWindows } from './windows.ts';

function annotationsOf(object: KubeObject): Record<string, string> | undefined {
  const meta = object.metadata as { annotations?: Record<string, string> } | undefined;
  return meta?.annotations;
}

/**
 * Once per runner (and again after another runner held the target), takes the windows recorded on the
 * target: a restart or a takeover continues them instead of starting empty.
 */
export function restoreWindows(ctx: CycleContext, object: KubeObject): void {
  if (ctx.state.restored) return;
  ctx.state.restored = true;
  const text = annotationsOf(object)?.[STATUS_ANNOTATION];
  if (text === undefined) return;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return;
  }
  const windows = decodeWindows((record as { windows?: unknown } | null)?.windows);
  if (windows === undefined) return;
  ctx.state.history = windows.history;
  ctx.state.scaleEvents = windows.scaleEvents;
  ctx.logger.log({
    kind: 'info',
    level: 1,
    message: `continuing the windows recorded on the target: ${windows.history.length} recommendations, ${windows.scaleEvents.up.length + windows.scaleEvents.down.length} scale events`,
  });
}

/** Remembers a scale this autoscaler made, for the rate limit of `behavior` (nothing to count without it). */
export function noteScale(ctx: CycleContext, from: number, to: number): void {
  const behavior = ctx.config.behavior;
  if (behavior === undefined || from === to) return;
  const events = ctx.state.scaleEvents ?? { up: [], down: [] };
  ctx.state.scaleEvents = recordScaleEvent(events, from, to, ctx.clock.nowMs(), behavior);
}

/** Patches the scale for a decision made without hooks (pause, fallback); returns what was applied. */
async function patchOnly(
  ctx: CycleContext,
  resolved: ResolvedTarget,
  scale: Scale,
  decision: Decision,
  report: CycleReport,
): Promise<void> {
  report.decision = decision;
  if (decision.action !== 'scale' || report.dryRun || report.heldBy !== undefined) return;
  try {
    report.decision = await patchWithRetry(ctx, resolved, decision, scale);
  } catch (err) {
    throw new StepError('patch', `failed to scale resource: ${describeError(err)}`, { cause: err });
  }
  report.scaled = report.decision.action === 'scale';
  if (report.scaled) noteScale(ctx, report.decision.current, report.decision.target);
}

/**
 * When the target carries a pause annotation, holds it (or moves it to the paused replicas) and returns
 * true: the cycle then runs no hook and gathers nothing.
 */
export async function holdIfPaused(
  ctx: CycleContext,
  resolved: ResolvedTarget,
  object: KubeObject,
  scale: Scale,
  report: CycleReport,
): Promise<boolean> {
  const pause = readPause(annotationsOf(object));
  if (!pause.paused) return false;
  if (pause.problem) ctx.logger.log({ kind: 'warning', message: `${report.target}: ${pause.problem}` });
  await patchOnly(ctx, resolved, scale, pausedDecision(scale.replicas, pause), report);
  return true;
}

/**
 * After a failure before the decision (metrics, evaluation or their hooks), applies `fallback` once the
 * failures in a row exceed its threshold. The fallback's count goes through the same chain (clamp,
 * behavior) as an evaluation would; the cycle still counts as failed.
 */
export async function applyFallback(
  ctx: CycleContext,
  fetched: { resolved: ResolvedTarget; scale: Scale } | undefined,
  report: CycleReport,
): Promise<void> {
  const fallback = ctx.config.fallback;
  if (fallback === undefined || fetched === undefined || report.decision !== undefined) return;
  if (!fallbackDue(fallback, ctx.state.consecutiveFailures + 1)) return;
  const { resolved, scale } = fetched;
  const decided = decideInCycle(ctx, fallbackReplicas(fallback, scale.replicas), scale.replicas, 'fallback');
  if (!report.dryRun) ctx.state.history = decided.history;
  if (decided.decision.action === 'disabled') {
    report.decision = decided.decision;
    return;
  }
  try {
    await patchOnly(ctx, resolved, scale, decided.decision, report);
  } catch (err) {
    // The fallback's own PATCH failing is logged; the cycle's first error stays the one reported.
    if (!(err instanceof StepError)) throw err;
    ctx.logger.log({ kind: 'warning', message: `${report.target}: fallback not applied: ${err.message}` });
  }
}
