// Data carried through one autoscaling cycle, with CPA's JSON field names where user logic sees them.
import type { ReasonCode, Stage } from '../logger/events.ts';
import type { EncodedWindows } from './windows.ts';
import type { K8sMetricSummary } from './k8s-metrics/summary.ts';

/** CPA's ResourceMetric: both keys omitted when empty. */
export interface ResourceMetric {
  resource?: string;
  value?: string;
}

/** `scaler` for the loop, `api` / `api_dry_run` for REST API requests. */
export type RunType = 'scaler' | 'api' | 'api_dry_run';

/** How far a cycle goes: the REST API's metrics endpoint stops after metrics, dry-run evaluation after evaluate. */
export type StopAfter = 'metrics' | 'evaluate' | 'scale';

/** The steps of the decision chain, in the order they run. */
export type ChainStepName =
  'evaluation' | 'fallback' | 'pause' | 'clamp' | 'stabilization' | 'policy' | 'final';

/** One step of the decision chain: the replicas it received and passed on, and why it changed them. */
export interface ChainStep {
  step: ChainStepName;
  input: number;
  output: number;
  reason?: ReasonCode;
  /** What the step looked at, in words (`scale-down window 300s`, `Pods 4 per 60s`). */
  note?: string;
}

/** Outcome of the pure decision step. */
export interface Decision {
  current: number;
  /** The evaluator's raw value. */
  evaluation: number;
  clamped: number;
  /** Final target after stabilisation (equals `current` when disabled). */
  target: number;
  reasons: ReasonCode[];
  action: 'scale' | 'none' | 'disabled';
  /** How `evaluation` became `target`, step by step (absent only on decisions built by hand). */
  chain?: ChainStep[];
}

/** What one cycle did; the loop logs it, the API answers from it, status records it. */
export interface CycleReport {
  runType: RunType;
  /** `kind/namespace/name` for messages. */
  target: string;
  startedMs: number;
  durationMs: number;
  metrics?: ResourceMetric[] | null;
  /** The Kubernetes metrics gathered (kubernetesMetricSpecs), summarised for logs and status. */
  kubernetesMetrics?: K8sMetricSummary[];
  evaluation?: number;
  decision?: Decision;
  /** True when the scale subresource was patched. */
  scaled?: boolean;
  /** Set when another runner holds the target: who (see TargetHold); nothing was written. */
  heldBy?: string;
  dryRun: boolean;
  /**
   * Why the cycle failed. `unreachable`: the Kubernetes API gave no answer at all (refused, timed out), so
   * recording the failure on the target would only wait out the same timeouts again.
   */
  error?: { stage: Stage; message: string; unreachable?: true };
  /** Set when a shutdown cancelled the cycle at `stage`: neither a success nor a failure (nothing recorded). */
  stopped?: { stage: Stage };
  /** The windows to keep on the target, when a window or `behavior` is configured (windows.ts). */
  windows?: EncodedWindows;
}
