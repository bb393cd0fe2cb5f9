// The reads behind each Kubernetes metric source, for one gathering: the pods of the selector (listed once),
// their resource metrics and requests, and the custom and external metrics APIs, each failure in CPA's words.
import { milliOf } from '../../config/quantity.ts';
import { describeError, KubeError } from '../../errors.ts';
import type { KubeClient, KubeObject, MetricsApi } from '../../ports.ts';
import { formatTime, parseDurationNs, parseTime, ZERO_TIME } from './go-time.ts';
import type { PodSample, PodsBased, ValueBased } from './model.ts';
import { groupPods, readyRunningCount, type ReadinessRules } from './readiness.ts';
import { selectorDump, selectorQuery, type MetricSpec, type ObjectReference } from './spec.ts';

/** What one gathering needs besides the specs. */
export interface GatherInput {
  kube: KubeClient;
  namespace: string;
  /** The scale subresource's selector (`status.selector`). */
  podSelector: string;
  /** `current_replicas` of every metric: the scale's `spec.replicas`. */
  currentReplicas: number;
  rules: ReadinessRules;
}

/** The metrics-server window when a custom metric gives none (metricsclient's default). */
const DEFAULT_WINDOW_NS = 60e9;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const items = (body: unknown): Json[] => {
  const list = obj(body).items;
  return Array.isArray(list) ? list.map(obj) : [];
};
/** A missing timestamp decodes to Go's zero time, which CPA then writes out as such. */
const timeText = (v: unknown): string =>
  typeof v === 'string' && v !== '' ? formatTime(parseTime(v)) : ZERO_TIME;

/** The text CPA shows for a failed API call (client-go prints the server's Status message). */
function apiText(err: unknown): string {
  const hint = err instanceof KubeError && err.hint !== undefined ? ` (${err.hint})` : '';
  return `${describeError(err)}${hint}`;
}

export class Gathering {
  #pods: Promise<KubeObject[]> | undefined;
  readonly input: GatherInput;
  readonly api: MetricsApi;
  constructor(input: GatherInput, api: MetricsApi) {
    this.input = input;
    this.api = api;
  }

  /** The pods of the selector, listed once per gathering (CPA reads them from an informer cache). */
  async pods(): Promise<KubeObject[]> {
    this.#pods ??= this.input.kube.listPods(this.input.namespace, this.input.podSelector);
    try {
      return await this.#pods;
    } catch (err) {
      throw new Error(`unable to get pods while calculating replica count: ${apiText(err)}`, { cause: err });
    }
  }

  async resource(name: string, withRequests: boolean): Promise<PodsBased> {
    const { namespace, podSelector, rules } = this.input;
    let body: unknown;
    try {
      body = await this.api.listPodMetrics(namespace, podSelector);
    } catch (err) {
      throw new Error(
        `unable to get metrics for resource ${name}: unable to fetch metrics from resource metrics API: ${apiText(err)}`,
      );
    }
    const list = items(body);
    if (list.length === 0) {
      throw new Error(
        `unable to get metrics for resource ${name}: no metrics returned from resource metrics API`,
      );
    }
    const samples = new Map<string, PodSample>();
    for (const item of list) {
      const containers = Array.isArray(item.containers) ? item.containers.map(obj) : [];
      const usages = containers.map((c) => obj(c.usage)[name]);
      // A pod with no containers, or a container without this resource, has no sample at all.
      if (containers.length === 0 || usages.some((u) => u === undefined)) continue;
      samples.set(String(obj(item.metadata).name ?? ''), {
        timestamp: timeText(item.timestamp),
        windowNs: typeof item.window === 'string' ? parseDurationNs(item.window) : 0,
        value: usages.reduce<number>((sum, u) => sum + milliOf(String(u)), 0),
      });
    }
    const timestamp = timeText(list[0]?.timestamp);
    const pods = await this.pods();
    if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
    const groups = groupPods(pods, samples, name, rules);
    for (const pod of groups.ignored) samples.delete(pod);
    return {
      podMetricsInfo: samples,
      requests: withRequests ? requestsOf(pods, name) : null,
      readyPodCount: groups.readyPodCount,
      ignoredPods: groups.ignored,
      missingPods: groups.missing,
      totalPods: pods.length,
      timestamp,
    };
  }

  async podsMetric(metric: string, metricSelector: string): Promise<PodsBased> {
    const { namespace, podSelector, rules } = this.input;
    let body: unknown;
    try {
      body = await this.api.getCustomMetric({
        namespace,
        object: { resource: 'pods', name: '*' },
        metric,
        labelSelector: podSelector,
        metricLabelSelector: metricSelector,
      });
    } catch (err) {
      throw new Error(
        `unable to get metric ${metric}: unable to fetch metrics from custom metrics API: ${apiText(err)}`,
      );
    }
    const list = items(body);
    if (list.length === 0) {
      throw new Error(`unable to get metric ${metric}: no metrics returned from custom metrics API`);
    }
    const samples = new Map<string, PodSample>();
    for (const item of list) {
      samples.set(String(obj(item.describedObject).name ?? ''), {
        timestamp: timeText(item.timestamp),
        windowNs: typeof item.windowSeconds === 'number' ? item.windowSeconds * 1e9 : DEFAULT_WINDOW_NS,
        value: milliOf(String(item.value ?? '')),
      });
    }
    const timestamp = timeText(list[0]?.timestamp);
    const pods = await this.pods();
    if (pods.length === 0) {
      return {
        podMetricsInfo: null,
        readyPodCount: 0,
        ignoredPods: null,
        missingPods: null,
        totalPods: 0,
        timestamp,
      };
    }
    const groups = groupPods(pods, samples, '', rules);
    return {
      podMetricsInfo: samples,
      readyPodCount: groups.readyPodCount,
      ignoredPods: null,
      missingPods: groups.missing,
      totalPods: pods.length,
      timestamp,
    };
  }

  async object(spec: NonNullable<MetricSpec['object']>, withReady: boolean): Promise<ValueBased> {
    const { namespace } = this.input;
    const ref = spec.describedObject;
    const metric = spec.metric.name;
    let value: number;
    let timestamp: string;
    try {
      const body = await this.api.getCustomMetric({
        namespace,
        object: await this.objectPath(ref),
        metric,
        metricLabelSelector: selectorQuery(spec.metric.selector),
      });
      const list = items(body);
      if (list.length !== 1) {
        throw new Error(
          `the custom metrics API server returned ${list.length} results when we asked for exactly one`,
        );
      }
      value = milliOf(String(list[0]?.value ?? ''));
      timestamp = timeText(list[0]?.timestamp);
    } catch (err) {
      // CPA's two texts differ by one character (": " vs "/"); kept so that log matchers keep working.
      const sep = withReady ? ': ' : '/';
      throw new Error(
        `unable to get metric ${metric}: ${ref.kind} on ${namespace} ${ref.name}${sep}unable to fetch metrics from custom metrics API: ${apiText(err)}`,
      );
    }
    if (!withReady) return { current: { averageValue: value }, timestamp };
    return { current: { value }, readyPodCount: await this.readyCount(), timestamp };
  }

  /** `undefined` (the namespace's own metric) for kind Namespace of the core group, as client-go does. */
  async objectPath(ref: ObjectReference): Promise<{ resource: string; name: string } | undefined> {
    const apiVersion = ref.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (ref.kind === 'Namespace' && group === '') return undefined;
    const resolved = await this.input.kube.resolveTarget(
      { apiVersion: apiVersion === '' ? 'v1' : apiVersion, kind: ref.kind, name: ref.name },
      this.input.namespace,
    );
    const resource = resolved.group === '' ? resolved.resource : `${resolved.resource}.${resolved.group}`;
    return { resource, name: ref.name };
  }

  async external(spec: NonNullable<MetricSpec['external']>, withReady: boolean): Promise<ValueBased> {
    const { namespace } = this.input;
    const { name, selector } = spec.metric;
    let body: unknown;
    try {
      body = await this.api.listExternalMetric(namespace, name, selectorQuery(selector));
    } catch (err) {
      throw new Error(
        `unable to get external metric ${namespace}/${name}/${selectorDump(selector)}: unable to fetch metrics from external metrics API: ${apiText(err)}`,
      );
    }
    const list = items(body);
    if (list.length === 0) {
      throw new Error(
        `unable to get external metric ${namespace}/${name}/${selectorDump(selector)}: no metrics returned from external metrics API`,
      );
    }
    const sum = list.reduce((total, item) => total + milliOf(String(item.value ?? '')), 0);
    const timestamp = timeText(list[0]?.timestamp);
    if (!withReady) return { current: { averageValue: sum }, timestamp };
    return { current: { value: sum }, readyPodCount: await this.readyCount(), timestamp };
  }

  async readyCount(): Promise<number> {
    try {
      return readyRunningCount(await this.pods());
    } catch (err) {
      throw new Error(`unable to calculate ready pods: ${describeError(err)}`, { cause: err });
    }
  }
}

/** Per-pod sum of the containers' requests (milli-units); CPA fails on any container without one. */
function requestsOf(pods: readonly KubeObject[], name: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers = Array.isArray(obj(pod.spec).containers) ? (obj(pod.spec).containers as unknown[]) : [];
    let sum = 0;
    for (const c of containers.map(obj)) {
      const request = obj(obj(c.resources).requests)[name];
      if (request === undefined) throw new Error(`missing request for ${name}`);
      sum += milliOf(String(request));
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}
