// Kubernetes objects as plain JSON, the shape every room of the sandbox passes around, and the small helpers
// that read, copy and compare them without trusting client data (own keys only, key order ignored).

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

/** The metadata of an object (an empty object when it has none). */
export function metaOf(obj: Obj): Meta {
  const meta = obj.metadata;
  return typeof meta === 'object' && meta !== null ? (meta as Meta) : {};
}

/** True for a plain JSON object (not null, not an array). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `key` as an own property. Client data may hold any key, `__proto__` included (JSON.parse makes it an
 * own key); a plain `obj[key] = value` would swap the object's prototype instead.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `obj[key]` when it is an own property; never an inherited one such as `__proto__` or `constructor`. */
export function getOwn(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
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
