// The shapes shared by the sandbox's modules: stored objects, requests and responses of the embedded API,
// and the few side effects (time, timers, randomness) the core receives instead of reaching for them.

/** A Kubernetes object as JSON. Stored objects are never mutated: every write stores a fresh copy. */
export type Obj = Record<string, unknown>;

/** The metadata fields the sandbox reads and writes. */
export interface Meta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** metadata.ownerReferences[] */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Cancels a timer set with SandboxEnv.after. */
export type Cancel = () => void;

/** Time, timers and randomness: real ones in server.ts, deterministic ones in tests. */
export interface SandboxEnv {
  nowMs(): number;
  /** Runs `fn` once after `ms` (0 = as soon as the current work is done). */
  after(ms: number, fn: () => void): Cancel;
  /** A random RFC 4122 UUID (object uids). */
  uuid(): string;
  /** `n` random characters from Kubernetes' name alphabet (`bcdfghjklmnpqrstvwxz2456789`). */
  suffix(n: number): string;
}

/** An HTTP request to the embedded API, already read (headers lower-cased). */
export interface SandboxRequest {
  method: string;
  /** Percent-decoded path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  /** The request body as text ('' when there is none). */
  body: string;
  /** The body's bytes, for binary (protobuf) bodies; absent when `body` says it all. */
  bytes?: Buffer;
}

/** Writes one chunk of a streamed answer. */
export type ChunkWriter = (chunk: string) => void;

/** An answer sent at once. */
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

/** What the embedded API answers. */
export type SandboxResponse = WholeResponse | StreamResponse;

/** True for a streamed response. */
export function isStream(response: SandboxResponse): response is StreamResponse {
  return 'run' in response;
}

/** The metadata of an object (an empty object when it has none). */
export function metaOf(obj: Obj): Meta {
  const meta = obj.metadata;
  return typeof meta === 'object' && meta !== null ? (meta as Meta) : {};
}

/** True for a plain JSON object (not null, not an array). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON data. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** JSON text with object keys sorted, so that equal data compares equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isMap(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** True when two JSON values are equal (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
