// `kubernetesMetrics` as CPA's encoding/json writes it (§6.2): struct fields in declaration order,
// PodMetric with its capitalised Go field names, maps with sorted keys, sets as objects of `{}`, nil as
// `null`. Written by hand because JavaScript objects put integer-like keys (a pod named "7") first.
import type { K8sMetric, PodSample, PodsBased, ValueBased } from './model.ts';

/** A value the encoder writes: object entries keep their order, Maps and Sets are written sorted. */
type GoValue =
  | null
  | number
  | string
  | boolean
  | GoValue[]
  | Map<string, GoValue>
  | Set<string>
  | { [key: string]: GoValue | undefined };

/** Go sorts map keys by bytes; for the ASCII names of pods this is plain code-unit order. */
const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function encode(value: GoValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (value instanceof Set)
    return `{${[...value]
      .sort(byBytes)
      .map((k) => `${JSON.stringify(k)}:{}`)
      .join(',')}}`;
  if (value instanceof Map) {
    const keys = [...value.keys()].sort(byBytes);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(value.get(k) ?? null)}`).join(',')}}`;
  }
  const fields = Object.entries(value).filter(([, v]) => v !== undefined) as [string, GoValue][];
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${encode(v)}`).join(',')}}`;
}

function sample(s: PodSample): GoValue {
  return { Timestamp: s.timestamp, Window: s.windowNs, Value: s.value };
}

function samples(info: Map<string, PodSample> | null): GoValue {
  return info === null ? null : new Map([...info].map(([k, v]) => [k, sample(v)]));
}

function podsBased(m: PodsBased, withRequests: boolean): GoValue {
  return {
    pod_metrics_info: samples(m.podMetricsInfo),
    requests: withRequests ? (m.requests ?? null) : undefined,
    ready_pod_count: m.readyPodCount,
    ignored_pods: m.ignoredPods,
    missing_pods: m.missingPods,
    total_pods: m.totalPods,
    timestamp: m.timestamp,
  };
}

function valueBased(m: ValueBased): GoValue {
  return {
    current: { value: m.current.value, average_value: m.current.averageValue },
    ready_pod_count: m.readyPodCount,
    timestamp: m.timestamp,
  };
}

/** One `k8smetric.Metric`. */
export function metricJson(m: K8sMetric): string {
  return encode({
    current_replicas: m.currentReplicas,
    spec: m.spec as unknown as GoValue,
    resource: m.resource && podsBased(m.resource, true),
    pods: m.pods && podsBased(m.pods, false),
    object: m.object && valueBased(m.object),
    external: m.external && valueBased(m.external),
  });
}

/** The `kubernetesMetrics` array, or undefined when nothing was gathered (the key is then omitted). */
export function kubernetesMetricsJson(metrics: readonly K8sMetric[] | undefined): string | undefined {
  if (metrics === undefined || metrics.length === 0) return undefined;
  return `[${metrics.map(metricJson).join(',')}]`;
}
