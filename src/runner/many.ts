// Many autoscalers in one process: `kubectl cpa run DIR [DIR…]`, `run --all PARENT`, and the entry point of
// anything that runs a list of prepared autoscalers until a signal (leader election, deploy):
//
//   const code = await runMany(deps, nameRuns(await prepareMany(deps, shared, dirs)), options);
//
// Each autoscaler keeps its own loop (interval, start time), hooks, state and errors: loops are separate
// async tasks, so a slow or hung hook of one never delays another's ticks. What they share is bounded or
// single: one Kubernetes client (one keep-alive pool), one bound on hook calls (--max-hooks), one REST API
// (`/autoscalers/NAME/api/v1/…`), one Prometheus registry, one shutdown.
import type { CycleContext } from '../autoscaler/context.ts';
import { runCycle } from '../autoscaler/cycle.ts';
import { CycleLock, runLoop } from '../autoscaler/loop.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../logger/events.ts';
import { createLogger, type LogFormat } from '../logger/logger.ts';
import type { Deps } from '../ports.ts';
import { defaultLeaseMs } from '../status/claim.ts';
import type { ApiOptions } from './api-server.ts';
import { cycleContext } from './context.ts';
import { countedClient } from './counted-client.ts';
import { Readiness } from './health.ts';
import { HookLimit } from './hook-limit.ts';
import { createRunMetrics, type RunMetrics } from './prometheus.ts';
import type { NamedRun } from './roster.ts';
import { processApi, startServers } from './many-servers.ts';
import { wireShutdown } from './serve.ts';

/** How runMany runs its autoscalers. */
export interface ManyOptions extends ApiOptions {
  /** One cycle of every autoscaler (concurrently), then exit: 1 if any failed. */
  once: boolean;
  dryRun: boolean;
  logFormat: LogFormat;
  /** `-v`: overrides every config's logVerbosity. */
  verbosity?: number;
  /** Bound on hook processes running at once across all autoscalers. */
  maxHooks: number;
  /** Write targets even while another runner's claim on them is fresh. */
  takeOver: boolean;
  /** Lease of a claim (default defaultLeaseMs of each autoscaler's interval). */
  leaseMs?: number;
  /** Prometheus /metrics, /healthz and /readyz on their own address; default: on the REST API's. */
  metricsAddr?: { host: string; port: number };
  /** Ends the run like SIGTERM does (e.g. leadership lost); signals are wired in any case. */
  signal?: AbortSignal;
}

/** One autoscaler as runMany drives it. */
interface Driven {
  name: string;
  ctx: CycleContext;
  /** Gives the target's claim up (clean exit: --once done, SIGTERM). */
  release: () => Promise<void>;
  lock: CycleLock;
  logger: Logger;
}

/**
 * Runs `runs` (prepared over one client, named, checked by checkRoster) until --once is done or a signal or
 * `options.signal` ends them; resolves with the exit code. The shared client is closed in every case.
 */
export async function runMany(deps: Deps, runs: readonly NamedRun[], options: ManyOptions): Promise<number> {
  const first = runs[0];
  if (first === undefined) throw new UsageError('no autoscaler to run');
  const client = first.prepared.client;
  const several = runs.length > 1;
  const processLogger = createLogger({
    out: deps.err,
    clock: deps.clock,
    verbosity: options.verbosity ?? Math.max(...runs.map((r) => r.prepared.config.logVerbosity)),
    format: options.logFormat,
  });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) abort.abort();
  const unregister = wireShutdown(deps, abort, client, processLogger);
  try {
    const api = options.once ? null : processApi(runs);
    const limit = new HookLimit(options.maxHooks);
    const metrics = options.once
      ? undefined
      : await createRunMetrics({ hookLimit: limit, processMetrics: true });
    // The bound is on processes (interpreters, forks); HTTP hooks are sockets with their own timeouts.
    const limited: Deps = { ...deps, runProcess: limit.wrapRunner(deps.runProcess) };
    const readiness = new Readiness(runs.map((r) => r.name));
    const count = (m: string): void => metrics?.kubeRequest(m);
    const driven = runs.map((run) =>
      drive(
        limited,
        // Every run holds the one shared client (prepareMany); counted for /metrics.
        { ...run, prepared: { ...run.prepared, client: countedClient(run.prepared.client, count) } },
        options,
        { several, signal: abort.signal, metrics, readiness },
      ),
    );
    if (options.once) {
      const reports = await Promise.all(
        driven.map((d) => runCycle(d.ctx, { runType: 'scaler', stopAfter: 'scale' })),
      );
      await releaseAll(driven);
      // A cycle a signal stopped did not do its one run: not a failure, but not a success either.
      return reports.some((r) => r.error !== undefined || r.stopped !== undefined) ? 1 : 0;
    }
    const servers = await startServers(deps, driven, options, {
      api,
      metrics,
      readiness,
      logger: processLogger,
    });
    try {
      await Promise.all(
        driven.map((d, i) =>
          loop(d, abort.signal, {
            phaseMs: spreadMs(d.ctx.config, i, driven.length),
            onTick: (lateMs) => metrics?.tickLateness(lateMs),
          }),
        ),
      );
      await releaseAll(driven);
    } finally {
      for (const server of servers) await server.close();
    }
    return 0;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    unregister();
    client.close();
  }
}

/** One autoscaler's context: its own logger (named), the bounded hooks, its recorder, claim and metrics. */
function drive(
  deps: Deps,
  run: NamedRun,
  options: ManyOptions,
  shared: { several: boolean; signal: AbortSignal; metrics?: RunMetrics; readiness: Readiness },
): Driven {
  const { name, prepared } = run;
  const logger = createLogger({
    out: deps.err,
    clock: deps.clock,
    verbosity: options.verbosity ?? prepared.config.logVerbosity,
    format: options.logFormat,
    autoscaler: name,
    nameInText: shared.several,
  });
  for (const note of prepared.notes) logger.log({ kind: 'info', level: 1, message: note });
  const pod = deps.env.POD_NAME;
  const base = cycleContext(deps, prepared, {
    logger,
    dryRun: options.dryRun,
    signal: shared.signal,
    name,
    claim: {
      me: { name, host: deps.host.hostname, pid: deps.host.pid, ...(pod ? { pod } : {}) },
      leaseMs: options.leaseMs ?? defaultLeaseMs(prepared.config.intervalMs),
      takeOver: options.takeOver,
    },
  });
  const observed = shared.metrics?.forAutoscaler(name, prepared.namespace);
  const record = base.onReport;
  const ctx: CycleContext = {
    ...base,
    methods:
      observed === undefined ? base.methods : { ...base.methods, observe: (n, r) => observed.hook(n, r) },
    onReport: async (report: CycleReport) => {
      observed?.cycle(report);
      if (report.runType === 'scaler') shared.readiness.reported(name, report);
      await record?.(report);
    },
  };
  const release = base.releaseTarget ?? (() => Promise.resolve());
  return { name, ctx, lock: new CycleLock(), logger, release };
}

/** The autoscaler's own loop; REST API cycles take turns with it through its lock. */
function loop(
  d: Driven,
  signal: AbortSignal,
  extra: { phaseMs: number; onTick: (lateMs: number) => void },
): Promise<void> {
  const { ctx } = d;
  return runLoop({
    ...extra,
    clock: ctx.clock,
    intervalMs: ctx.config.intervalMs,
    startTimeMs: ctx.config.startTimeMs,
    signal,
    tick: async () => {
      await d.lock.run('tick', () => runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' }));
    },
    onStart: (delayMs) =>
      d.logger.log({
        kind: 'info',
        level: 0,
        message: `autoscaling ${ctx.target.kind}/${ctx.target.name} in ${ctx.namespace} every ${ctx.config.intervalMs}ms (first cycle in ${ctx.config.intervalMs}ms; waited ${delayMs}ms for startTime alignment)`,
      }),
  });
}

/** Releases every claim at a clean exit, at once (within the shutdown grace, before the client closes). */
async function releaseAll(driven: readonly Driven[]): Promise<void> {
  await Promise.all(driven.map((d) => d.release()));
}

/**
 * Where in its interval the i-th of n autoscalers starts: spread evenly when it has no startTime alignment
 * (startTime: 0) and runs beside others, so that a thousand autoscalers do not all tick at one instant.
 */
export function spreadMs(config: { intervalMs: number; startTimeMs: number }, i: number, n: number): number {
  if (n < 2 || config.startTimeMs > 0) return 0;
  return Math.floor((i * config.intervalMs) / n);
}
