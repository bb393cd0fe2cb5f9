// The servers of a process running many autoscalers: one REST API for all (`/autoscalers/NAME/api/v1/…`,
// plain `/api/v1/…` when one runs) and the process routes (/metrics, /healthz, /readyz), on the API's
// address or on --metrics-addr.
import { isLoopbackHost } from '../api/access.ts';
import { mountApis, type Handler } from '../api/mount.ts';
import { createApiHandler, type Pipeline } from '../api/routes.ts';
import type { CycleContext } from '../autoscaler/context.ts';
import { runCycle, targetLabel } from '../autoscaler/cycle.ts';
import type { CycleLock } from '../autoscaler/loop.ts';
import type { ApiConfig } from '../config/types.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../logger/events.ts';
import type { Deps, ServerHandle } from '../ports.ts';
import { checkExposure, forRequest, readApiTls, readApiToken, type ApiOptions } from './api-server.ts';
import { healthRoutes, type Readiness } from './health.ts';
import type { RunMetrics } from './prometheus.ts';
import type { NamedRun } from './roster.ts';

/** An autoscaler as the REST API serves it: its cycles take turns with its loop through its lock. */
export interface Served {
  name: string;
  ctx: CycleContext;
  lock: CycleLock;
}

/** The flags that place the servers. */
export interface ServerOptions extends ApiOptions {
  /** Prometheus /metrics, /healthz and /readyz on their own address; default: on the REST API's. */
  metricsAddr?: { host: string; port: number };
}

/**
 * The REST API settings of the process: every autoscaler's apiConfig (after --api-addr/--no-api) must
 * agree, since one server serves them all. Null when the API is disabled.
 */
export function processApi(runs: readonly NamedRun[]): ApiConfig | null {
  const [first, ...rest] = runs.map((r) => ({ name: r.name, api: r.prepared.config.api }));
  if (first === undefined) return null;
  const key = (a: ApiConfig): string =>
    JSON.stringify([a.enabled, a.host, a.port, a.useHTTPS, a.certFile, a.keyFile, a.tokenFile]);
  const differing = rest.filter((r) => key(r.api) !== key(first.api)).map((r) => r.name);
  if (differing.length > 0)
    throw new UsageError(
      `the autoscalers ask for different REST API settings (apiConfig of ${first.name} differs from ${differing.join(', ')}); one process serves one API`,
      { hint: 'pass --api-addr HOST:PORT (or --no-api) to set it for all, or make their apiConfig equal' },
    );
  return first.api.enabled ? first.api : null;
}

/** The REST API (with /metrics, /healthz, /readyz unless --metrics-addr moves them) and the metrics server. */
export async function startServers(
  deps: Deps,
  driven: readonly Served[],
  options: ServerOptions,
  shared: { api: ApiConfig | null; metrics?: RunMetrics; readiness: Readiness; logger: Logger },
): Promise<ServerHandle[]> {
  const { api, logger } = shared;
  const servers: ServerHandle[] = [];
  const processRoutes = healthRoutes(shared.readiness, shared.metrics);
  // A lone seed-format (v0.8.0) autoscaler owns `/metrics` on its API; Prometheus then needs --metrics-addr.
  const seedOwnsMetrics = driven.length === 1 && driven[0]!.ctx.config.format === 'seed';
  try {
    if (options.metricsAddr !== undefined) {
      const server = await deps.serveHttp({
        ...options.metricsAddr,
        handle: mountApis({
          autoscalers: new Map(),
          processRoutes,
          access: { scheme: 'http', bindHost: options.metricsAddr.host, token: null },
        }),
      });
      servers.push(server);
      logger.log({
        kind: 'info',
        level: 0,
        message: `Prometheus metrics on http://${server.address}/metrics`,
      });
    }
    if (api === null) {
      logger.log({ kind: 'info', level: 0, message: 'REST API disabled' });
      return servers;
    }
    const token = await readApiToken(deps, api, options);
    checkExposure(api, token, options);
    const tls = await readApiTls(deps, api);
    const scheme = tls ? 'https' : 'http';
    const access = { scheme, bindHost: api.host, token } as const;
    const handlers = new Map<string, Handler>(
      driven.map((d) => [d.name, createApiHandler(pipelineOf(d), d.ctx.config.format, { access })]),
    );
    const routes = new Map(processRoutes);
    if (options.metricsAddr !== undefined) routes.clear();
    else if (seedOwnsMetrics) routes.delete('/metrics');
    const server = await deps.serveHttp({
      host: api.host,
      port: api.port,
      tls,
      handle: mountApis({ autoscalers: handlers, processRoutes: routes, access }),
    });
    servers.push(server);
    const paths =
      driven.length === 1
        ? '/api/v1 (metrics, evaluation)'
        : '/autoscalers/NAME/api/v1 (metrics, evaluation)';
    logger.log({
      kind: 'info',
      level: 0,
      message: `REST API listening on ${scheme}://${server.address}${paths}`,
    });
    if (!isLoopbackHost(api.host)) {
      const targets = driven.map((d) => targetLabel(d.ctx)).join(', ');
      logger.log({
        kind: 'warning',
        message:
          token === null
            ? `REST API on ${server.address} without a token (--api-insecure): anyone who can reach it can scale ${targets}`
            : `REST API on ${server.address} is reachable from other machines; every request needs the bearer token`,
      });
    }
    return servers;
  } catch (err) {
    for (const server of servers) await server.close();
    throw err;
  }
}

/** An autoscaler's REST API cycles: the same pipeline as its loop, taking turns through its lock. */
function pipelineOf(d: Served): Pipeline {
  return ({ signal, ...cycle }) =>
    d.lock.run('request', () => runCycle(forRequest(d.ctx, signal), cycle), signal);
}
