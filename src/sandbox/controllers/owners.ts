// Small facts the controllers share: owner references, pod readiness, the pod-template-hash, and writing a
// status only when it changed (so that reconciling converges instead of looping on its own writes).
import type { StoreContext } from '../store/context.ts';
import { resourceKey, type ResourceDef } from '../store/registry.ts';
import type { Store } from '../store/store.ts';
import { canonicalJson, isMap, metaOf, sameJson, type Obj, type OwnerReference } from '../wire/json.ts';

/** The controller ownerReference pointing at `owner`. */
export function controllerRef(owner: Obj): OwnerReference {
  const meta = metaOf(owner);
  return {
    apiVersion: String(owner.apiVersion),
    kind: String(owner.kind),
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The uid of the object's controller, if it has one. */
export function controllerUid(obj: Obj): string | undefined {
  return metaOf(obj).ownerReferences?.find((r) => r.controller === true)?.uid;
}

/** The controller reference itself, if any. */
export function controllerOf(obj: Obj): OwnerReference | undefined {
  return metaOf(obj).ownerReferences?.find((r) => r.controller === true);
}

/** True when the Pod's Ready condition is True. */
export function podReady(pod: Obj): boolean {
  const conditions = isMap(pod.status) && Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  return conditions.some((c) => isMap(c) && c.type === 'Ready' && c.status === 'True');
}

/** When the Pod became Ready (ms), if it is. */
export function readySinceMs(pod: Obj): number | undefined {
  const conditions = isMap(pod.status) && Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  const ready = conditions.find((c) => isMap(c) && c.type === 'Ready' && c.status === 'True');
  return isMap(ready) && typeof ready.lastTransitionTime === 'string'
    ? Date.parse(ready.lastTransitionTime)
    : undefined;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a (32 bit) of a string's UTF-8 bytes. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The pod-template-hash label value: a hash of the template encoded like Kubernetes' SafeEncodeString. */
export function templateHash(template: unknown): string {
  return [...String(fnv32a(canonicalJson(template)))]
    .map((ch) => ALPHABET[ch.charCodeAt(0) % ALPHABET.length])
    .join('');
}

/** Stores `next` as the new version of `current` unless nothing changed; returns what is stored. */
export function writeIfChanged(ctx: StoreContext, def: ResourceDef, current: Obj, next: Obj): Obj {
  if (sameJson(current, next)) return current;
  return ctx.store.put(resourceKey(def), next);
}

/** Sets `status` on a copy of `obj`, keeping lastTransitionTime of conditions whose status did not change. */
export function withStatus(obj: Obj, status: Obj): Obj {
  const old = isMap(obj.status) ? obj.status : {};
  if (Array.isArray(status.conditions) && Array.isArray(old.conditions)) {
    status.conditions = status.conditions.map((c: Obj) => {
      const prev = (old.conditions as Obj[]).find((o) => o.type === c.type);
      if (prev === undefined) return c;
      const out = { ...c };
      if (prev.status === c.status && prev.lastTransitionTime !== undefined)
        out.lastTransitionTime = prev.lastTransitionTime;
      if (
        prev.status === c.status &&
        prev.reason === c.reason &&
        prev.message === c.message &&
        prev.lastUpdateTime !== undefined
      )
        out.lastUpdateTime = prev.lastUpdateTime;
      return out;
    });
  }
  return { ...obj, status };
}

/** Controlled objects by their controller's uid, kept current from the store's events (lists stay cheap). */
export class OwnerIndex {
  readonly #store: Store;
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #unsubscribe: () => void;

  constructor(store: Store, resources: readonly string[]) {
    this.#store = store;
    for (const resource of resources) for (const o of store.list(resource)) this.#add(resource, o);
    this.#unsubscribe = store.subscribe((e) => {
      if (!resources.includes(e.resource)) return;
      if (e.previous !== undefined) this.#remove(e.resource, e.previous);
      if (e.type === 'DELETED') this.#remove(e.resource, e.object);
      else this.#add(e.resource, e.object);
    });
  }

  /** Objects of `resource` in `namespace` controlled by the object with `uid`, ordered by name. */
  owned(resource: string, namespace: string, uid: string | undefined): Obj[] {
    const keys = uid === undefined ? undefined : this.#byOwner.get(uid);
    if (keys === undefined) return [];
    const out: Obj[] = [];
    for (const key of keys) {
      const [res, ns, name] = JSON.parse(key) as [string, string, string];
      const obj = res === resource && ns === namespace ? this.#store.get(res, ns, name) : undefined;
      if (obj !== undefined) out.push(obj);
    }
    return out.sort((a, b) => ((metaOf(a).name ?? '') < (metaOf(b).name ?? '') ? -1 : 1));
  }

  /** Stops following the store. */
  close(): void {
    this.#unsubscribe();
  }

  #key(resource: string, o: Obj): string {
    return JSON.stringify([resource, metaOf(o).namespace ?? '', metaOf(o).name ?? '']);
  }

  #add(resource: string, o: Obj): void {
    const uid = controllerUid(o);
    if (uid === undefined) return;
    let keys = this.#byOwner.get(uid);
    if (keys === undefined) this.#byOwner.set(uid, (keys = new Set()));
    keys.add(this.#key(resource, o));
  }

  #remove(resource: string, o: Obj): void {
    const uid = controllerUid(o);
    const keys = uid === undefined ? undefined : this.#byOwner.get(uid);
    if (keys === undefined || uid === undefined) return;
    keys.delete(this.#key(resource, o));
    if (keys.size === 0) this.#byOwner.delete(uid);
  }
}
