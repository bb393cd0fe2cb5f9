// The metric stage (CPA §4.2): per-resource runs the metric method once with the target, per-pod once per
// pod selected by the scale subresource's selector, concurrently but reported in pod order.
import type { KubeObject, Scale } from '../ports.ts';
import type { CycleContext } from './context.ts';
import type { ResourceMetric, RunType } from './types.ts';
import { metricInfo, resourceMetric, seedMetricInput } from './payloads.ts';
import { mapBounded } from './bounded.ts';
import { callHook, callStep, shownOutput, StepError } from './steps.ts';
import { describeError } from '../errors.ts';
import { kubernetesMetricsFor } from './k8s-metrics/stage.ts';
import { kubernetesMetricsJson } from './k8s-metrics/serialise.ts';
import type { K8sMetricSummary } from './k8s-metrics/summary.ts';

const CONTEXT = 'failed to get metrics';

function nameOf(object: KubeObject): string {
  return object.metadata?.name ?? '';
}

/** Lists the pods of the target; an empty selector selects every pod of the namespace, as in CPA. */
async function listPods(ctx: CycleContext, scale: Scale): Promise<KubeObject[]> {
  try {
    return await ctx.kube.listPods(ctx.namespace, scale.selector);
  } catch (err) {
    throw new StepError('pods', `${CONTEXT}: failed to get pods being managed: ${describeError(err)}`, {
      cause: err,
    });
  }
}

/** Runs the metric method for one resource (the target or a pod) and wraps its raw output. */
async function measure(
  ctx: CycleContext,
  resource: KubeObject,
  runType: RunType,
  k8s?: string,
): Promise<ResourceMetric> {
  const seed = ctx.config.format === 'seed';
  const payload = seed ? seedMetricInput(resource) : metricInfo(resource, runType, undefined, k8s);
  const io = {
    methods: ctx.methods,
    logger: ctx.logger,
    stage: 'metric' as const,
    context: `${CONTEXT}: failed to gather metrics`,
  };
  const value = await callStep('metric', ctx.config.metric, payload, io);
  ctx.logger.log({
    kind: 'info',
    level: 3,
    message: `metric gathered for ${nameOf(resource)}: ${shownOutput(value)}`,
  });
  return resourceMetric(nameOf(resource), value);
}

/** Gathers the metrics of one cycle; `null` in per-pod mode without pods (the evaluator sees `"metrics":null`). */
export async function gatherMetrics(
  ctx: CycleContext,
  target: KubeObject,
  scale: Scale,
  runType: RunType,
  /** Receives the summaries of the Kubernetes metrics gathered (for the report). */
  onKubernetesMetrics?: (summaries: K8sMetricSummary[]) => void,
): Promise<ResourceMetric[] | null> {
  const hookIo = { methods: ctx.methods, logger: ctx.logger };
  // Same metrics in every payload of the run, resource-level even in per-pod mode (§4.2 step 0).
  const k8s =
    ctx.config.kubernetesMetricSpecs === null
      ? undefined
      : kubernetesMetricsJson(await kubernetesMetricsFor(ctx, scale, onKubernetesMetrics));
  const hooks = ctx.config.hooks;
  if (ctx.config.runMode === 'per-resource') {
    await callHook('preMetric', hooks.preMetric, metricInfo(target, runType, undefined, k8s), {
      ...hookIo,
      context: `${CONTEXT}: failed to run pre-metric hook`,
    });
    const metrics = [await measure(ctx, target, runType, k8s)];
    await callHook('postMetric', hooks.postMetric, metricInfo(target, runType, metrics, k8s), {
      ...hookIo,
      context: `${CONTEXT}: failed to run post-metric hook`,
    });
    return metrics;
  }
  const pods = await listPods(ctx, scale);
  ctx.logger.log({
    kind: 'info',
    level: 3,
    message: `per-pod mode: ${pods.length} pods match "${scale.selector}"`,
  });
  await callHook('preMetric', hooks.preMetric, metricInfo(target, runType, undefined, k8s), {
    ...hookIo,
    context: `${CONTEXT}: failed to run pre-metric hook`,
  });
  const metrics = pods.length === 0 ? null : await measurePods(ctx, pods, runType, k8s);
  await callHook('postMetric', hooks.postMetric, metricInfo(target, runType, metrics, k8s), {
    ...hookIo,
    context: `${CONTEXT}: failed to run post-metric hook`,
  });
  return metrics;
}

/** Per-pod calls share an abort signal so that the first failure stops the calls still running. */
async function measurePods(
  ctx: CycleContext,
  pods: KubeObject[],
  runType: RunType,
  k8s?: string,
): Promise<ResourceMetric[]> {
  const abort = new AbortController();
  const parent = ctx.methods.signal;
  const onParentAbort = (): void => abort.abort();
  parent?.addEventListener('abort', onParentAbort, { once: true });
  const podCtx: CycleContext = { ...ctx, methods: { ...ctx.methods, signal: abort.signal } };
  try {
    return await mapBounded(pods, ctx.config.metricConcurrency, (pod) => measure(podCtx, pod, runType, k8s));
  } catch (err) {
    abort.abort();
    throw err;
  } finally {
    parent?.removeEventListener('abort', onParentAbort);
  }
}
