// POST, PUT, PATCH and DELETE on objects and their status: parse the body, apply the patch type the client
// named, run the strategy (metadata, precondition, defaults, validation) and store; creates and deletes go
// through store/writes.ts, which the controllers use too.
import { parse as parseYaml } from 'yaml';
import { json, type ApiContext } from './context.ts';
import { checkBodyReplicas, checkPatchedReplicas, convertPatchedReplicas } from '../wire/int32.ts';
import { checkPrecondition, prepareUpdate, subjectOf, timestamp } from '../store/objects.ts';
import { applyJsonPatch, applyMergePatch, PatchError } from '../wire/patch.ts';
import { resourceKey, type ResourceDef } from '../store/registry.ts';
import { createObject, deleteObject } from '../store/writes.ts';
import type { ResourceRoute } from './router.ts';
import { applyStrategicMergePatch } from '../wire/smp.ts';
import {
  ApiError,
  badRequest,
  notFound,
  patchRejected,
  patchTypeNotAccepted,
  unsupportedMediaType,
} from '../wire/status.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';
import type { WholeResponse } from '../wire/http.ts';

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

/** The JSON body of a create or update of `def`'s kind, decoded as kube-apiserver decodes it; 400 if it cannot be. */
export function decodeBody(text: string, def: { kind: string; version: string }): Obj {
  const body = parseBody(text, def.kind);
  checkBodyReplicas(def.kind, def.version, body);
  return body;
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

/**
 * A patched object as kube-apiserver's typed decoding leaves it (see wire/int32.ts): JSON and merge patches must
 * decode as they are; strategic merge and apply patches convert their numbers first.
 */
export function decodePatched(kind: string, type: PatchType, patched: Obj, text: string): Obj {
  if (type === 'json' || type === 'merge') {
    checkPatchedReplicas(kind, patched);
    return patched;
  }
  return convertPatchedReplicas(kind, patched, type === 'apply' ? parseYaml(text) : JSON.parse(text));
}

function current(ctx: ApiContext, route: ResourceRoute): Obj | undefined {
  return ctx.store.get(resourceKey(route.def), route.namespace ?? '', route.name ?? '');
}

/** POST to a collection. */
export function handleCreate(ctx: ApiContext, route: ResourceRoute, body: string): WholeResponse {
  return json(201, createObject(ctx, route.def, route.namespace ?? '', decodeBody(body, route.def)));
}

/** PUT of an object or its status. */
export function handleUpdate(ctx: ApiContext, route: ResourceRoute, body: string): WholeResponse {
  const old = current(ctx, route);
  if (old === undefined) throw notFound(subjectOf(route.def, route.name));
  const next = prepareUpdate(
    route.def,
    decodeBody(body, route.def),
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
    const created = decodePatched(route.def.kind, type, applied, body);
    return json(201, createObject(ctx, route.def, route.namespace ?? '', created));
  }
  // Apply configurations merge like a strategic patch; custom resources like a merge patch.
  const effective = type === 'apply' ? (route.def.custom ? 'merge' : 'strategic') : type;
  const merged = applyPatch(old, effective, type === 'apply' ? JSON.stringify(parseYaml(body)) : body);
  const patched = decodePatched(route.def.kind, type, merged, body);
  checkPrecondition(route.def, metaOf(patched).resourceVersion, old);
  const next = prepareUpdate(route.def, patched, old, route.subresource === 'status' ? 'status' : 'main');
  return json(200, ctx.store.put(resourceKey(route.def), next));
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
