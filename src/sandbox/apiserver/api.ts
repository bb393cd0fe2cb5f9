// The embedded API as one function, request → response, with no sockets: authenticate, route, authorize,
// dispatch to the handler of the verb, and turn every refusal into kube-apiserver's Status body.
// server/server.ts puts it on HTTPS; tests call it directly.
import { authenticate, authorize } from './auth.ts';
import { failure, json, type ApiContext } from './context.ts';
import {
  AGGREGATED_TYPE,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from './discovery.ts';
import { DryRunStore, isDryRun } from '../store/dryrun.ts';
import { podLogResponse } from './logs.ts';
import { decodeProtobufObject, PROTOBUF_KINDS } from '../wire/protobuf.ts';
import { openApiDocument, openApiRoot, openApiV2 } from './openapi.ts';
import { getOne, listMany, objectFilter } from './read.ts';
import { route as routeOf, type ResourceRoute } from './router.ts';
import { handleScale } from './scale.ts';
import { metricValuesAuthz, metricValuesResponse, routeMetricValues } from './metric-values.ts';
import {
  ApiError,
  internalError,
  methodNotAllowed,
  noSuchResource,
  patchTypeNotAccepted,
} from '../wire/status.ts';
import type { SandboxRequest, SandboxResponse, WholeResponse } from '../wire/http.ts';
import { watchResponse } from './watch.ts';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './write.ts';

/** The version kubectl sees (`kubectl version`): the API the sandbox imitates, marked as ours. */
export const SANDBOX_VERSION = {
  major: '1',
  minor: '37',
  emulationMajor: '1',
  emulationMinor: '37',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '36',
  gitVersion: 'v1.37.2-kubectl-cpa-sandbox',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '',
  goVersion: '',
  compiler: 'kubectl-cpa',
  platform: 'linux/amd64',
};

const NOT_FOUND_TEXT: WholeResponse = {
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  body: '404 page not found\n',
};

/** The embedded API server. */
export interface SandboxApi {
  handle(request: SandboxRequest): Promise<SandboxResponse>;
}

/** Builds the API over a context; `handle` never rejects, and reports handler bugs to `onError`. */
export function createApi(ctx: ApiContext, onError: (error: unknown) => void = () => {}): SandboxApi {
  return {
    handle: async (request) => {
      try {
        return dispatch(ctx, request);
      } catch (err) {
        if (err instanceof ApiError) return failure(err);
        try {
          onError(err);
        } catch {
          // `handle` never rejects, whatever the reporter does.
        }
        return failure(internalError(err instanceof Error ? err.message : String(err)));
      }
    },
  };
}

function discovery(body: unknown, aggregated: boolean): WholeResponse {
  const response = json(200, body, aggregated ? AGGREGATED_TYPE : 'application/json');
  response.headers.Vary = 'Accept';
  return response;
}

function dispatch(ctx: ApiContext, request: SandboxRequest): SandboxResponse {
  const metrics = request.method === 'GET' ? routeMetricValues(request.path) : undefined;
  if (metrics !== undefined) {
    const user = authenticate(ctx.users, request.headers.authorization);
    const denied = metrics.resource === '' ? null : authorize(user, metricValuesAuthz(metrics));
    if (denied !== null) throw denied;
    return metricValuesResponse(ctx, metrics, request.query);
  }
  const r = routeOf(request.method, request.path, request.query);
  if (r.type === 'health')
    return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'ok' };
  if (r.type === 'version') return json(200, SANDBOX_VERSION);
  const user = authenticate(ctx.users, request.headers.authorization);
  const accept = request.headers.accept;
  const aggregated = wantsAggregated(accept);
  switch (r.type) {
    case 'api':
      return aggregated
        ? discovery(aggregatedDiscovery(true), true)
        : json(200, apiVersions(ctx.serverAddress));
    case 'apis':
      return discovery(aggregated ? aggregatedDiscovery(false) : apiGroupList(), aggregated);
    case 'group':
      return json(200, apiGroup(r.group));
    case 'resources':
      return json(200, apiResourceList(r.group, r.version));
    case 'openapi': {
      const doc = r.key === '' ? openApiRoot() : openApiDocument(r.key);
      return doc === undefined ? NOT_FOUND_TEXT : json(200, doc);
    }
    case 'openapi-v2':
      return openApiV2(accept);
    case 'no-path':
      return NOT_FOUND_TEXT;
    case 'no-resource':
      throw noSuchResource();
    case 'bad-method':
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
  }
  const denied = authorize(user, r);
  if (denied !== null) throw denied;
  return resource(ctx, r, request);
}

function allowed(r: ResourceRoute): boolean {
  const verbs =
    r.subresource === undefined
      ? r.def.verbs
      : r.def.subresources.find((s) => s.name === r.subresource)?.verbs;
  return (verbs ?? []).includes(r.verb);
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function contentTypeOf(request: SandboxRequest): string | undefined {
  return request.headers['content-type'];
}

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function resource(api: ApiContext, r: ResourceRoute, request: SandboxRequest): SandboxResponse {
  if (!allowed(r)) throw methodNotAllowed({ group: r.def.group, resource: r.def.plural });
  if ((contentTypeOf(request) ?? '').startsWith(PROTOBUF) && request.body !== '') {
    // kubectl's typed clients (`create namespace`, `create deployment`) send protocol buffers.
    if (!(r.verb === 'create' && PROTOBUF_KINDS.has(r.def.kind)))
      throw patchTypeNotAccepted(['application/json']);
    const object = decodeProtobufObject(request.bytes ?? Buffer.from(request.body, 'latin1'));
    return resource(api, r, {
      ...request,
      body: JSON.stringify(object),
      headers: { ...request.headers, 'content-type': 'application/json' },
    });
  }
  const dryRun = WRITES.has(r.verb) && isDryRun(request.query);
  const ctx = dryRun ? { ...api, store: new DryRunStore(api.store) } : api;
  const accept = request.headers.accept;
  const contentType = request.headers['content-type'];
  if (r.subresource === 'scale') return handleScale(ctx, r, { contentType, body: request.body });
  if (r.subresource === 'log') return podLogResponse(ctx, r, request.query);
  switch (r.verb) {
    case 'get':
      return getOne(ctx, r, accept);
    case 'list':
      return listMany(ctx, r, request.query, accept);
    case 'watch':
      return watchResponse(ctx, r, request.query, accept);
    case 'create':
      return handleCreate(ctx, r, request.body);
    case 'update':
      return handleUpdate(ctx, r, request.body);
    case 'patch':
      return handlePatch(ctx, r, contentType, request.body);
    case 'delete':
      return handleDelete(ctx, r, request.body, request.query);
    case 'deletecollection':
      return handleDeleteCollection(ctx, r, objectFilter(r.def, r.namespace, request.query));
  }
}
