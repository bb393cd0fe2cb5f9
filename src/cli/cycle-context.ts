// Builds the CycleContext of a `run` (and of the demo, which runs the same loop) from Deps.
import type { CycleContext } from '../autoscaler/context.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import type { Deps } from '../deps.ts';
import type { CpaKubeClient } from '../kube/client.ts';
import type { Logger } from '../log/events.ts';
import { runRecorder } from '../status/recorder.ts';

/** Everything a cycle needs besides Deps. */
export interface CycleInput {
  config: Config & { scaleTargetRef: ScaleTargetRef };
  client: CpaKubeClient;
  logger: Logger;
  /** The autoscaler directory: hooks run here, and its name names the autoscaler. */
  absDir: string;
  dryRun: boolean;
  /** Aborting it kills running hooks (shutdown). */
  signal: AbortSignal;
}

/** A fresh context: empty stabilisation window, hooks through Deps, each cycle recorded on the target. */
export function cycleContext(deps: Deps, input: CycleInput): CycleContext {
  const { config, client, logger, absDir } = input;
  return {
    config,
    target: config.scaleTargetRef,
    namespace: config.namespace,
    kube: client,
    methods: {
      runner: deps.runProcess,
      request: deps.httpRequest,
      files: deps.files,
      cwd: absDir,
      env: deps.env,
      signal: input.signal,
    },
    clock: deps.clock,
    logger,
    state: { history: [], consecutiveFailures: 0 },
    dryRun: input.dryRun,
    // Records each cycle on the target (annotation + Events); dry runs are not recorded.
    onReport: runRecorder({ deps, client, config, logger, absDir }),
  };
}
