// The scale subresource (autoscaling/v1 Scale) of every scalable kind: read from and written to the parent
// object through the registry's paths, with the parent's resourceVersion as the Scale's, so that a stale
// write is refused with 409 exactly like kube-apiserver does for kubectl-cpa's resourceVersion-guarded PATCH.
import { json, type ApiContext } from './context.ts';
import { checkPrecondition } from '../store/objects.ts';
import { resourceKey, type ResourceDef, type ScaleMapping } from '../store/registry.ts';
import { findObject } from './read.ts';
import type { ResourceRoute } from './router.ts';
import { labelSelectorString, mapSelectorString } from '../wire/selector.ts';
import { invalid, invalidValue, noSuchResource } from '../wire/status.ts';
import { clone, isMap, metaOf, type Obj } from '../wire/json.ts';
import type { WholeResponse } from '../wire/http.ts';
import { applyPatch, decodeBody, decodePatched, patchTypeOf } from './write.ts';

function at(obj: unknown, path: readonly string[]): unknown {
  let node = obj;
  for (const p of path) node = isMap(node) ? node[p] : undefined;
  return node;
}

function selectorText(mapping: ScaleMapping, obj: Obj): string {
  const value = at(obj, mapping.selectorPath);
  if (mapping.selectorForm === 'string') return typeof value === 'string' ? value : '';
  return mapping.selectorForm === 'map' ? mapSelectorString(value) : labelSelectorString(value);
}

function mappingOf(def: ResourceDef): ScaleMapping {
  if (def.scale === undefined) throw noSuchResource();
  return def.scale;
}

/** The Scale of a parent object; zero spec replicas and an empty selector are omitted, as Go's omitempty does. */
export function scaleOf(def: ResourceDef, obj: Obj): Obj {
  const mapping = mappingOf(def);
  const meta = metaOf(obj);
  const specReplicas = at(obj, mapping.specReplicasPath);
  const statusReplicas = at(obj, mapping.statusReplicasPath);
  const selector = selectorText(mapping, obj);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: typeof specReplicas === 'number' && specReplicas !== 0 ? { replicas: specReplicas } : {},
    status: {
      replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
      ...(selector === '' ? {} : { selector }),
    },
  };
}

function setAt(obj: Obj, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = obj;
  for (const p of path.slice(0, -1)) {
    if (!isMap(node[p])) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Writes a client's new Scale into the parent: 422 for bad replicas, 409 for a stale resourceVersion. */
function writeScale(ctx: ApiContext, route: ResourceRoute, parent: Obj, scale: Obj): WholeResponse {
  const { def } = route;
  const name = metaOf(parent).name ?? '';
  const replicas = at(scale, ['spec', 'replicas']) ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas))
    throw invalid('Scale', 'autoscaling', name, [
      invalidValue('spec.replicas', replicas, 'must be an integer'),
    ]);
  if (replicas < 0)
    throw invalid('Scale', 'autoscaling', name, [
      invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'),
    ]);
  checkPrecondition(def, metaOf(scale).resourceVersion, parent);
  const mapping = mappingOf(def);
  if (at(parent, mapping.specReplicasPath) === replicas) return json(200, scaleOf(def, parent));
  const next = clone(parent);
  setAt(next, mapping.specReplicasPath, replicas);
  const meta = metaOf(next);
  if (meta.generation !== undefined) next.metadata = { ...meta, generation: meta.generation + 1 };
  return json(200, scaleOf(def, ctx.store.put(resourceKey(def), next)));
}

/** What a Scale body decodes as (autoscaling/v1). */
const SCALE = { kind: 'Scale', version: 'v1' };

function patchScale(
  current: Obj,
  route: ResourceRoute,
  request: { contentType: string | undefined; body: string },
): Obj {
  // A Scale is a built-in type even when its parent is a custom resource: strategic merge applies.
  const type = patchTypeOf(request.contentType, { ...route.def, custom: false });
  return decodePatched('Scale', type, applyPatch(current, type, request.body), request.body);
}

/** GET, PUT or PATCH of `…/{name}/scale`. */
export function handleScale(
  ctx: ApiContext,
  route: ResourceRoute,
  request: { contentType: string | undefined; body: string },
): WholeResponse {
  mappingOf(route.def);
  const parent = findObject(ctx, route);
  const current = scaleOf(route.def, parent);
  if (route.verb === 'get') return json(200, current);
  const scale =
    route.verb === 'update' ? decodeBody(request.body, SCALE) : patchScale(current, route, request);
  if (metaOf(scale).name !== undefined && metaOf(scale).name !== metaOf(parent).name)
    throw invalid('Scale', 'autoscaling', metaOf(parent).name ?? '', [
      invalidValue('metadata.name', metaOf(scale).name, 'must match the name of the scaled object'),
    ]);
  return writeScale(ctx, route, parent, scale);
}
