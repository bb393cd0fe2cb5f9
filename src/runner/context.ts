// The CycleContext of a prepared run: hooks through Deps, a fresh stabilisation window, and every cycle
// recorded on the target (annotation and Events) unless it is a dry run.
import type { CycleContext } from '../autoscaler/context.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import type { Logger } from '../logger/events.ts';
import type { Deps } from '../ports.ts';
import { runRecorder, type ClaimOptions } from '../status/recorder.ts';
import type { PreparedRun } from './prepare.ts';

/** Everything a cycle needs besides the prepared run and Deps. */
export interface ContextOptions {
  logger: Logger;
  dryRun: boolean;
  /** Aborting it kills running hooks (shutdown). */
  signal: AbortSignal;
  /** The autoscaler's name (default: its directory's base name). */
  name?: string;
  /** One writer per target: claim the target before writing it (absent: no claim, the demo). */
  claim?: ClaimOptions;
}

/** A fresh context for `prepared`; with claims, `releaseTarget` gives the claim up at a clean exit. */
export function cycleContext(
  deps: Deps,
  prepared: PreparedRun,
  options: ContextOptions,
): CycleContext & { releaseTarget?: () => Promise<void> } {
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
    ...recording(deps, prepared, options),
  };
}

/** onReport (and holdTarget when claims are kept) of one autoscaler's recorder. */
function recording(
  deps: Deps,
  prepared: PreparedRun,
  options: ContextOptions,
): Pick<CycleContext, 'onReport' | 'holdTarget'> & { releaseTarget?: () => Promise<void> } {
  const { config, client, dir } = prepared;
  const recorder = runRecorder({
    ...{ deps, client, config, logger: options.logger, absDir: dir },
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.claim === undefined ? {} : { claim: options.claim }),
  });
  const onReport = (report: CycleReport): Promise<void> => recorder.record(report);
  if (options.claim === undefined) return { onReport };
  return { onReport, holdTarget: (o) => recorder.hold(o), releaseTarget: () => recorder.release() };
}
