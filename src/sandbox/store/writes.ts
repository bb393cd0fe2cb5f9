// The two writes every writer shares — the API's handlers, the built-in controllers and manifest loading:
// create (the namespace must exist, the name must be free, the create strategy runs) and delete, which
// cascades to dependents at once, as the garbage collector's background propagation would shortly after.
import type { StoreContext } from './context.ts';
import { prepareCreate, subjectOf } from './objects.ts';
import { findKind, RESOURCES, resourceKey, type ResourceDef } from './registry.ts';
import { alreadyExists, badRequest, notFound } from '../wire/status.ts';
import { metaOf, type Obj } from '../wire/json.ts';

function requireNamespace(ctx: StoreContext, namespace: string): void {
  if (ctx.store.get('/namespaces', '', namespace) === undefined)
    throw notFound({ group: '', resource: 'namespaces', name: namespace });
}

/** Stores a new object; 409 when the name is taken. */
export function createObject(ctx: StoreContext, def: ResourceDef, namespace: string, body: Obj): Obj {
  if (def.namespaced) requireNamespace(ctx, namespace);
  const obj = prepareCreate(def, body, def.namespaced ? namespace : '', ctx.env);
  const name = metaOf(obj).name ?? '';
  if (ctx.store.get(resourceKey(def), def.namespaced ? namespace : '', name) !== undefined)
    throw alreadyExists(subjectOf(def, name));
  return ctx.store.put(resourceKey(def), obj);
}

/** Removes an object and, unless orphaned, everything it owns (recursively). */
export function deleteObject(
  ctx: StoreContext,
  def: ResourceDef,
  namespace: string,
  name: string,
  orphan = false,
): Obj {
  const removed = ctx.store.remove(resourceKey(def), namespace, name);
  if (removed === undefined) throw notFound(subjectOf(def, name));
  const uid = metaOf(removed).uid;
  if (def.kind === 'Namespace') {
    for (const r of RESOURCES)
      if (r.namespaced && !r.virtual)
        for (const o of ctx.store.list(resourceKey(r), name))
          ctx.store.remove(resourceKey(r), name, metaOf(o).name ?? '');
  } else if (uid !== undefined) {
    collectDependents(ctx, uid, namespace, orphan);
  }
  return removed;
}

function collectDependents(ctx: StoreContext, uid: string, namespace: string, orphan: boolean): void {
  for (const r of RESOURCES) {
    if (!r.namespaced || r.virtual) continue;
    for (const o of ctx.store.list(resourceKey(r), namespace)) {
      const refs = metaOf(o).ownerReferences ?? [];
      if (!refs.some((ref) => ref.uid === uid)) continue;
      if (orphan) {
        const rest = refs.filter((ref) => ref.uid !== uid);
        ctx.store.put(resourceKey(r), {
          ...o,
          metadata: { ...metaOf(o), ownerReferences: rest.length > 0 ? rest : undefined },
        });
      } else {
        deleteObject(ctx, r, namespace, metaOf(o).name ?? '');
      }
    }
  }
}

/** Loads a manifest object (from an example or state) through the same create path clients use. */
export function createFromManifest(ctx: StoreContext, manifest: Obj, namespace: string): Obj {
  const def = findKind(String(manifest.apiVersion ?? ''), String(manifest.kind ?? ''));
  if (def === undefined)
    throw badRequest(
      `no kind "${String(manifest.kind)}" is registered for version "${String(manifest.apiVersion)}"`,
    );
  const ns = def.namespaced ? (metaOf(manifest).namespace ?? namespace) : '';
  return createObject(ctx, def, ns, manifest);
}
