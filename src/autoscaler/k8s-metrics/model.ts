// What one gathering of Kubernetes metrics produced, in CPA's terms (k8shorizmetrics v3 metric structs,
// wrapped with `current_replicas`). Maps keyed by pod name and sets of pod names stay Map/Set here; the
// serialiser writes them the way Go marshals maps (sorted keys) and sets (objects of `{}`).
import type { MetricSpec } from './spec.ts';

/** podmetrics.Metric: one pod's sample. Go marshals it with its field names (no JSON tags). */
export interface PodSample {
  /** Already in Go's RFC3339Nano form (UTC). */
  timestamp: string;
  windowNs: number;
  /** Milli-units. */
  value: number;
}

/** resource.Metric and pods.Metric (which has no `requests`). `null` is Go's nil map/set. */
export interface PodsBased {
  podMetricsInfo: Map<string, PodSample> | null;
  requests?: Map<string, number> | null;
  readyPodCount: number;
  ignoredPods: Set<string> | null;
  missingPods: Set<string> | null;
  totalPods: number;
  timestamp: string;
}

/** object.Metric and external.Metric. */
export interface ValueBased {
  current: { value?: number; averageValue?: number };
  readyPodCount?: number;
  timestamp: string;
}

/** k8smetric.Metric: one successfully gathered spec. */
export interface K8sMetric {
  currentReplicas: number;
  spec: MetricSpec;
  resource?: PodsBased;
  pods?: PodsBased;
  object?: ValueBased;
  external?: ValueBased;
}
