// Step 0 of CPA's metric stage (§4.2, §6.4): gather `kubernetesMetricSpecs` and decide, with
// `requireKubernetesMetrics`, whether a failure fails the run or is logged and left out of the payload.
import type { CycleContext } from '../context.ts';
import type { Scale } from '../../ports.ts';
import { StepError } from '../steps.ts';
import type { K8sMetric } from './model.ts';
import { gatherK8sMetrics } from './gather.ts';
import { normalizeSpec } from './spec.ts';
import { describeSummary, summarize, type K8sMetricSummary } from './summary.ts';

const CONTEXT = 'failed to get metrics';

/** The metrics for this run's payloads (possibly partial), or a StepError when they are required. */
export async function kubernetesMetricsFor(
  ctx: CycleContext,
  scale: Scale,
  onSummaries?: (summaries: K8sMetricSummary[]) => void,
): Promise<K8sMetric[]> {
  const specs = ctx.config.kubernetesMetricSpecs ?? [];
  const log = ctx.logger;
  log.log({
    kind: 'info',
    level: 3,
    message: 'K8s Metrics specs provided, attempting to query the K8s metrics server',
  });
  // CPA prints a Go dump here; the same specs as JSON read better and carry the same facts.
  if (log.enabled(1))
    log.log({ kind: 'info', level: 1, message: `specs: ${JSON.stringify(specs.map(normalizeSpec))}` });
  const { metrics, errors } = await gatherK8sMetrics(specs, {
    kube: ctx.kube,
    namespace: ctx.namespace,
    podSelector: scale.selector,
    currentReplicas: scale.replicas,
    rules: {
      cpuInitializationPeriodMs: ctx.config.cpuInitializationPeriodSec * 1000,
      initialReadinessDelayMs: ctx.config.initialReadinessDelaySec * 1000,
      nowMs: ctx.clock.nowMs(),
    },
  });
  if (errors.length > 0) {
    errors.forEach((err, i) =>
      log.log({
        kind: 'warning',
        message: `Error when retrieving K8s metrics (${i + 1}/${errors.length}): ${err}`,
      }),
    );
    const aggregate = `gatherer multi metric error: ${errors.length} errors, first error is ${errors[0]}`;
    if (ctx.config.requireKubernetesMetrics) {
      const which =
        errors.length < specs.length
          ? `failed to get some (${errors.length}/${specs.length}) required Kubernetes metrics`
          : 'failed to get all required Kubernetes metrics';
      throw new StepError('metric', `${CONTEXT}: ${which}: ${aggregate}`);
    }
    log.log({
      kind: 'warning',
      message: `Failed to retrieve K8s metrics, not required so continuing: ${aggregate}`,
    });
  } else {
    log.log({
      kind: 'info',
      level: 3,
      message: `Successfully retrieved K8s metrics: ${metrics.length} metrics`,
    });
  }
  const summaries = metrics.map(summarize);
  onSummaries?.(summaries);
  summaries.forEach((s, i) =>
    log.log({
      kind: 'info',
      level: 2,
      message: `kubernetes metric ${i + 1}/${specs.length} ${describeSummary(s)}`,
    }),
  );
  log.log({ kind: 'info', level: 3, message: 'Finished querying the K8s metrics server' });
  return metrics;
}
