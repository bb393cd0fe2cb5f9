// The recorded state `kubectl cpa run` keeps on its scale target: one JSON annotation, versioned, read back
// by `kubectl cpa status` and by the next run (which carries the last scale time and failure count on).
import type { ReasonCode, Stage } from '../log/events.ts';
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fields without which a record is useless to `status` (the rest is optional and read defensively). */
function missingField(raw: Record<string, unknown>): string | undefined {
  if (typeof raw.name !== 'string') return 'name';
  if (!isObject(raw.cycle) || typeof raw.cycle.time !== 'string') return 'cycle.time';
  if (!isObject(raw.config) || typeof raw.config.intervalMs !== 'number') return 'config.intervalMs';
  if (!isObject(raw.runner)) return 'runner';
  return undefined;
}

/** Reads an annotation value; `problem` explains why a value is not usable (bad JSON, newer schema, …). */
export function decodeState(
  text: string | undefined,
): { state: RecordedState; problem?: undefined } | { state: null; problem: string } {
  if (text === undefined || text === '') return { state: null, problem: 'no annotation' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { state: null, problem: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(raw)) return { state: null, problem: 'not a JSON object' };
  if (raw.schemaVersion !== SCHEMA_VERSION) {
    return {
      state: null,
      problem: `schemaVersion ${JSON.stringify(raw.schemaVersion)} is not ${SCHEMA_VERSION} (written by another kubectl-cpa version)`,
    };
  }
  const missing = missingField(raw);
  if (missing !== undefined) return { state: null, problem: `missing ${missing}` };
  const state = raw as unknown as RecordedState;
  return {
    state: {
      ...state,
      consecutiveFailures: typeof state.consecutiveFailures === 'number' ? state.consecutiveFailures : 0,
    },
  };
}
