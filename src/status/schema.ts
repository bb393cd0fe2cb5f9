// The recorded state `kubectl cpa run` keeps on its scale target: one JSON annotation, versioned, read back
// by `kubectl cpa status` and by the next run (which carries the last scale time and failure count on).
import type { ReasonCode, Stage } from '../logger/events.ts';
import type { RunMode } from '../config/types.ts';
import type { ChainStep, RunType } from '../autoscaler/types.ts';
import type { EncodedWindows } from '../autoscaler/windows.ts';
import type { RecordedClaim } from './claim.ts';
import type { K8sMetricSummary } from '../autoscaler/k8s-metrics/summary.ts';

/** The one annotation key on the scale target. */
export const STATUS_ANNOTATION = 'kubectl-cpa.io/status';

/** Bumped only for incompatible changes; readers ignore unknown fields. */
export const SCHEMA_VERSION = 1;

/** A metric as recorded: CPA's ResourceMetric with the value possibly cut (see `metricsOmitted`). */
export interface RecordedMetric {
  resource?: string;
  value?: string;
}

/** The decision of the last cycle that got as far as deciding. */
export interface RecordedDecision {
  from: number;
  to: number;
  /** The evaluator's value before clamping. */
  evaluation: number;
  /** After clamping to [minReplicas, maxReplicas], before stabilisation. */
  clamped: number;
  /** The one reason code that best explains `to` (see primaryReason). */
  reason: ReasonCode;
  reasons: ReasonCode[];
  action: 'scaled' | 'unchanged' | 'disabled';
  time: string;
  /** How `evaluation` became `to`, step by step (absent in records of older versions). */
  chain?: ChainStep[];
}

/** Schema version 1 of the `kubectl-cpa.io/status` annotation (documented in the README). */
export interface RecordedState {
  schemaVersion: number;
  /** Autoscaler name: the base name of the autoscaler directory given to `run`. */
  name: string;
  runner: { host: string; pid: number; version: string };
  config: {
    minReplicas: number;
    maxReplicas: number;
    intervalMs: number;
    runMode: RunMode;
    downscaleStabilizationSec: number;
  };
  cycle: { time: string; durationMs: number; runType: RunType };
  /** When this autoscaler first recorded on this target (status's AGE); absent in records of older versions. */
  since?: string;
  /** Metrics of the latest cycle that gathered them; null when CPA's metric step returned none. */
  metrics?: RecordedMetric[] | null;
  /** Metrics left out to keep the annotation small (the value is the count dropped). */
  metricsOmitted?: number;
  /** The Kubernetes metrics of the latest cycle that gathered them (kubernetesMetricSpecs), summarised. */
  kubernetesMetrics?: K8sMetricSummary[];
  evaluation?: number;
  decision?: RecordedDecision;
  lastScaleTime?: string;
  lastError?: { stage: Stage; message: string; time: string };
  consecutiveFailures: number;
  /** Recommendations and scale events of the windows, read back by the next runner (autoscaler/windows.ts). */
  windows?: EncodedWindows;
  /** One writer per target: who holds it and when the claim was renewed (src/status/claim.ts). */
  claim?: RecordedClaim;
}

/** The annotation value: compact JSON. */
export function encodeState(state: RecordedState): string {
  return JSON.stringify(state);
}
