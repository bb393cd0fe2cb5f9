// The CycleContext of a prepared run: hooks through Deps, a fresh stabilisation window, and every cycle
// recorded on the target (annotation and Events) unless it is a dry run.
import type { CycleContext } from '../autoscaler/context.ts';
import type { Logger } from '../logger/events.ts';
import type { Deps } from '../ports.ts';
import { runRecorder } from '../status/recorder.ts';
import type { PreparedRun } from './prepare.ts';

/** Everything a cycle needs besides the prepared run and Deps. */
export interface ContextOptions {
  logger: Logger;
  dryRun: boolean;
  /** Aborting it kills running hooks (shutdown). */
  signal: AbortSignal;
}

/** A fresh context for `prepared`. */
export function cycleContext(deps: Deps, prepared: PreparedRun, options: ContextOptions): CycleContext {
  const { config, client, dir, namespace } = prepared;
  const { logger } = options;
  return {
    config,
    target: prepared.target,
    namespace,
    kube: client,
    methods: {
      runner: deps.runProcess,
      request: deps.httpRequest,
      files: deps.files,
      cwd: dir,
      env: deps.env,
      signal: options.signal,
    },
    clock: deps.clock,
    logger,
    state: { history: [], consecutiveFailures: 0 },
    dryRun: options.dryRun,
    onReport: runRecorder({ deps, client, config, logger, absDir: dir }),
  };
}
