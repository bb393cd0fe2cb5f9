// The recorded state `kubectl cpa run` keeps on its scale target: one JSON annotation, versioned, read back
// by `kubectl cpa status` and by the next run (which carries the last scale time and failure count on).
import type { ReasonCode, Stage } from '../logger/events.ts';
import type { RunMode } from '../config/types.ts';
import type { RunType } from '../autoscaler/types.ts';

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
  /** Metrics of the latest cycle that gathered them; null when CPA's metric step returned none. */
  metrics?: RecordedMetric[] | null;
  /** Metrics left out to keep the annotation small (the value is the count dropped). */
  metricsOmitted?: number;
  evaluation?: number;
  decision?: RecordedDecision;
  lastScaleTime?: string;
  lastError?: { stage: Stage; message: string; time: string };
  consecutiveFailures: number;
}

/** The annotation value: compact JSON. */
export function encodeState(state: RecordedState): string {
  return JSON.stringify(state);
}
