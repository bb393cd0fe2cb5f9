// A thin OpenAPI v3 description of the served paths: enough for kubectl to learn that every write accepts
// `fieldValidation` (so `kubectl apply` validates on the server instead of downloading full schemas) and
// which patch types each PATCH takes. Strategic merge is deliberately not advertised: kubectl then computes
// apply patches from its compiled-in Go types (built-ins) or as merge patches (CRDs), both served here.
// There are no object schemas, so `kubectl explain` has nothing to show.
import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceDef } from '../store/registry.ts';
import type { Obj } from '../wire/json.ts';
import type { WholeResponse } from '../wire/http.ts';

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** `api/v1` or `apis/apps/v1`: the key of a group/version in the OpenAPI v3 root. */
function gvPath(r: { group: string; version: string }): string {
  return r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
}

function operation(action: string, gvk: Obj, write: boolean, patch = false): Obj {
  return {
    operationId: `${action}${String(gvk.kind)}`,
    parameters: write ? WRITE_PARAMS : [],
    ...(patch
      ? {
          requestBody: {
            content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])),
            required: true,
          },
        }
      : {}),
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

function pathsOf(r: ResourceDef): Record<string, Obj> {
  const base = `/${gvPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const out: Record<string, Obj> = {};
  const has = (verb: string): boolean => r.verbs.includes(verb);
  out[base] = {
    ...(has('list') ? { get: operation('list', gvk, false) } : {}),
    ...(has('create') ? { post: operation('post', gvk, true) } : {}),
  };
  out[`${base}/{name}`] = {
    ...(has('get') ? { get: operation('get', gvk, false) } : {}),
    ...(has('update') ? { put: operation('put', gvk, true) } : {}),
    ...(has('patch') ? { patch: operation('patch', gvk, true, true) } : {}),
    ...(has('delete') ? { delete: operation('delete', gvk, false) } : {}),
  };
  for (const sub of r.subresources) {
    if (sub.name === 'log') continue;
    const subGvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
    out[`${base}/{name}/${sub.name}`] = {
      get: operation('get', subGvk, false),
      put: operation('put', subGvk, true),
      patch: operation('patch', subGvk, true, true),
    };
  }
  return out;
}

/** The OpenAPI v3 document of one group/version, or undefined when not served. */
export function openApiDocument(key: string): Obj | undefined {
  const resources = RESOURCES.filter((r) => gvPath(r) === key && !r.virtual);
  if (resources.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.37.2' },
    paths: Object.assign({}, ...resources.map(pathsOf)) as Obj,
    components: { schemas: {} },
  };
}

function hashOf(doc: Obj): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** `/openapi/v3`: each served group/version with the URL of its (immutable, hash-addressed) document. */
export function openApiRoot(): Obj {
  const keys = [...new Set(RESOURCES.filter((r) => !r.virtual).map(gvPath))];
  const paths: Record<string, Obj> = {};
  for (const key of keys)
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(openApiDocument(key)!)}` };
  return { paths };
}

/** What kubectl asks for, and (without the `@`, which is not a valid media type) what kube-apiserver answers. */
const OPENAPI_V2_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const OPENAPI_V2_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** One length-delimited protobuf field holding a short ASCII string or message (< 128 bytes). */
const field = (n: number, bytes: string): string => String.fromCharCode((n << 3) | 2, bytes.length) + bytes;

/**
 * `/openapi/v2` with no definitions (gnostic Document: swagger = 1, info = 2 {title = 1, version = 2}).
 * kubectl validates a `kind: List` file client-side against it; finding no schema, it leaves validation to
 * the server, as for single objects. Without it `kubectl apply -f` of a List fails.
 */
export function openApiV2(accept: string | undefined): WholeResponse {
  const info = { title: 'Kubernetes', version: '1.37' };
  if (accept?.includes(OPENAPI_V2_ACCEPT) === true) {
    const body = field(1, '2.0') + field(2, field(1, info.title) + field(2, info.version));
    return { status: 200, headers: { 'Content-Type': OPENAPI_V2_TYPE }, body };
  }
  const body = JSON.stringify({ swagger: '2.0', info, paths: {}, definitions: {} });
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
}
