// The ports: every side effect the program has, as types only. Code above this layer talks to the world
// through them; src/adapters/ implements them and src/deps.ts wires the real ones, tests their own fakes.
// Nothing here runs: this file holds interfaces; the data they carry is in src/port-data.ts, the Kubernetes
// ports are in src/port-kube.ts (re-exported here).

import type { RawHttpRequest, WholeResponse, StreamResponse } from './port-data.ts';
import type { KubeOptions, KubeConnection } from './port-kube.ts';

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
export type {
  KubeRequest,
  KubeResponse,
  KubeRequester,
  StreamRequest,
  KubeStreamer,
  KubeClient,
  CustomMetricQuery,
  MetricsApi,
  CpaKubeClient,
  KubeOptions,
  KubeConnection,
} from './port-kube.ts';

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
