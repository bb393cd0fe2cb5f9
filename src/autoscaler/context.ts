// What one cycle needs, built once per `run` and shared by the loop and the REST API.
import type { Config, ScaleTargetRef } from '../config/types.ts';
import type { Clock } from '../deps.ts';
import type { MethodContext } from '../hooks/execute.ts';
import type { KubeClient } from '../kube/types.ts';
import type { Logger } from '../log/events.ts';
import type { Recommendation } from './stabilize.ts';
import type { CycleReport } from './types.ts';

/** State that survives between cycles: the stabilisation window and failure count. */
export interface AutoscalerState {
  history: Recommendation[];
  consecutiveFailures: number;
}

export interface CycleContext {
  config: Config;
  target: ScaleTargetRef;
  namespace: string;
  kube: KubeClient;
  methods: MethodContext;
  clock: Clock;
  logger: Logger;
  state: AutoscalerState;
  /** `--dry-run`: everything except the PATCH. */
  dryRun: boolean;
  /**
   * Called after every cycle with its report (recording state on the target, events). It must not throw:
   * a failure to record is logged by the recorder and never fails the cycle.
   */
  onReport?: (report: CycleReport) => Promise<void>;
}
