// What one cycle needs, built once per `run` and shared by the loop and the REST API.
import type { Config, ScaleTargetRef } from '../config/types.ts';
import type { MethodContext } from '../hooks/execute.ts';
import type { Logger } from '../logger/events.ts';
import type { Clock, KubeClient, KubeObject } from '../ports.ts';
import type { ScaleEvents } from './behavior.ts';
import type { Recommendation } from './stabilize.ts';
import type { CycleReport } from './types.ts';

/** Floor of a cycle's Kubernetes call timeout: a slow but healthy API server answers well within it. */
const KUBE_CALL_MIN_MS = 2_000;
/** Ceiling: the transport's own hang guard. */
const KUBE_CALL_MAX_MS = 30_000;

/**
 * How long one Kubernetes call of a cycle may take: one interval, within [2 s, 30 s]. An answer later than
 * the next tick is worth less than a fresh try, and a hung API server then costs the loop about one
 * interval per call instead of 30 s (hostile testing: a black-holed server stalled the loop for minutes).
 */
export function kubeCallTimeoutMs(intervalMs: number): number {
  return Math.min(KUBE_CALL_MAX_MS, Math.max(KUBE_CALL_MIN_MS, intervalMs));
}

/** State that survives between cycles: the stabilisation window and failure count. */
export interface AutoscalerState {
  history: Recommendation[];
  consecutiveFailures: number;
  /** This autoscaler's recent scales, for `behavior`'s rate limit (absent: none yet). */
  scaleEvents?: ScaleEvents;
  /** True once the windows recorded on the target were read back (once per runner, again after a takeover). */
  restored?: boolean;
}

/** Whether this runner may write the target now (one writer per target, src/status/claim.ts). */
export type TargetHold = { held: true } | { held: false; holder: string };

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
  /**
   * Asked with the target as read, before a cycle that may scale; another runner's fresh claim answers
   * `held: false` and the cycle decides but does not write. Absent: this runner always writes.
   */
  holdTarget?: (object: KubeObject) => Promise<TargetHold>;
}
