// kubernetesMetricSpecs in a backtest. They feed the metric hook (and the pre/post-metric hooks) with what
// the metrics APIs say about the target's pods; the simulated target has no pods in any metrics API. Replaying
// a trace replaces the metric hook's output, so they have nothing left to feed: leave them out and say so.
// With --live-metrics the metric hook runs and would get nothing it expects: refuse before any cycle. Pure.
import type { Config } from '../config/types.ts';
import { UsageError } from '../errors.ts';

/** The note logged once when a trace replay leaves the specs out. */
export const K8S_METRICS_LEFT_OUT =
  'kubernetesMetricSpecs: not gathered: the trace gives the metric hook output they would feed (the simulated target has no pods in the metrics APIs)';

/**
 * The configuration with kubernetesMetricSpecs left out (null when it has none to leave out), or a
 * UsageError with --live-metrics, where the metric hook would run without the metrics it is written for.
 */
export function withoutK8sMetrics(config: Config, liveMetrics: boolean): Config | null {
  if (config.kubernetesMetricSpecs === null) return null;
  if (liveMetrics)
    throw new UsageError(
      'simulate --live-metrics cannot run a config with kubernetesMetricSpecs: the simulated target has no pods in the metrics APIs (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io) to gather them from',
      {
        hint: 'run without --live-metrics and put the metric hook output in the trace (e.g. the utilization it computes), or try the autoscaler on the real target: kubectl cpa run DIR --dry-run',
      },
    );
  return { ...config, kubernetesMetricSpecs: null };
}
