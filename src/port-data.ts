// The data that crosses the ports: Kubernetes objects and calls as the cluster client carries them, and the
// requests and answers of a streaming HTTPS server. Types only, like src/ports.ts, which re-exports them so
// that code imports every port type from one place.

/** A request as a ServeStreams server read it off the socket, nothing interpreted yet. */
export interface RawHttpRequest {
  method: string;
  /** The request target exactly as sent, e.g. `/api/v1/pods?watch=1`. */
  target: string;
  /** Header names in lower case, repeated ones joined with `, `. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body; null when reading it failed or it was longer than `maxBodyBytes`. */
  body: Buffer | null;
}

/** Writes one chunk of a streamed answer. */
export type ChunkWriter = (chunk: string) => void;

/** An answer sent at once; the server adds Content-Length. */
export interface WholeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An answer sent in chunks (watch, log follow) until `run` resolves or `signal` aborts (client gone). */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  run(write: ChunkWriter, signal: AbortSignal): Promise<void>;
}

/** A Kubernetes object as JSON, exactly as the API server returned it. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  } & Record<string, unknown>;
};

/** A scale target resolved through discovery. */
export interface ResolvedTarget {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  kind: string;
  name: string;
  namespace: string;
  /** True when discovery lists `<resource>/scale`. */
  hasScale: boolean;
}

/** The scale subresource, reduced to what the decision needs. */
export interface Scale {
  replicas: number;
  /** `status.selector` (string form); '' when the workload has none. */
  selector: string;
  /** `status.replicas` as reported by the controller. */
  statusReplicas: number;
  resourceVersion: string;
}

/** What a Kubernetes call was doing, structured so messages and RBAC hints can be built from it. */
export interface KubeCall {
  /** RBAC verb: get, list, patch, update, create, delete. */
  verb: string;
  /** API group, '' for the core group. A raw path when the call is not on a resource (discovery). */
  group: string;
  /** Plural resource (`deployments`) or, for non-resource calls, the URL path. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}
