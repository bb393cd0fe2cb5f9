// The ports: every side effect the program has, as types only. Code above this layer talks to the world
// through them; src/adapters/ implements them and src/deps.ts wires the real ones, tests their own fakes.
// Nothing here runs: this file holds interfaces; the data they carry is in src/port-data.ts.

import type {
  RawHttpRequest,
  WholeResponse,
  StreamResponse,
  KubeObject,
  ResolvedTarget,
  Scale,
  KubeCall,
} from './port-data.ts';

export type {
  RawHttpRequest,
  ChunkWriter,
  WholeResponse,
  StreamResponse,
  KubeObject,
  ResolvedTarget,
  Scale,
  KubeCall,
} from './port-data.ts';

/** Time, injectable so that loops and stabilisation are testable. */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A text stream: stdout for data, stderr for conversation. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Files, read-only: configuration, Dockerfiles, certificates, kubeconfigs. */
export interface Files {
  /**
   * Resolves the text, or null when the file does not exist. A directory, an unreadable file or one over
   * `maxBytes` (default 1 MiB) rejects with a CpaError that names the file.
   */
  readText(path: string, maxBytes?: number): Promise<string | null>;
  /** True when a regular file exists at `path`. */
  exists(path: string): Promise<boolean>;
  /**
   * Names of the directories directly inside `path`, sorted; null when `path` is not a directory
   * (`run --all PARENT`). Optional so that fakes without directories need not implement it.
   */
  listDirs?(path: string): Promise<string[] | null>;
  /**
   * The regular files under `dir`, recursively (symbolic links followed, dot-files and dot-directories
   * skipped), as sorted `/`-separated relative paths with their sizes (`deploy`). Rejects with a CpaError
   * naming `dir` when it is not a readable directory. Optional like listDirs.
   */
  listTree?(dir: string): Promise<{ path: string; size: number }[]>;
  /** The bytes of a file of at most `maxBytes`; rejects with a CpaError naming the file otherwise. */
  readBytes?(path: string, maxBytes: number): Promise<Buffer>;
}

/** Files a command writes: scratch space (the demo's example project) and files it keeps (sandbox state). */
export interface Scratch {
  /** Creates a fresh private directory under the system temp dir. */
  makeDir(prefix: string): Promise<string>;
  /** Writes a file (mode 0600), creating its parent directories. */
  writeText(path: string, text: string): Promise<void>;
  /** As writeText, but via a temporary file and a rename: a crash never leaves half a file behind. */
  writeAtomic(path: string, text: string): Promise<void>;
  /** Removes a file or directory tree; a missing path is not an error. */
  remove(path: string): Promise<void>;
  /** The names in a directory (`init` refuses a non-empty one); null when it does not exist. */
  listDir(path: string): Promise<string[] | null>;
}

/** A request to the REST API, already read. */
export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Request headers, names in lower case (repeated ones joined as Node joins them). */
  headers: Readonly<Record<string, string | undefined>>;
  /** Aborts when the client goes away before its answer is sent. */
  signal?: AbortSignal;
}

/** A response of the REST API. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A listening HTTP(S) server. */
export interface ServerHandle {
  /** `host:port` actually bound (port 0 resolves to the real port). */
  readonly address: string;
  close(): Promise<void>;
}

/** Starts an HTTP(S) server on host:port that answers through `handle`. Rejects when it cannot listen. */
export type ServeHttp = (options: {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  handle: (request: ApiRequest) => Promise<ApiResponse>;
}) => Promise<ServerHandle>;

/** A listening ServeStreams server. */
export interface StreamServerHandle extends ServerHandle {
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting, aborts open streams and cuts every connection. */
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on host:port that reads each request whole and answers through `handle`, at once
 * or streamed. A request whose handling fails is reported to `onError`, whose answer that client gets
 * when nothing was sent to it yet (else its connection is cut); serving goes on. Rejects with a CpaError
 * when it cannot listen.
 */
export type ServeStreams = (options: {
  host: string;
  port: number;
  tls: { cert: string; key: string };
  maxBodyBytes: number;
  handle: (request: RawHttpRequest) => Promise<WholeResponse | StreamResponse>;
  onError: (error: unknown) => WholeResponse;
}) => Promise<StreamServerHandle>;

/** What a process runner reports about one finished (or abandoned) process. */
export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number; stdout: Buffer; stderr: Buffer; durationMs: number }
  | { kind: 'signaled'; signal: string; stdout: Buffer; stderr: Buffer; durationMs: number }
  | { kind: 'timeout'; stdout: Buffer; stderr: Buffer; durationMs: number }
  | {
      kind: 'output-limit';
      stream: 'stdout' | 'stderr';
      limitBytes: number;
      stderr: Buffer;
      durationMs: number;
    }
  | { kind: 'start-failed'; message: string; durationMs: number }
  | { kind: 'aborted'; durationMs: number };

/** How to start one process. The runner kills its whole process group once it ends, times out or is aborted. */
export interface ProcessSpec {
  file: string;
  args: string[];
  cwd: string;
  stdin: string;
  timeoutMs: number;
  maxOutputBytes: number;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** Starts a process and resolves when it and its process group are gone. Never rejects. */
export type ProcessRunner = (spec: ProcessSpec) => Promise<ProcessOutcome>;

/** One HTTP request of an `http` method. TLS material is PEM text already read from the files. */
export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  ca?: string;
  cert?: string;
  key?: string;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

/** What came back, or why nothing did. Never rejects. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: Buffer; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'body-limit'; status: number; limitBytes: number; durationMs: number }
  | { kind: 'error'; message: string; durationMs: number }
  | { kind: 'aborted'; durationMs: number };

/** Performs one HTTP request. Never rejects. */
export type HttpRequester = (spec: HttpRequestSpec) => Promise<HttpOutcome>;

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

/** Every side effect in one object. cmd/kubectl-cpa.ts builds the real one; tests build it from fakes. */
export interface Deps {
  clock: Clock;
  /** The process environment (config overrides, hook environment, KUBECONFIG). */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out: Output;
  err: Output;
  files: Files;
  scratch: Scratch;
  runProcess: ProcessRunner;
  httpRequest: HttpRequester;
  serveHttp: ServeHttp;
  serveStreams: ServeStreams;
  /** Builds a client for the cluster chosen like kubectl would (flags, KUBECONFIG, in-cluster). */
  connectKube(options: KubeOptions): Promise<KubeConnection>;
  /** Registers a handler for SIGINT/SIGTERM; returns a function that unregisters it. */
  onShutdownSignal(handler: (signal: string) => void): () => void;
  /** Identity of this runner, recorded with decisions. */
  host: { hostname: string; pid: number; node: string };
  version: string;
}
