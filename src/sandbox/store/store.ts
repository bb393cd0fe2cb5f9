// The sandbox's etcd: objects by resource, namespace and name, one global resourceVersion counter that every
// write advances, and a bounded history of change events so that a watch can resume from a resourceVersion
// it saw in a list. Objects handed in are owned by the store and never mutated afterwards.
import { Interner } from './intern.ts';
import { metaOf, type Obj } from '../wire/json.ts';

/** A change, as a watch reports it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** resourceKey() of the object's resource. */
  resource: string;
  object: Obj;
  /** The object before a MODIFIED change (a watch with a selector needs to know whether it matched). */
  previous?: Obj;
  rv: number;
}

/** Serialised contents, for the state file. */
export interface StoreSnapshot {
  resourceVersion: number;
  objects: { resource: string; object: Obj }[];
}

/** How many events a watch can resume across (kube-apiserver's watch cache is of this order). */
export const HISTORY_SIZE = 1_000;

type Table = Map<string, Map<string, Obj>>;

/**
 * Rebuilds each part through a JSON round trip: V8 then lays objects out compactly (no spread-made property
 * arrays) with flat strings instead of chains of concatenations — a third less memory per pod. Frozen parts
 * are already shared (intern.ts) and kept as they are.
 */
function compact(object: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(object)) {
    const plain = typeof value === 'object' && value !== null && !Object.isFrozen(value);
    out[key] = plain ? (JSON.parse(JSON.stringify(value)) as unknown) : value;
  }
  return out;
}

/** Versioned object storage with change notification. */
export class Store {
  #rv: number;
  readonly #data = new Map<string, Table>();
  #history: StoreEvent[] = [];
  #historyStart = 0;
  /** Watches cannot resume from before this resourceVersion (set once the store is ready to serve). */
  #floor = 0;
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #interner = new Interner();

  readonly #compacted: ReadonlySet<string>;

  /** `compacted`: resources with many similar objects (pods, events), stored compactly and with shared parts. */
  constructor(initialRv = 1, compacted: Iterable<string> = []) {
    this.#rv = initialRv;
    this.#compacted = new Set(compacted);
  }

  /** The resourceVersion of the latest write. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** The stored object, or undefined. Namespace '' for cluster-scoped resources. */
  get(resource: string, namespace: string, name: string): Obj | undefined {
    return this.#data.get(resource)?.get(namespace)?.get(name);
  }

  /** Objects of a resource in one namespace (or all when `namespace` is undefined), ordered by namespace and name. */
  list(resource: string, namespace?: string): Obj[] {
    const table = this.#data.get(resource);
    if (table === undefined) return [];
    const spaces = namespace === undefined ? [...table.keys()].sort() : [namespace];
    const out: Obj[] = [];
    for (const ns of spaces) {
      const names = table.get(ns);
      if (names === undefined) continue;
      for (const name of [...names.keys()].sort()) out.push(names.get(name)!);
    }
    return out;
  }

  /** How many objects of a resource are stored (all namespaces). */
  count(resource: string): number {
    let n = 0;
    for (const names of this.#data.get(resource)?.values() ?? []) n += names.size;
    return n;
  }

  /** Stores `object` (created or replaced) under a new resourceVersion, which is written into its metadata. */
  put(resource: string, object: Obj): Obj {
    const meta = metaOf(object);
    const ns = meta.namespace ?? '';
    const name = meta.name ?? '';
    let table = this.#data.get(resource);
    if (table === undefined) this.#data.set(resource, (table = new Map()));
    let names = table.get(ns);
    if (names === undefined) table.set(ns, (names = new Map()));
    const previous = names.get(name);
    const rv = ++this.#rv;
    const fresh: Obj = { ...object, metadata: { ...meta, resourceVersion: String(rv) } };
    const stored = this.#compacted.has(resource) ? this.#interner.share(compact(fresh)) : fresh;
    names.set(name, stored);
    this.#emit(
      previous === undefined
        ? { type: 'ADDED', resource, object: stored, rv }
        : { type: 'MODIFIED', resource, object: stored, previous, rv },
    );
    return stored;
  }

  /** Removes an object; the DELETED event carries it with the deletion's resourceVersion. */
  remove(resource: string, namespace: string, name: string): Obj | undefined {
    const names = this.#data.get(resource)?.get(namespace);
    const old = names?.get(name);
    if (names === undefined || old === undefined) return undefined;
    names.delete(name);
    if (names.size === 0) this.#data.get(resource)?.delete(namespace);
    const rv = ++this.#rv;
    const object: Obj = { ...old, metadata: { ...metaOf(old), resourceVersion: String(rv) } };
    this.#emit({ type: 'DELETED', resource, object, rv });
    return object;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** From now on, watches may only resume from the current resourceVersion or later (as after a restart). */
  startHistory(): void {
    this.#floor = this.#rv;
    this.#history = [];
    this.#historyStart = 0;
  }

  /** Events after resourceVersion `rv`, or null when history no longer reaches back that far. */
  since(rv: number): StoreEvent[] | null {
    if (rv < this.#floor) return null;
    if (rv >= this.#rv) return [];
    const first = this.#history[this.#historyStart];
    if (first === undefined || first.rv > rv + 1) return null;
    const out: StoreEvent[] = [];
    for (let i = this.#historyStart; i < this.#history.length; i++) {
      const e = this.#history[i]!;
      if (e.rv > rv) out.push(e);
    }
    return out;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumable(): number {
    return Math.max(this.#floor, (this.#history[this.#historyStart]?.rv ?? this.#rv + 1) - 1);
  }

  /** Everything stored, for persistence. */
  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot['objects'] = [];
    for (const [resource, table] of this.#data)
      for (const names of table.values())
        for (const object of names.values()) objects.push({ resource, object });
    return { resourceVersion: this.#rv, objects };
  }

  /** Loads a snapshot into an empty store, without events (nobody watches yet). */
  restore(snapshot: StoreSnapshot): void {
    for (const { resource, object } of snapshot.objects) {
      const meta = metaOf(object);
      let table = this.#data.get(resource);
      if (table === undefined) this.#data.set(resource, (table = new Map()));
      let names = table.get(meta.namespace ?? '');
      if (names === undefined) table.set(meta.namespace ?? '', (names = new Map()));
      names.set(meta.name ?? '', object);
    }
    this.#rv = Math.max(this.#rv, snapshot.resourceVersion);
  }

  #emit(event: StoreEvent): void {
    this.#history.push(event);
    // Trim in batches so that a busy sandbox does not shift the array on every write.
    if (this.#history.length - this.#historyStart > HISTORY_SIZE) this.#historyStart += HISTORY_SIZE / 10;
    if (this.#historyStart >= HISTORY_SIZE) {
      this.#history = this.#history.slice(this.#historyStart);
      this.#historyStart = 0;
    }
    for (const listener of [...this.#listeners]) listener(event);
  }
}
