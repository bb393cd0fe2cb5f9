// The Kubernetes ports: the raw API calls, the operations of a cycle and the connection, as types only
// (src/ports.ts re-exports them; src/adapters/ implements them).
import type { KubeCall, KubeObject, ResolvedTarget, Scale } from './port-data.ts';

/** One call to the API server. */
export interface KubeRequest {
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute API path, e.g. `/apis/apps/v1/namespaces/x/deployments/web/scale`. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** What the call does, for error messages; without it errors name the path. */
  call?: KubeCall;
}

/** A successful (2xx) answer; `body` is the parsed JSON, or null when empty. */
export interface KubeResponse {
  status: number;
  body: unknown;
}

/** Sends one request; throws KubeError for a non-2xx answer or when the server cannot be reached. */
export type KubeRequester = (request: KubeRequest) => Promise<KubeResponse>;

/** One streaming GET. */
export interface StreamRequest {
  /** Absolute API path, e.g. `/api/v1/namespaces/ns/pods/web/log`. */
  path: string;
  query?: Record<string, string>;
  /** Aborting ends the stream; the iteration then simply finishes. */
  signal?: AbortSignal;
  /** What the call does, for error messages. */
  call?: KubeCall;
}

/**
 * Opens a stream: resolves with the body's chunks once a 2xx answer starts, rejects with KubeError for a
 * non-2xx answer (built from its Status body) or when the server cannot be reached. A connection that
 * breaks mid-body makes the iteration throw a KubeError.
 */
export type KubeStreamer = (request: StreamRequest) => Promise<AsyncIterable<Buffer>>;

/** Kubernetes operations of one autoscaling cycle. Methods throw KubeError. */
export interface KubeClient {
  /** Finds the plural resource for apiVersion+kind through discovery (cached). */
  resolveTarget(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget>;
  getObject(target: ResolvedTarget): Promise<KubeObject>;
  getScale(target: ResolvedTarget): Promise<Scale>;
  /** JSON-patches `/spec/replicas`; with `resourceVersion` the write fails with 409 if the target changed. */
  patchScale(target: ResolvedTarget, replicas: number, resourceVersion?: string): Promise<Scale>;
  listPods(namespace: string, labelSelector: string): Promise<KubeObject[]>;
  /** The aggregated metrics APIs (kubernetesMetricSpecs); absent on clients that cannot reach them. */
  metrics?: MetricsApi;
}

/** One read of custom.metrics.k8s.io/v1beta2: a namespace's metric (no `object`), or objects' metric. */
export interface CustomMetricQuery {
  namespace: string;
  /** `resource` is `pods` or `deployments.apps` (kubectl's plural.group); `name` may be `*` (all objects). */
  object?: { resource: string; name: string };
  metric: string;
  /** Which objects (`name` `*` only). */
  labelSelector?: string;
  /** Which series of the metric. */
  metricLabelSelector: string;
}

/** Reads of the metrics APIs behind kube-apiserver's aggregator; raw bodies, throwing KubeError. */
export interface MetricsApi {
  /** metrics.k8s.io/v1beta1 PodMetricsList of the pods matching `labelSelector`. */
  listPodMetrics(namespace: string, labelSelector: string): Promise<unknown>;
  /** custom.metrics.k8s.io/v1beta2 MetricValueList. */
  getCustomMetric(query: CustomMetricQuery): Promise<unknown>;
  /** external.metrics.k8s.io/v1beta1 ExternalMetricValueList. */
  listExternalMetric(namespace: string, metric: string, labelSelector: string): Promise<unknown>;
}

/** KubeClient plus what the CLI needs around it: kubectl-word lookup for `--target`, and socket cleanup. */
export interface CpaKubeClient extends KubeClient {
  /** apiVersion+kind for a kubectl resource word (`rollouts`, `ro`), searching preferred versions. */
  lookupResource(
    word: string,
    restrict?: { group?: string; version?: string },
  ): Promise<{ apiVersion: string; kind: string }>;
  /** Drops idle keep-alive sockets so the process can exit. */
  close(): void;
  /** The JSON transport underneath, for API calls outside the cycle (status, events, annotations). */
  request: KubeRequester;
  /** Streaming GET (pod logs); absent on clients built over a bare requester. */
  stream?: KubeStreamer;
}

/** How to reach a cluster, like kubectl's flags. */
export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** How long one API call may take (Retry-After waits included); default the transport's 30 s guard. */
  requestTimeoutMs?: number;
}

/** A connected cluster: the client and where it points, for messages. */
export interface KubeConnection {
  client: CpaKubeClient;
  context: string;
  namespace: string;
  server: string;
}
