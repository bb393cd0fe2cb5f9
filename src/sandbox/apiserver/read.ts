// GET of one object and of collections: namespace scoping, label and field selectors, limit/continue paging,
// and the Table form kubectl asks for. Lists carry the store's current resourceVersion, which a watch can
// start from.
import { json, type ApiContext } from './context.ts';
import { subjectOf } from '../store/objects.ts';
import { resourceKey, type ResourceDef } from '../store/registry.ts';
import type { ResourceRoute } from './router.ts';
import { fieldsMatch, matches, parseFieldSelector, parseLabelSelector } from '../wire/selector.ts';
import { badRequest, notFound } from '../wire/status.ts';
import { tableOf, wantsTable } from '../wire/table.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';
import type { WholeResponse } from '../wire/http.ts';

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const EXTRA_FIELDS: Readonly<Record<string, string[]>> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Namespace: ['status.phase'],
};

/** The value of a dotted field path as a string ('' when absent), as field selectors compare it. */
function readField(obj: Obj, field: string): string {
  let node: unknown = obj;
  const path = field === 'source' ? ['source', 'component'] : field.split('.');
  for (const part of path) node = isMap(node) ? node[part] : undefined;
  return node === undefined || node === null ? '' : String(node);
}

/** The filter a list or watch applies: namespace, `labelSelector` and `fieldSelector` from the query. */
export function objectFilter(
  def: ResourceDef,
  namespace: string | undefined,
  query: URLSearchParams,
): (obj: Obj) => boolean {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', [
    ...COMMON_FIELDS,
    ...(EXTRA_FIELDS[def.kind] ?? []),
  ]);
  return (obj) => {
    const meta = metaOf(obj);
    if (namespace !== undefined && meta.namespace !== namespace) return false;
    return matches(labels, meta.labels) && fieldsMatch(fields, (f) => readField(obj, f));
  };
}

/** Every object of the route's resource in its namespace (or all), stored or computed. */
function source(ctx: ApiContext, def: ResourceDef, namespace: string | undefined): Obj[] {
  return def.virtual ? ctx.virtual.list(def, namespace) : ctx.store.list(resourceKey(def), namespace);
}

/** The stored object a route names; 404 when absent. */
export function findObject(ctx: ApiContext, route: ResourceRoute): Obj {
  const { def, namespace, name } = route;
  const found = def.virtual
    ? ctx.virtual.list(def, namespace).find((o) => metaOf(o).name === name)
    : ctx.store.get(resourceKey(def), namespace ?? '', name ?? '');
  if (found === undefined) throw notFound(subjectOf(def, name));
  return found;
}

/** GET of one object (JSON, or a one-row Table when asked). */
export function getOne(ctx: ApiContext, route: ResourceRoute, accept: string | undefined): WholeResponse {
  const obj = findObject(ctx, route);
  if (wantsTable(accept))
    return json(200, tableOf(route.def, [obj], ctx.env.nowMs(), metaOf(obj).resourceVersion ?? ''));
  return json(200, obj);
}

interface Continue {
  /** `namespace/name` of the last item sent. */
  after: string;
}

function keyOf(obj: Obj): string {
  const meta = metaOf(obj);
  return `${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

function readContinue(token: string | null): Continue | undefined {
  if (token === null || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Continue;
    if (typeof parsed.after === 'string') return parsed;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** Items as typed lists carry them: without kind/apiVersion (CRD lists keep both, like unstructured lists). */
function listItem(def: ResourceDef, obj: Obj): Obj {
  if (def.custom) return obj;
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}

/** GET of a collection: filtered, paged, as a typed List (or a Table). */
export function listMany(
  ctx: ApiContext,
  route: ResourceRoute,
  query: URLSearchParams,
  accept: string | undefined,
): WholeResponse {
  const { def, namespace } = route;
  const keep = objectFilter(def, namespace, query);
  let items = source(ctx, def, namespace).filter(keep);
  const cont = readContinue(query.get('continue'));
  if (cont !== undefined) items = items.filter((o) => keyOf(o) > cont.after);
  const limit = Number(query.get('limit') ?? '0');
  const metadata: Obj = { resourceVersion: String(ctx.store.resourceVersion) };
  if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
    metadata.continue = Buffer.from(JSON.stringify({ after: keyOf(items[limit - 1]!) })).toString(
      'base64url',
    );
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(accept))
    return json(200, { ...tableOf(def, items, ctx.env.nowMs(), String(metadata.resourceVersion)), metadata });
  const apiVersion = def.group === '' ? def.version : `${def.group}/${def.version}`;
  return json(200, { kind: def.listKind, apiVersion, metadata, items: items.map((o) => listItem(def, o)) });
}
