// `?dryRun=All`: the request runs through every step (defaults, validation, preconditions, cascades) against
// a view of the store that takes writes into an overlay and forgets them afterwards — nothing is persisted
// and no watcher or controller sees anything, as with kube-apiserver's server-side dry run.
import { badRequest } from '../wire/status.ts';
import { Store } from './store.ts';
import { metaOf, type Obj } from '../wire/json.ts';

const key = (resource: string, namespace: string, name: string): string =>
  JSON.stringify([resource, namespace, name]);

/** A store view whose writes stay in memory for one request. */
export class DryRunStore extends Store {
  readonly #base: Store;
  /** Written objects, or null for deleted ones. */
  readonly #overlay = new Map<string, Obj | null>();

  constructor(base: Store) {
    super(base.resourceVersion);
    this.#base = base;
  }

  override get resourceVersion(): number {
    return this.#base.resourceVersion;
  }

  override get(resource: string, namespace: string, name: string): Obj | undefined {
    const own = this.#overlay.get(key(resource, namespace, name));
    return own === null ? undefined : (own ?? this.#base.get(resource, namespace, name));
  }

  override list(resource: string, namespace?: string): Obj[] {
    return this.#base
      .list(resource, namespace)
      .filter(
        (o) => this.#overlay.get(key(resource, metaOf(o).namespace ?? '', metaOf(o).name ?? '')) !== null,
      );
  }

  /** Keeps the object (its resourceVersion unchanged, as a dry run assigns none). */
  override put(resource: string, object: Obj): Obj {
    const meta = metaOf(object);
    this.#overlay.set(key(resource, meta.namespace ?? '', meta.name ?? ''), object);
    return object;
  }

  override remove(resource: string, namespace: string, name: string): Obj | undefined {
    const old = this.get(resource, namespace, name);
    if (old !== undefined) this.#overlay.set(key(resource, namespace, name), null);
    return old;
  }
}

/** True for `dryRun=All`; 400 for any other value, as kube-apiserver answers. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  throw badRequest(`Invalid dry run value: ${values.join(', ')}`);
}
