// A running autoscaler: the loop and the REST API over one serialised pipeline, stopped by a signal.
import type { ApiConfig } from '../config/types.ts';
import type { Deps, ServerHandle } from '../deps.ts';
import { CpaError } from '../errors.ts';
import { createApiHandler } from '../api/routes.ts';
import type { CycleContext } from './context.ts';
import { runCycle } from './cycle.ts';
import { runLoop, serialize } from './loop.ts';

/** Starts the REST API if enabled; a listen failure is fatal, as in CPA, but with the address in the message. */
async function startApi(
  ctx: CycleContext,
  deps: Deps,
  api: ApiConfig,
  pipeline: Parameters<typeof createApiHandler>[0],
): Promise<ServerHandle | null> {
  if (!api.enabled) {
    ctx.logger.log({ kind: 'info', level: 0, message: 'REST API disabled' });
    return null;
  }
  let tls: { cert: string; key: string } | undefined;
  if (api.useHTTPS) {
    const cert = await deps.files.readText(api.certFile);
    const key = await deps.files.readText(api.keyFile);
    if (cert === null)
      throw new CpaError(`failed to start the REST API: apiConfig.certFile "${api.certFile}" does not exist`);
    if (key === null)
      throw new CpaError(`failed to start the REST API: apiConfig.keyFile "${api.keyFile}" does not exist`);
    tls = { cert, key };
  }
  const server = await deps.serveHttp({
    host: api.host,
    port: api.port,
    tls,
    handle: createApiHandler(pipeline, ctx.config.format),
  });
  const scheme = tls ? 'https' : 'http';
  ctx.logger.log({
    kind: 'info',
    level: 0,
    message: `REST API listening on ${scheme}://${server.address}/api/v1 (metrics, evaluation)`,
  });
  return server;
}

/** Runs the loop and the API until SIGINT/SIGTERM; running hooks are killed, the API closed. */
export async function serve(ctx: CycleContext, deps: Deps, abort: AbortController): Promise<void> {
  const pipeline = serialize((options: Parameters<typeof runCycle>[1]) => runCycle(ctx, options));
  const server = await startApi(ctx, deps, ctx.config.api, pipeline);
  const unregister = deps.onShutdownSignal((signal) => {
    ctx.logger.log({ kind: 'info', level: 0, message: `received ${signal}, shutting down` });
    abort.abort();
  });
  try {
    await runLoop({
      clock: ctx.clock,
      intervalMs: ctx.config.intervalMs,
      startTimeMs: ctx.config.startTimeMs,
      signal: abort.signal,
      tick: async () => {
        await pipeline({ runType: 'scaler', stopAfter: 'scale' });
      },
      onStart: (delayMs) =>
        ctx.logger.log({
          kind: 'info',
          level: 0,
          message: `autoscaling ${ctx.target.kind}/${ctx.target.name} in ${ctx.namespace} every ${ctx.config.intervalMs}ms (first cycle in ${ctx.config.intervalMs}ms; waited ${delayMs}ms for startTime alignment)`,
        }),
    });
  } finally {
    unregister();
    await server?.close();
  }
}
