// Prometheus metrics of a `run` process, with prom-client (the Node standard). Names follow the models
// operators already scrape: kube-controller-manager's HPA (`…_reconciliations_total`, `…_duration_seconds`)
// and KEDA (`keda_scaler_errors_total`, `keda_scaler_metrics_latency_seconds`, `keda_scaler_active`).
// Every per-autoscaler series carries `autoscaler` and `namespace`. The README lists them ("Prometheus metrics").
import type { CycleReport } from '../autoscaler/types.ts';
import type { HookResult } from '../hooks/types.ts';
import type { HookLimit } from './hook-limit.ts';

/** Common prefix of every metric of ours. */
export const METRIC_PREFIX = 'kubectl_cpa_';

/** What one autoscaler reports into the registry. */
export interface AutoscalerMetrics {
  /** After each cycle: counts by result, failures by stage, replicas, last success, held or not. */
  cycle(report: CycleReport): void;
  /** After each hook or step call: its duration by step name. */
  hook(name: string, result: HookResult): void;
}

/** The registry of one process. */
export interface RunMetrics {
  forAutoscaler(name: string, namespace: string): AutoscalerMetrics;
  /** One Kubernetes API call by HTTP method (LIST for pod lists). */
  kubeRequest(method: string): void;
  /** How late a loop tick started against its schedule. */
  tickLateness(lateMs: number): void;
  /** The text exposition format, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

// Hooks run from milliseconds (HTTP on loopback) to their timeout (seconds); cycles likewise.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Builds the registry. prom-client is loaded here, on first use, so that commands other than `run` do not
 * pay for it. `processMetrics` adds prom-client's default process and Node.js metrics (CPU, memory, fds,
 * event-loop lag), which read /proc when scraped.
 */
export async function createRunMetrics(options: {
  hookLimit?: HookLimit;
  processMetrics: boolean;
}): Promise<RunMetrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  if (options.processMetrics) prom.collectDefaultMetrics({ register: registry });
  const labels = ['autoscaler', 'namespace'] as const;
  const m = {
    cycles: new prom.Counter({
      name: `${METRIC_PREFIX}cycles_total`,
      help: 'Cycles run, by result (success, error) and run type (scaler, api, api_dry_run).',
      labelNames: [...labels, 'result', 'run_type'],
      registers: [registry],
    }),
    failures: new prom.Counter({
      name: `${METRIC_PREFIX}cycle_errors_total`,
      help: 'Failed cycles by the pipeline stage that failed (target, scale, metric, evaluate, patch, hook, ...).',
      labelNames: [...labels, 'stage'],
      registers: [registry],
    }),
    cycleSeconds: new prom.Histogram({
      name: `${METRIC_PREFIX}cycle_duration_seconds`,
      help: 'Duration of a cycle, from reading the target to the scale write.',
      labelNames: labels,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    hookSeconds: new prom.Histogram({
      name: `${METRIC_PREFIX}hook_duration_seconds`,
      help: 'Duration of a metric, evaluate or hook call, by hook name and outcome (ok, failed).',
      labelNames: [...labels, 'hook', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    current: gauge(prom, registry, 'current_replicas', 'Replicas of the target when last read.'),
    desired: gauge(prom, registry, 'desired_replicas', 'Replicas the last decision asked for.'),
    evaluated: gauge(prom, registry, 'evaluated_replicas', "The evaluator's last raw value, before limits."),
    lastSuccess: gauge(
      prom,
      registry,
      'last_success_timestamp_seconds',
      'Unix time at which the last successful cycle started.',
    ),
    held: gauge(
      prom,
      registry,
      'target_held',
      '1 while this process holds (may write) the target; 0 while another runner holds it.',
    ),
  };
  const kubeRequests = new prom.Counter({
    name: `${METRIC_PREFIX}kube_requests_total`,
    help: 'Kubernetes API calls of all autoscalers, by method (GET, PATCH, POST, LIST); cached discovery not counted.',
    labelNames: ['method'],
    registers: [registry],
  });
  const lateness = new prom.Histogram({
    name: `${METRIC_PREFIX}tick_lateness_seconds`,
    help: 'How late loop ticks of all autoscalers start against their schedule.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  if (options.hookLimit !== undefined) {
    const limit = options.hookLimit;
    new prom.Gauge({
      name: `${METRIC_PREFIX}hooks_running`,
      help: 'Hook processes running now (bounded by --max-hooks).',
      registers: [registry],
      collect() {
        this.set(limit.running);
      },
    });
    new prom.Gauge({
      name: `${METRIC_PREFIX}hooks_waiting`,
      help: 'Hook processes waiting for a slot under --max-hooks.',
      registers: [registry],
      collect() {
        this.set(limit.waiting);
      },
    });
    new prom.Gauge({
      name: `${METRIC_PREFIX}max_hooks`,
      help: 'The --max-hooks bound.',
      registers: [registry],
    }).set(limit.max);
  }
  return {
    kubeRequest: (method) => kubeRequests.inc({ method }),
    tickLateness: (lateMs) => lateness.observe(Math.max(0, lateMs) / 1000),
    forAutoscaler(autoscaler, namespace) {
      const id = { autoscaler, namespace };
      return {
        cycle(report) {
          m.cycles.inc({ ...id, result: report.error ? 'error' : 'success', run_type: report.runType });
          m.cycleSeconds.observe(id, report.durationMs / 1000);
          if (report.error) m.failures.inc({ ...id, stage: report.error.stage });
          else if (report.runType === 'scaler') m.lastSuccess.set(id, report.startedMs / 1000);
          if (report.evaluation !== undefined) m.evaluated.set(id, report.evaluation);
          const d = report.decision;
          if (d !== undefined) {
            m.current.set(id, report.scaled ? d.target : d.current);
            m.desired.set(id, d.target);
          }
          if (report.runType === 'scaler' && report.error?.stage !== 'target')
            m.held.set(id, report.heldBy === undefined ? 1 : 0);
        },
        hook(name, result) {
          m.hookSeconds.observe(
            { ...id, hook: name, outcome: result.ok ? 'ok' : 'failed' },
            result.durationMs / 1000,
          );
        },
      };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

function gauge(
  prom: typeof import('prom-client'),
  registry: import('prom-client').Registry,
  name: string,
  help: string,
): import('prom-client').Gauge<'autoscaler' | 'namespace'> {
  return new prom.Gauge({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames: ['autoscaler', 'namespace'],
    registers: [registry],
  });
}
