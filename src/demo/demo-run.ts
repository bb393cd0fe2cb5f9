// What every demo story runs: the example directory prepared by the runner exactly as `run` prepares it,
// against the demo's own sandbox, with the few settings a story needs changed in one place.
import type { Config } from '../config/types.ts';
import type { Logger } from '../logger/events.ts';
import { createLogger } from '../logger/logger.ts';
import type { Deps } from '../ports.ts';
import { prepareRun, type PreparedRun } from '../runner/prepare.ts';

/** Where the story's autoscaler runs. */
export interface DemoRun {
  dir: string;
  kubeconfig: string;
  intervalMs: number;
  namespace: string;
  /** The target Deployment's name. */
  target: string;
  /** Settings the story overrides on top of the example's config.yaml. */
  config?: Partial<Pick<Config, 'cpuInitializationPeriodSec'>>;
}

/** The prepared autoscaler of a story, and the plain logger its decisions print through. */
export async function prepareDemoRun(
  deps: Deps,
  run: DemoRun,
): Promise<{ prepared: PreparedRun; logger: Logger }> {
  const prepared = await prepareRun(deps, {
    dir: run.dir,
    target: `apps/v1/Deployment/${run.target}`,
    namespace: run.namespace,
    intervalMs: run.intervalMs,
    apiAddr: null,
    kubeconfig: run.kubeconfig,
    // The user's environment must not reconfigure the demo (a variable named `interval` would), so none is read.
    env: {},
  });
  // No waiting for startTime alignment: the story should start at once.
  prepared.config = { ...prepared.config, startTimeMs: 0, ...run.config };
  const logger = createLogger({ out: deps.err, clock: deps.clock, verbosity: 0, format: 'text' });
  return { prepared, logger };
}
