// The ONE pipeline: target → scale → metrics → evaluate → decide → scale. The loop, the REST API and the
// demo all call runCycle; nothing else walks these steps.
import { describeError, KubeError } from '../errors.ts';
import { oneLine } from '../logger/one-line.ts';
import type { Stage } from '../logger/events.ts';
import type { KubeObject, ResolvedTarget, Scale } from '../ports.ts';
import { applyFallback, holdIfPaused, noteScale, restoreWindows } from './safeguards.ts';
import { chainText } from './chain.ts';
import { encodeWindows } from './windows.ts';
import type { CycleContext } from './context.ts';
import type { CycleReport, RunType, StopAfter } from './types.ts';
import { decideInCycle } from './decide-in-cycle.ts';
import { evaluateMetrics } from './evaluate.ts';
import { gatherMetrics } from './metrics.ts';
import { applyDecision } from './scale.ts';
import { forgetObject, hasKept, keepObject, keptObject } from './target-read.ts';
import { StepError } from './steps.ts';

/** `deployment/team-a/web`: how messages name the target. */
export function targetLabel(ctx: Pick<CycleContext, 'target' | 'namespace'>): string {
  return `${ctx.target.kind.toLowerCase()}/${ctx.namespace}/${ctx.target.name}`;
}

/** Whether a failure's cause is a Kubernetes call that got no HTTP answer (a KubeError without a status). */
function noAnswer(err: unknown): boolean {
  for (let cause = err, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    if (cause instanceof KubeError) return cause.details.status === undefined;
  }
  return false;
}

/** Wraps a Kubernetes failure of a read step in CPA's wording. */
async function read<T>(stage: Stage, context: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StepError(stage, `${context}: ${describeError(err)}`, { cause: err });
  }
}

interface Fetched {
  resolved: ResolvedTarget;
  object: KubeObject;
  scale: Scale;
}

async function fetchTarget(ctx: CycleContext): Promise<Fetched> {
  const resolved = await read('target', 'failed to get managed resource', () =>
    ctx.kube.resolveTarget(ctx.target, ctx.namespace),
  );
  const getObject = (): Promise<KubeObject> =>
    read('target', 'failed to get managed resource', () => ctx.kube.getObject(resolved));
  const getScale = (): Promise<Scale> =>
    read('scale', 'failed to get scale subresource', () => ctx.kube.getScale(resolved));
  let object: KubeObject;
  let scale: Scale;
  // With an object kept from the last cycle, the scale is read first and the object only if it changed.
  // Without one (or when that read fails), the object first, as CPA does: its failure names the target.
  // An API that gave no answer at all is not asked twice more in the same cycle (each try waits out a call
  // timeout); any other failure of that read (e.g. the target is gone) goes on object first, to name it.
  const kept = hasKept(ctx.state)
    ? await getScale().catch((err: unknown) => {
        if (!noAnswer(err)) return undefined;
        forgetObject(ctx.state);
        throw err;
      })
    : undefined;
  const unchanged = kept === undefined ? undefined : keptObject(ctx.state, kept);
  try {
    object = unchanged ?? (await getObject());
    scale = kept ?? (await getScale());
  } catch (err) {
    forgetObject(ctx.state);
    throw err;
  }
  keepObject(ctx.state, object);
  ctx.logger.log({
    kind: 'info',
    level: 2,
    message: `scale: ${scale.replicas} replicas, selector "${scale.selector}"`,
  });
  return { resolved, object, scale };
}

/** Runs one cycle up to `stopAfter` and reports what happened; never throws for expected failures. */
export async function runCycle(
  ctx: CycleContext,
  options: { runType: RunType; stopAfter: StopAfter },
): Promise<CycleReport> {
  const startedMs = ctx.clock.nowMs();
  const dryRun = ctx.dryRun || options.runType === 'api_dry_run';
  const report: CycleReport = {
    runType: options.runType,
    target: targetLabel(ctx),
    startedMs,
    durationMs: 0,
    dryRun,
  };
  let fetched: { resolved: ResolvedTarget; scale: Scale } | undefined;
  try {
    const { resolved, object, scale } = await fetchTarget(ctx);
    fetched = { resolved, scale };
    // One writer per target: a cycle that may scale first asks whether this runner holds the target.
    const hold =
      !dryRun && options.stopAfter === 'scale' && ctx.holdTarget ? await ctx.holdTarget(object) : undefined;
    if (hold?.held === false) report.heldBy = hold.holder;
    restoreWindows(ctx, object);
    // Another runner writes the windows meanwhile: read them again when this one takes over.
    if (report.heldBy !== undefined) ctx.state.restored = false;
    // A paused target runs no hook; REST API requests for metrics or an evaluation alone still answer.
    if (options.stopAfter === 'scale' && (await holdIfPaused(ctx, resolved, object, scale, report))) {
      return await recordAndReturn(ctx, report);
    }
    report.metrics = await gatherMetrics(
      ctx,
      object,
      scale,
      options.runType,
      (k) => (report.kubernetesMetrics = k),
    );
    if (options.stopAfter === 'metrics') return finish(ctx, report);
    report.evaluation = await evaluateMetrics(ctx, object, report.metrics, options.runType);
    if (options.stopAfter === 'evaluate') return finish(ctx, report);
    const decided = decideInCycle(ctx, report.evaluation, scale.replicas);
    // A dry run must not leave a trace in the window that real decisions later use.
    if (!dryRun) ctx.state.history = decided.history;
    report.decision = decided.decision;
    if (decided.decision.action !== 'disabled' && report.heldBy === undefined) {
      const applied = await applyDecision(
        { ...ctx, dryRun },
        resolved,
        object,
        scale,
        decided.decision,
        options.runType,
      );
      report.decision = applied.decision;
      report.scaled = applied.scaled;
      if (applied.scaled) noteScale(ctx, applied.decision.current, applied.decision.target);
    }
  } catch (err) {
    if (!(err instanceof StepError)) throw err;
    if (ctx.methods.signal?.aborted) return stopped(ctx, report, err.stage);
    // One line: the message may quote hook output, and it becomes a log line and an Event message.
    report.error = { stage: err.stage, message: oneLine(err.message) };
    if (noAnswer(err)) report.error.unreachable = true;
    if (options.stopAfter === 'scale') await applyFallback(ctx, fetched, report);
  }
  return recordAndReturn(ctx, report);
}

/**
 * A shutdown (Ctrl-C, SIGTERM) cancelled a step: not a failure of the autoscaler. No failure count, no
 * failure Event, nothing recorded on the target (its record keeps the last real cycle); the report says Stopped.
 */
function stopped(ctx: CycleContext, report: CycleReport, stage: Stage): CycleReport {
  report.durationMs = ctx.clock.nowMs() - report.startedMs;
  report.stopped = { stage };
  ctx.logger.log({
    kind: 'info',
    level: 0,
    message: `${report.target} cycle stopped during ${stage}: shutting down`,
  });
  return report;
}

/** Finishes the report and hands it to the recorder. */
async function recordAndReturn(ctx: CycleContext, report: CycleReport): Promise<CycleReport> {
  finish(ctx, report);
  keepWindows(ctx, report);
  try {
    await ctx.onReport?.(report);
  } catch (err) {
    // Recording what happened must never turn a cycle into a failure.
    ctx.logger.log({ kind: 'warning', message: `failed to record the cycle: ${describeError(err)}` });
  }
  return report;
}

/** Stamps the duration, updates the failure count and logs the one line that tells the cycle's story. */
function finish(ctx: CycleContext, report: CycleReport): CycleReport {
  report.durationMs = ctx.clock.nowMs() - report.startedMs;
  const base = { target: report.target, runType: report.runType, durationMs: report.durationMs };
  if (report.error) {
    ctx.state.consecutiveFailures++;
    ctx.logger.log({
      kind: 'cycle-error',
      ...base,
      stage: report.error.stage,
      message: report.error.message,
    });
    // A fallback decided after the failure: its decision line follows.
    if (report.decision === undefined) return report;
  } else {
    ctx.state.consecutiveFailures = 0;
  }
  const d = report.decision;
  if (!d) {
    ctx.logger.log({
      kind: 'info',
      level: 1,
      message: `${report.runType} request: ${report.evaluation === undefined ? 'metrics gathered' : `evaluation ${report.evaluation}`}`,
      fields: { metrics: report.metrics },
    });
    return report;
  }
  const action =
    d.action === 'disabled'
      ? 'disabled'
      : d.action === 'none'
        ? 'unchanged'
        : report.heldBy !== undefined
          ? 'held-by-other'
          : report.scaled
            ? 'scaled'
            : 'would-scale';
  ctx.logger.log({
    kind: 'decision',
    ...base,
    from: d.current,
    to: d.target,
    evaluation: d.evaluation,
    reasons: d.reasons,
    action,
    ...(report.heldBy === undefined ? {} : { heldBy: report.heldBy }),
  });
  if (d.chain !== undefined && ctx.logger.enabled(1)) {
    ctx.logger.log({
      kind: 'info',
      level: 1,
      message: `decision chain: ${chainText(d.chain)}`,
      fields: { chain: d.chain },
    });
  }
  return report;
}

/**
 * Hands the windows to the recorder when they matter (a downscale window or `behavior`), so the next runner
 * continues them. Without either, nothing is kept and the record stays as CPA-compatible as before.
 */
function keepWindows(ctx: CycleContext, report: CycleReport): void {
  if (report.dryRun || report.heldBy !== undefined) return;
  if (ctx.config.behavior === undefined && ctx.config.downscaleStabilizationSec === 0) return;
  const windows = { history: ctx.state.history, scaleEvents: ctx.state.scaleEvents ?? { up: [], down: [] } };
  report.windows = encodeWindows(windows, ctx.clock.nowMs());
}
