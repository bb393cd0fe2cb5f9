// The one place that runs a prepared autoscaler, for `run` and the demo: one cycle (--once), or the loop and
// the REST API over one pipeline taken in turns; and the shutdown wiring (SIGINT/SIGTERM kill running hooks,
// end the loop, give API calls in flight a short grace, then close the client; a second signal closes at once).
import type { Pipeline } from '../api/routes.ts';
import type { CycleContext } from '../autoscaler/context.ts';
import { runCycle } from '../autoscaler/cycle.ts';
import { CycleLock, runLoop } from '../autoscaler/loop.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import type { Logger } from '../logger/events.ts';
import type { Deps } from '../ports.ts';
import { forRequest, startApi, type ApiOptions, type ServeDeps } from './api-server.ts';
import { cycleContext } from './context.ts';
import type { PreparedRun } from './prepare.ts';

/** How serve() runs beyond the context. */
export interface ServeOptions extends ApiOptions {
  /** Called after each cycle of the loop; 'stop' ends serve (the demo stops once its story is told). */
  afterCycle?: (report: CycleReport) => Promise<'stop' | void>;
}

/** Runs the loop and the API until SIGINT/SIGTERM; running hooks are killed, the API closed. */
export async function serve(
  ctx: CycleContext,
  deps: ServeDeps,
  abort: AbortController,
  options: ServeOptions = {},
): Promise<void> {
  const lock = new CycleLock();
  const pipeline: Pipeline = ({ signal, ...cycle }) =>
    lock.run('request', () => runCycle(forRequest(ctx, signal), cycle), signal);
  const server = await startApi(ctx, deps, options, pipeline);
  try {
    await runLoop({
      clock: ctx.clock,
      intervalMs: ctx.config.intervalMs,
      startTimeMs: ctx.config.startTimeMs,
      signal: abort.signal,
      tick: async () => {
        const report = await lock.run('tick', () => runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' }));
        if ((await options.afterCycle?.(report)) === 'stop') abort.abort();
      },
      onStart: (delayMs) =>
        ctx.logger.log({
          kind: 'info',
          level: 0,
          message: `autoscaling ${ctx.target.kind}/${ctx.target.name} in ${ctx.namespace} every ${ctx.config.intervalMs}ms (first cycle in ${ctx.config.intervalMs}ms; waited ${delayMs}ms for startTime alignment)`,
        }),
    });
  } finally {
    await server?.close();
  }
}

/** How long API calls in flight may still finish after SIGINT/SIGTERM (a scale PATCH, the last record). */
export const SHUTDOWN_GRACE_MS = 2_000;

/**
 * The shutdown wiring of a run. The first SIGINT/SIGTERM aborts `abort` (running hooks are killed, the loop
 * ends) and gives Kubernetes calls in flight SHUTDOWN_GRACE_MS; then, or at once on a second signal, the
 * client is closed so that a hung API server cannot hold the process for its request timeouts (hostile
 * testing: Ctrl-C took 93 s). Returns the function that unregisters it.
 */
export function wireShutdown(
  deps: Pick<Deps, 'onShutdownSignal' | 'clock'>,
  abort: AbortController,
  client: { close(): void },
  logger: Logger,
): () => void {
  let signals = 0;
  const graceOver = new AbortController();
  const unregister = deps.onShutdownSignal((signal) => {
    signals += 1;
    if (signals > 1) return client.close();
    logger.log({ kind: 'info', level: 0, message: `received ${signal}, shutting down` });
    abort.abort();
    void deps.clock.sleep(SHUTDOWN_GRACE_MS, graceOver.signal).then(() => {
      if (!graceOver.signal.aborted) client.close();
    });
  });
  return () => {
    unregister();
    graceOver.abort();
  };
}

/** How to run a prepared autoscaler. */
export interface RunOptions extends ServeOptions {
  logger: Logger;
  /** One cycle, then return (exit 0 if it succeeded, 1 if it failed). */
  once: boolean;
  dryRun: boolean;
}

/**
 * Runs `prepared` until it is done (--once), told to stop (afterCycle) or signalled; resolves with the exit
 * code. The prepared client is closed in every case.
 */
export async function runPrepared(deps: Deps, prepared: PreparedRun, options: RunOptions): Promise<number> {
  const abort = new AbortController();
  const unregister = wireShutdown(deps, abort, prepared.client, options.logger);
  try {
    const ctx = cycleContext(deps, prepared, {
      logger: options.logger,
      dryRun: options.dryRun,
      signal: abort.signal,
    });
    if (options.once) {
      const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
      // Stopped by a signal before its one cycle ended: not recorded as a failure, yet not done.
      return report.error || report.stopped ? 1 : 0;
    }
    await serve(ctx, deps, abort, options);
    return 0;
  } finally {
    unregister();
    prepared.client.close();
  }
}
