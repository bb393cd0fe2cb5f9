// POST, PUT, PATCH and DELETE on objects and their status: parse the body, apply the patch type the client
// named, run the strategy (metadata, precondition, defaults, validation) and store. Deleting cascades to
// dependents at once, as the garbage collector's background propagation would shortly after.
import { parse as parseYaml } from 'yaml';
import { json, type ApiContext } from './context.ts';
import { checkPrecondition, prepareCreate, prepareUpdate, subjectOf, timestamp } from './objects.ts';
import { applyJsonPatch, applyMergePatch, PatchError } from './patch.ts';
import { findKind, RESOURCES, resourceKey, type ResourceDef } from './registry.ts';
import type { ResourceRoute } from './router.ts';
import { applyStrategicMergePatch } from './smp.ts';
import {
  alreadyExists,
  ApiError,
  badRequest,
  notFound,
  patchRejected,
  patchTypeNotAccepted,
  unsupportedMediaType,
} from './status.ts';
import { isMap, metaOf, type Obj, type WholeResponse } from './types.ts';

/** The patch types kube-apiserver accepts, by Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** The patch type of a Content-Type header; 415 when it is not one. */
export function patchTypeOf(contentType: string | undefined, def: ResourceDef): PatchType {
  const type = PATCH_TYPES[(contentType ?? '').split(';')[0]!.trim().toLowerCase()];
  if (type === undefined) throw unsupportedMediaType();
  // Custom resources have no Go struct to read merge keys from: kube-apiserver refuses strategic merge.
  if (type === 'strategic' && def.custom)
    throw patchTypeNotAccepted([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ]);
  return type;
}

/** The JSON body of a create or update; 400 when it is not an object. */
export function parseBody(text: string, kind: string): Obj {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw badRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${why}`,
    );
  }
  if (!isMap(value))
    throw badRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind`,
    );
  return value;
}

/** Applies a patch of `type` (body text) to `doc`; bad documents are 400, inapplicable operations 422. */
export function applyPatch(doc: Obj, type: PatchType, text: string): Obj {
  let patch: unknown;
  try {
    patch = type === 'apply' ? parseYaml(text) : JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BadRequest', 'invalid JSON patch');
  }
  try {
    if (type === 'json') return applyJsonPatch(doc, patch) as Obj;
    if (type === 'merge') return applyMergePatch(doc, patch) as Obj;
    return applyStrategicMergePatch(doc, patch) as Obj;
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    if (err.badDocument) throw new ApiError(400, 'BadRequest', 'invalid JSON patch');
    throw patchRejected();
  }
}

function requireNamespace(ctx: ApiContext, namespace: string): void {
  if (ctx.store.get('/namespaces', '', namespace) === undefined)
    throw notFound({ group: '', resource: 'namespaces', name: namespace });
}

/** Stores a new object; 409 when the name is taken. */
export function createObject(ctx: ApiContext, def: ResourceDef, namespace: string, body: Obj): Obj {
  if (def.namespaced) requireNamespace(ctx, namespace);
  const obj = prepareCreate(def, body, def.namespaced ? namespace : '', ctx.env);
  const name = metaOf(obj).name ?? '';
  if (ctx.store.get(resourceKey(def), def.namespaced ? namespace : '', name) !== undefined)
    throw alreadyExists(subjectOf(def, name));
  return ctx.store.put(resourceKey(def), obj);
}

function current(ctx: ApiContext, route: ResourceRoute): Obj | undefined {
  return ctx.store.get(resourceKey(route.def), route.namespace ?? '', route.name ?? '');
}

/** POST to a collection. */
export function handleCreate(ctx: ApiContext, route: ResourceRoute, body: string): WholeResponse {
  return json(201, createObject(ctx, route.def, route.namespace ?? '', parseBody(body, route.def.kind)));
}

/** PUT of an object or its status. */
export function handleUpdate(ctx: ApiContext, route: ResourceRoute, body: string): WholeResponse {
  const old = current(ctx, route);
  if (old === undefined) throw notFound(subjectOf(route.def, route.name));
  const next = prepareUpdate(
    route.def,
    parseBody(body, route.def.kind),
    old,
    route.subresource === 'status' ? 'status' : 'main',
  );
  return json(200, ctx.store.put(resourceKey(route.def), next));
}

/** PATCH of an object or its status; server-side apply creates a missing object. */
export function handlePatch(
  ctx: ApiContext,
  route: ResourceRoute,
  contentType: string | undefined,
  body: string,
): WholeResponse {
  const type = patchTypeOf(contentType, route.def);
  const old = current(ctx, route);
  if (old === undefined) {
    if (type !== 'apply' || route.subresource !== undefined) throw notFound(subjectOf(route.def, route.name));
    const applied = applyPatch({}, 'merge', JSON.stringify(parseYaml(body)));
    return json(201, createObject(ctx, route.def, route.namespace ?? '', applied));
  }
  // Apply configurations merge like a strategic patch; custom resources like a merge patch.
  const effective = type === 'apply' ? (route.def.custom ? 'merge' : 'strategic') : type;
  const patched = applyPatch(old, effective, type === 'apply' ? JSON.stringify(parseYaml(body)) : body);
  checkPrecondition(route.def, metaOf(patched).resourceVersion, old);
  const next = prepareUpdate(route.def, patched, old, route.subresource === 'status' ? 'status' : 'main');
  return json(200, ctx.store.put(resourceKey(route.def), next));
}

/** Removes an object and, unless orphaned, everything it owns (recursively). */
export function deleteObject(
  ctx: ApiContext,
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

function collectDependents(ctx: ApiContext, uid: string, namespace: string, orphan: boolean): void {
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

function deleteOptions(body: string, query: URLSearchParams): { orphan: boolean; rv?: string } {
  const opts = body.trim() === '' ? {} : parseBody(body, 'DeleteOptions');
  const policy =
    query.get('propagationPolicy') ??
    (typeof opts.propagationPolicy === 'string' ? opts.propagationPolicy : '');
  const pre = isMap(opts.preconditions) ? opts.preconditions.resourceVersion : undefined;
  return {
    orphan: policy === 'Orphan' || opts.orphanDependents === true,
    rv: typeof pre === 'string' ? pre : undefined,
  };
}

/** DELETE of one object: pods answer with the object (graceful deletion), the rest with a Success Status. */
export function handleDelete(
  ctx: ApiContext,
  route: ResourceRoute,
  body: string,
  query: URLSearchParams,
): WholeResponse {
  const { def } = route;
  const old = current(ctx, route);
  if (old === undefined) throw notFound(subjectOf(def, route.name));
  const opts = deleteOptions(body, query);
  checkPrecondition(def, opts.rv, old);
  const removed = deleteObject(ctx, def, route.namespace ?? '', route.name ?? '', opts.orphan);
  if (def.kind === 'Pod' || def.kind === 'Namespace') {
    const now = timestamp(ctx.env.nowMs());
    const meta = { ...metaOf(removed), deletionTimestamp: now, deletionGracePeriodSeconds: 0 };
    return json(
      200,
      def.kind === 'Namespace'
        ? { ...removed, metadata: meta, status: { phase: 'Terminating' } }
        : { ...removed, metadata: meta },
    );
  }
  const details: Obj = {
    name: route.name,
    ...(def.group === '' ? {} : { group: def.group }),
    kind: def.plural,
    uid: metaOf(removed).uid,
  };
  return json(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

/** DELETE of a collection (with selectors): answers the list of what was removed. */
export function handleDeleteCollection(
  ctx: ApiContext,
  route: ResourceRoute,
  keep: (o: Obj) => boolean,
): WholeResponse {
  const { def } = route;
  const victims = ctx.store.list(resourceKey(def), route.namespace).filter(keep);
  for (const o of victims) deleteObject(ctx, def, metaOf(o).namespace ?? '', metaOf(o).name ?? '');
  const apiVersion = def.group === '' ? def.version : `${def.group}/${def.version}`;
  return json(200, {
    kind: def.listKind,
    apiVersion,
    metadata: { resourceVersion: String(ctx.store.resourceVersion) },
    items: victims,
  });
}

/** Loads a manifest object (from an example or state) through the same create path clients use. */
export function createFromManifest(ctx: ApiContext, manifest: Obj, namespace: string): Obj {
  const def = findKind(String(manifest.apiVersion ?? ''), String(manifest.kind ?? ''));
  if (def === undefined)
    throw badRequest(
      `no kind "${String(manifest.kind)}" is registered for version "${String(manifest.apiVersion)}"`,
    );
  const ns = def.namespaced ? (metaOf(manifest).namespace ?? namespace) : '';
  return createObject(ctx, def, ns, manifest);
}
