// A backtest: the autoscaler of DIR replayed over a metric trace on a virtual clock. Every cycle is the
// real pipeline (runCycle: metric → evaluate hook → decision chain → scale), so clamps, stabilisation and
// whatever joins the decision chain later apply exactly as in `run`. Only the world differs: the metric's
// text comes from the trace (unless --live-metrics), and the target lives in memory (world.ts).
import { parseAllDocuments } from 'yaml';
import type { CycleContext } from '../autoscaler/context.ts';
import { runCycle } from '../autoscaler/cycle.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../logger/events.ts';
import type { Deps, KubeObject } from '../ports.ts';
import { loadDirConfig } from '../runner/load.ts';
import type { TraceSample } from './trace.ts';
import { sampleAt } from './trace.ts';
import { traceMetricMethod, traceRequester } from './trace-metric.ts';
import { K8S_METRICS_LEFT_OUT, withoutK8sMetrics } from './k8s-metrics.ts';
import { SimulatedWorld, VirtualClock } from './world.ts';

/** What one backtest replays and how. */
export interface SimulateOptions {
  dir: string;
  configFile?: string;
  samples: readonly TraceSample[];
  /** Default: the configuration's interval. */
  intervalMs?: number;
  startReplicas: number;
  fromMs?: number;
  toMs?: number;
  readyDelayMs: number;
  /** Run the configured metric method (against the simulated target) instead of reading the trace. */
  liveMetrics: boolean;
  /** Run the six optional hooks too (they may act on the real world: the user asks for it). */
  hooks: boolean;
  logger: Logger;
  signal?: AbortSignal;
}

/** One simulated cycle. */
export interface TimelineRow {
  timeMs: number;
  /** What the evaluator received as the metric (per-pod values joined by `;`). */
  metric: string;
  evaluation?: number;
  /** Replicas before and after the decision. */
  from: number;
  replicas: number;
  /** Pods Ready at the cycle's time once the decision applied (new pods wait out the ready delay). */
  ready: number;
  demand?: number;
  reasons: string[];
  action: 'scaled' | 'unchanged' | 'disabled' | 'failed';
  error?: string;
}

/** The replayed timeline and what it was replayed with. */
export interface SimulationResult {
  rows: TimelineRow[];
  intervalMs: number;
  target: string;
  runMode: Config['runMode'];
}

/** The workload object: DIR/deployment.yaml's matching document when there is one, else a minimal one. */
async function targetObject(
  deps: Pick<Deps, 'files'>,
  dir: string,
  ref: ScaleTargetRef,
): Promise<KubeObject> {
  const text = await deps.files.readText(`${dir}/deployment.yaml`);
  const docs = text === null ? [] : parseAllDocuments(text).map((d) => d.toJSON() as KubeObject | null);
  const found = docs.find((d) => d?.kind === ref.kind && d.metadata?.name === ref.name);
  if (found) return found;
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, labels: {} },
    spec: { selector: { matchLabels: { app: ref.name } } },
  };
}

/** The configuration as the backtest runs it: the trace in place of the metric, hooks only when asked. */
function simulatedConfig(config: Config, options: SimulateOptions): Config {
  return {
    ...config,
    metric: options.liveMetrics ? config.metric : traceMetricMethod(),
    hooks: options.hooks ? config.hooks : {},
  };
}

function metricShown(report: CycleReport): string {
  return (report.metrics ?? []).map((m) => m.value ?? '').join(';');
}

function rowOf(report: CycleReport, sample: TraceSample, world: SimulatedWorld, timeMs: number): TimelineRow {
  const d = report.decision;
  const row: TimelineRow = {
    timeMs,
    metric: metricShown(report),
    from: d?.current ?? world.replicas,
    replicas: world.replicas,
    ready: world.readyPods(),
    reasons: d?.reasons ?? [],
    action: report.error
      ? 'failed'
      : d?.action === 'disabled'
        ? 'disabled'
        : d?.action === 'scale'
          ? 'scaled'
          : 'unchanged',
  };
  if (report.evaluation !== undefined) row.evaluation = report.evaluation;
  if (sample.demand !== undefined) row.demand = sample.demand;
  if (report.error) row.error = report.error.message;
  return row;
}

/** Replays the trace through DIR's autoscaler; resolves with one row per cycle. */
export async function simulate(
  deps: Pick<Deps, 'files' | 'cwd' | 'env' | 'runProcess' | 'httpRequest'>,
  options: SimulateOptions,
): Promise<SimulationResult> {
  const { config, absDir } = await loadDirConfig(deps, {
    dir: options.dir,
    configFile: options.configFile ?? `${options.dir}/config.yaml`,
    env: deps.env,
    flags: options.intervalMs === undefined ? {} : { interval: options.intervalMs },
    // A backtest touches no cluster: without a scaleTargetRef it simulates a Deployment named after DIR.
    targetLookedUp: true,
  });
  const samples = options.samples;
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) throw new UsageError('the trace holds no samples');
  const fromMs = options.fromMs ?? first.timeMs;
  const toMs = options.toMs ?? last.timeMs;
  if (fromMs < first.timeMs)
    throw new UsageError(
      `--from is before the trace's first sample (${new Date(first.timeMs).toISOString()})`,
    );
  if (toMs < fromMs) throw new UsageError('--to is before --from');
  const ref = config.scaleTargetRef ?? {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: absDir.split('/').filter(Boolean).at(-1) ?? 'simulated',
  };
  const perPodOnly = samples.findIndex((s) => s.value === undefined);
  if (config.runMode === 'per-resource' && !options.liveMetrics && perPodOnly >= 0)
    throw new UsageError(
      `the trace has only per-pod values at ${new Date(samples[perPodOnly]!.timeMs).toISOString()}, but runMode is per-resource: give one value per sample (for Prometheus: sum() or avg() the query)`,
    );
  const withoutSpecs = withoutK8sMetrics(config, options.liveMetrics);
  if (withoutSpecs !== null) options.logger.log({ kind: 'info', level: 0, message: K8S_METRICS_LEFT_OUT });
  const namespace = config.namespace ?? 'default';
  const clock = new VirtualClock(fromMs);
  const world = new SimulatedWorld({
    clock,
    object: await targetObject(deps, options.dir, ref),
    namespace,
    startReplicas: options.startReplicas,
    readyDelayMs: options.readyDelayMs,
  });
  let index = 0;
  const ctx: CycleContext = {
    config: simulatedConfig(withoutSpecs ?? config, options),
    target: ref,
    namespace,
    kube: world,
    methods: {
      runner: deps.runProcess,
      request: traceRequester(deps.httpRequest, () => samples[index]!, {
        index: (name) => world.podIndex(name),
        count: () => world.podCount(),
      }),
      files: deps.files,
      cwd: absDir,
      env: deps.env,
      signal: options.signal,
    },
    clock,
    logger: options.logger,
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
  };
  const rows: TimelineRow[] = [];
  for (let timeMs = fromMs; timeMs <= toMs && !options.signal?.aborted; timeMs += config.intervalMs) {
    clock.setMs(timeMs);
    index = sampleAt(samples, timeMs, index);
    const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
    rows.push(rowOf(report, samples[index]!, world, timeMs));
  }
  return {
    rows,
    intervalMs: config.intervalMs,
    target: `${ref.kind.toLowerCase()}/${namespace}/${ref.name}`,
    runMode: config.runMode,
  };
}
