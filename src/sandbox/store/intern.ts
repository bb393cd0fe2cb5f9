// Structural sharing for stored objects: thousands of pods made from one template carry equal specs,
// labels and owner references, so the store keeps one frozen copy of each distinct value instead of one
// per pod. Safe because stored objects are never mutated (every write builds new objects); freezing makes
// an accidental mutation fail loudly instead of corrupting other objects.
import { createHash } from 'node:crypto';
import { canonicalJson, isMap } from '../wire/json.ts';

/**
 * What is shared: whole top-level parts, or some keys of a part. Pods of one template share spec, labels and
 * owner references; pods started in the same second share their conditions; a controller's events about one
 * object share involvedObject and source.
 */
const SHARED: readonly [string, readonly string[] | undefined][] = [
  ['spec', undefined],
  ['involvedObject', undefined],
  ['source', undefined],
  ['metadata', ['labels', 'annotations', 'ownerReferences']],
  ['status', ['conditions', 'hostIPs']],
];

/** Distinct values remembered; beyond this the table starts over (sharing is an optimisation only). */
const CAPACITY = 20_000;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Keys whose string values repeat across many objects (one kind, one node, one second, one image...). */
const REPEATED_STRINGS = new Set([
  'kind',
  'apiVersion',
  'namespace',
  'generateName',
  'creationTimestamp',
  'phase',
  'qosClass',
  'hostIP',
  'startTime',
  'startedAt',
  'image',
  'imageID',
  'type',
  'reason',
  'firstTimestamp',
  'lastTimestamp',
  'reportingComponent',
]);

/** Hands out one shared, frozen instance per distinct JSON value. */
export class Interner {
  #table = new Map<string, unknown>();
  #strings = new Map<string, string>();

  /** Replaces repeated string values (see REPEATED_STRINGS) in the unshared parts of `node` by one instance. */
  #shareStrings(node: unknown): void {
    if (typeof node !== 'object' || node === null || Object.isFrozen(node)) return;
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      if (typeof value === 'string') {
        if (!REPEATED_STRINGS.has(key) || value.length > 120) continue;
        const known = this.#strings.get(value);
        if (known !== undefined) obj[key] = known;
        else {
          if (this.#strings.size >= CAPACITY) this.#strings = new Map();
          this.#strings.set(value, value);
        }
      } else this.#shareStrings(value);
    }
  }

  /** `value` itself (frozen) the first time, the earlier equal instance afterwards. */
  intern<T>(value: T): T {
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
    const text = canonicalJson(value);
    // A digest keeps the table small; a hit is confirmed against the full text, so a collision only costs sharing.
    const key = createHash('sha1').update(text).digest('base64');
    const known = this.#table.get(key);
    if (known !== undefined && canonicalJson(known) === text) return known as T;
    if (this.#table.size >= CAPACITY) this.#table = new Map();
    this.#table.set(key, deepFreeze(value));
    return value;
  }

  /** A copy of `obj` whose commonly repeated parts are interned (see SHARED). */
  share(obj: Record<string, unknown>): Record<string, unknown> {
    const out = { ...obj };
    for (const [part, keys] of SHARED) {
      if (keys === undefined) {
        if (isMap(out[part])) out[part] = this.intern(out[part]);
        continue;
      }
      const inner = out[part];
      if (!isMap(inner)) continue;
      const copy = { ...inner };
      for (const key of keys) if (copy[key] !== undefined) copy[key] = this.intern(copy[key]);
      out[part] = copy;
    }
    this.#shareStrings(out);
    return out;
  }
}
