// Reads a request path and method the way kube-apiserver's mux does: discovery documents, health and version
// endpoints, and resource paths (`/apis/{g}/{v}/namespaces/{ns}/{plural}/{name}/{sub}`) with the RBAC verb.
import { findResource, servedGroups, type ResourceDef } from '../store/registry.ts';

/** A resource request, with the verb RBAC sees. */
export interface ResourceRoute {
  type: 'resource';
  def: ResourceDef;
  /** Undefined for cluster-scoped resources and for lists/watches across all namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
}

/** What a request asks for. */
export type Route =
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'resources'; group: string; version: string }
  | { type: 'version' }
  | { type: 'health' }
  /** `/openapi/v3` (key '') or one group/version's document (`apis/apps/v1`). */
  | { type: 'openapi'; key: string }
  /** `/openapi/v2`: kubectl validates `kind: List` files against it. */
  | { type: 'openapi-v2' }
  /** Go's mux `404 page not found` (plain text): a path outside any served prefix. */
  | { type: 'no-path' }
  /** A Status 404 inside a served group/version: unknown resource or subresource. */
  | { type: 'no-resource' }
  | { type: 'bad-method' }
  | ResourceRoute;

const HEALTH = new Set(['/healthz', '/readyz', '/livez']);

function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

function verbOf(method: string, named: boolean, query: URLSearchParams): ResourceRoute['verb'] | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return named ? 'get' : isWatch(query) ? 'watch' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/** Splits the part of a path after `/api/v1` or `/apis/{g}/{v}` into namespace, plural, name, subresource. */
function resourceParts(
  rest: string[],
): { namespace?: string; plural: string; name?: string; sub?: string } | undefined {
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]!))
  ) {
    if (rest.length > 5) return undefined;
    return { namespace: rest[1], plural: rest[2]!, name: rest[3], sub: rest[4] };
  }
  if (rest.length > 3) return undefined;
  return { plural: rest[0]!, name: rest[1], sub: rest[2] };
}

function routeResource(
  group: string,
  version: string,
  rest: string[],
  method: string,
  query: URLSearchParams,
): Route {
  const parts = resourceParts(rest);
  if (parts === undefined || parts.plural === '' || parts.name === '') return { type: 'no-resource' };
  const def = findResource(group, version, parts.plural);
  if (def === undefined) return { type: 'no-resource' };
  if (parts.namespace !== undefined && !def.namespaced) return { type: 'no-resource' };
  if (parts.sub !== undefined && !def.subresources.some((s) => s.name === parts.sub))
    return { type: 'no-resource' };
  // A namespaced object needs its namespace in the path; only collections may span all namespaces.
  if (def.namespaced && parts.namespace === undefined && parts.name !== undefined)
    return { type: 'no-resource' };
  const verb = verbOf(method, parts.name !== undefined, query);
  if (verb === undefined) return { type: 'bad-method' };
  const route: ResourceRoute = { type: 'resource', def, verb };
  if (parts.namespace !== undefined) route.namespace = parts.namespace;
  if (parts.name !== undefined) route.name = parts.name;
  if (parts.sub !== undefined) route.subresource = parts.sub;
  return route;
}

/** Routes a request; never throws. */
export function route(method: string, path: string, query: URLSearchParams): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (HEALTH.has(clean) || clean.startsWith('/readyz/') || clean.startsWith('/livez/'))
    return { type: 'health' };
  if (clean === '/version') return { type: 'version' };
  if (clean === '/api') return { type: 'api' };
  if (clean === '/openapi/v2') return { type: 'openapi-v2' };
  if (clean === '/openapi/v3' || clean.startsWith('/openapi/v3/'))
    return { type: 'openapi', key: clean.slice('/openapi/v3/'.length) };
  if (clean === '/apis') return { type: 'apis' };
  const parts = clean.split('/').slice(1);
  if (parts[0] === 'api') {
    if (parts[1] !== 'v1') return parts.length >= 2 ? { type: 'no-resource' } : { type: 'no-path' };
    if (parts.length === 2) return { type: 'resources', group: '', version: 'v1' };
    return routeResource('', 'v1', parts.slice(2), method, query);
  }
  if (parts[0] !== 'apis' || parts[1] === undefined) return { type: 'no-path' };
  const group = parts[1];
  const served = servedGroups().find((g) => g.group === group);
  if (served === undefined) return { type: 'no-path' };
  if (parts.length === 2) return { type: 'group', group };
  if (parts[2] !== served.version) return { type: 'no-path' };
  if (parts.length === 3) return { type: 'resources', group, version: served.version };
  return routeResource(group, served.version, parts.slice(3), method, query);
}
