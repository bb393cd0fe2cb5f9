// One REST API for every autoscaler of a process: `/autoscalers/NAME/api/v1/…` reaches NAME's own handler
// (createApiHandler, CPA's routes), the plain `/api/v1/…` is kept when exactly one autoscaler runs (CPA
// clients keep working), and process routes (`/metrics`, `/healthz`, `/readyz`) sit beside them. Pure.
import type { ApiRequest, ApiResponse } from '../ports.ts';
import { checkAccess, type AccessPolicy } from './access.ts';
import { jsonError } from './responses.ts';

/** A request handler. */
export type Handler = (request: ApiRequest) => Promise<ApiResponse>;

/** What the mounted API serves. */
export interface MountOptions {
  /** Each autoscaler's own handler, by name. */
  autoscalers: ReadonlyMap<string, Handler>;
  /** GET routes of the process (exact paths), served before the autoscalers'. */
  processRoutes?: ReadonlyMap<string, Handler>;
  access: AccessPolicy;
}

/** The path prefix of one autoscaler's API. */
export const AUTOSCALERS_PREFIX = '/autoscalers';

/** `/autoscalers/r10/api/v1/metrics` for `r10`. */
export function autoscalerPath(name: string, rest: string): string {
  return `${AUTOSCALERS_PREFIX}/${encodeURIComponent(name)}${rest}`;
}

/** The handler of the whole process. */
export function mountApis(options: MountOptions): Handler {
  const { autoscalers, access } = options;
  const only = autoscalers.size === 1 ? [...autoscalers.values()][0] : undefined;
  return async (request) => {
    const refused = checkAccess(request, access);
    if (refused !== null) return refused;
    const processRoute = options.processRoutes?.get(request.path);
    if (processRoute !== undefined) {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return jsonError(405, `Method '${request.method}' not allowed on resource '${request.path}'`);
      return processRoute(request);
    }
    if (request.path === AUTOSCALERS_PREFIX || request.path === `${AUTOSCALERS_PREFIX}/`) {
      return {
        status: 200,
        headers: JSON_HEADERS,
        body: `${JSON.stringify({ autoscalers: [...autoscalers.keys()] })}\n`,
      };
    }
    if (request.path.startsWith(`${AUTOSCALERS_PREFIX}/`)) return routeToOne(request, autoscalers);
    if (only !== undefined) return only(request);
    return jsonError(
      404,
      `Resource '${request.path}' not found: ${autoscalers.size} autoscalers run here; use ${AUTOSCALERS_PREFIX}/NAME${request.path} (names at ${AUTOSCALERS_PREFIX})`,
    );
  };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;

/** `/autoscalers/NAME/REST` → NAME's handler with the path REST. */
function routeToOne(request: ApiRequest, autoscalers: ReadonlyMap<string, Handler>): Promise<ApiResponse> {
  const tail = request.path.slice(AUTOSCALERS_PREFIX.length + 1);
  const slash = tail.indexOf('/');
  const encoded = slash < 0 ? tail : tail.slice(0, slash);
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    name = encoded;
  }
  const handler = autoscalers.get(name);
  if (handler === undefined) {
    return Promise.resolve(
      jsonError(404, `no autoscaler named '${name}' runs here (names at ${AUTOSCALERS_PREFIX})`),
    );
  }
  const rest = slash < 0 ? '/' : tail.slice(slash);
  return handler({ ...request, path: rest });
}
