// What `kubectl cpa status` knows about one autoscaler, whatever the source: the annotation `run` writes on
// its target, or the pod log of a CustomPodAutoscaler. Pure: built from API objects and `nowMs`.
import type { KubeObject } from '../kube/types.ts';
import { staleAfterMs } from './record.ts';
import { decodeState, STATUS_ANNOTATION, type RecordedState } from './schema.ts';

/** Where an item's state comes from. */
export type StatusSource = 'annotations' | 'logs';

/** The STATUS column, worst first in the order they are decided. */
export type AutoscalerState = 'Paused' | 'NoPod' | 'Unknown' | 'Stale' | 'Failing' | 'Disabled' | 'Active';

/** One item of `AutoscalerStatusList` (`-o json|yaml`); field names are a stable, documented interface. */
export interface AutoscalerStatus {
  name: string;
  namespace: string;
  source: StatusSource;
  target: { apiVersion: string; kind: string; name: string };
  minReplicas: number | null;
  maxReplicas: number | null;
  /** Interval, run mode and downscale window, where known. */
  config: { intervalMs: number | null; runMode: string | null; downscaleStabilizationSec: number | null };
  /** The target's `spec.replicas` now. */
  currentReplicas: number | null;
  /** The target of the last decision. */
  desiredReplicas: number | null;
  lastMetrics: { resource?: string; value: string }[] | null;
  lastEvaluation: number | null;
  lastDecision: {
    from: number | null;
    to: number;
    reason: string;
    /** Every reason code (annotations only). */
    reasons?: string[];
    /** After clamping, before stabilisation (annotations only). */
    clamped?: number;
    time: string | null;
  } | null;
  lastScaleTime: string | null;
  lastCycleTime: string | null;
  lastError: { stage: string | null; message: string; time: string | null } | null;
  consecutiveFailures: number | null;
  state: AutoscalerState;
  /** Who runs it: the `kubectl cpa run` process (annotations). */
  runner: { host: string; pid: number; version: string } | null;
  /** The autoscaler pod (logs). */
  pod: { name: string; phase: string; count: number } | null;
  /** What is unknown and how to learn it. */
  hints: string[];
}

/** Facts that decide the STATUS column. */
export interface StateFacts {
  paused?: boolean;
  noPod?: boolean;
  unknown?: boolean;
  ageMs: number | null;
  staleAfterMs: number;
  consecutiveFailures: number | null;
  disabled: boolean;
}

/** STATUS: paused/missing/unknown first, then a runner that stopped, then failures, then the decision. */
export function stateOf(f: StateFacts): AutoscalerState {
  if (f.paused) return 'Paused';
  if (f.noPod) return 'NoPod';
  if (f.unknown) return 'Unknown';
  if (f.ageMs !== null && f.ageMs > f.staleAfterMs) return 'Stale';
  if ((f.consecutiveFailures ?? 0) > 0) return 'Failing';
  if (f.disabled) return 'Disabled';
  return 'Active';
}

/** Milliseconds since an RFC 3339 time, or null when there is none. */
export function ageMs(time: string | null | undefined, nowMs: number): number | null {
  if (time === null || time === undefined) return null;
  const t = Date.parse(time);
  return Number.isFinite(t) ? nowMs - t : null;
}

/** `spec.replicas` of a workload; Kubernetes defaults a missing value to 1. */
export function specReplicas(object: KubeObject): number | null {
  const spec = object.spec as { replicas?: unknown } | undefined;
  if (spec === undefined) return null;
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

function emptyItem(workload: KubeObject, name: string): AutoscalerStatus {
  return {
    name,
    namespace: workload.metadata?.namespace ?? '',
    source: 'annotations',
    target: {
      apiVersion: workload.apiVersion ?? '',
      kind: workload.kind ?? '',
      name: workload.metadata?.name ?? '',
    },
    ...{ minReplicas: null, maxReplicas: null },
    config: { intervalMs: null, runMode: null, downscaleStabilizationSec: null },
    currentReplicas: specReplicas(workload),
    ...{ desiredReplicas: null, lastMetrics: null, lastEvaluation: null, lastDecision: null },
    ...{ lastScaleTime: null, lastCycleTime: null, lastError: null, consecutiveFailures: null },
    ...{ state: 'Unknown', runner: null, pod: null, hints: [] },
  };
}

function metricsOf(state: RecordedState): AutoscalerStatus['lastMetrics'] {
  if (state.metrics === undefined || state.metrics === null) return null;
  return state.metrics.map((m) =>
    m.resource === undefined ? { value: m.value ?? '' } : { resource: m.resource, value: m.value ?? '' },
  );
}

/** The item fields a recorded state gives directly. */
function recordedFields(s: RecordedState): Partial<AutoscalerStatus> {
  const d = s.decision;
  return {
    minReplicas: s.config.minReplicas,
    maxReplicas: s.config.maxReplicas,
    config: {
      intervalMs: s.config.intervalMs,
      runMode: s.config.runMode ?? null,
      downscaleStabilizationSec: s.config.downscaleStabilizationSec ?? null,
    },
    desiredReplicas: d?.to ?? null,
    lastMetrics: metricsOf(s),
    lastEvaluation: s.evaluation ?? null,
    lastDecision: d
      ? { from: d.from, to: d.to, reason: d.reason, reasons: d.reasons, clamped: d.clamped, time: d.time }
      : null,
    lastScaleTime: s.lastScaleTime ?? null,
    lastCycleTime: s.cycle.time,
    lastError: s.lastError
      ? { stage: s.lastError.stage, message: s.lastError.message, time: s.lastError.time }
      : null,
    consecutiveFailures: s.consecutiveFailures,
    runner: s.runner,
  };
}

/** The item of a workload carrying the annotation; null when it carries none. */
export function fromAnnotated(workload: KubeObject, nowMs: number): AutoscalerStatus | null {
  const annotations = (workload.metadata?.annotations ?? {}) as Record<string, string>;
  const text = annotations[STATUS_ANNOTATION];
  if (text === undefined) return null;
  const decoded = decodeState(text);
  if (decoded.state === null) {
    const item = emptyItem(workload, workload.metadata?.name ?? '');
    item.hints.push(`the ${STATUS_ANNOTATION} annotation cannot be read: ${decoded.problem}`);
    return item;
  }
  const s = decoded.state;
  const item = emptyItem(workload, s.name);
  const d = s.decision;
  Object.assign(item, recordedFields(s));
  if ((s.metricsOmitted ?? 0) > 0)
    item.hints.push(`${s.metricsOmitted} metrics were left out of the record (size limit)`);
  const age = ageMs(s.cycle.time, nowMs);
  item.state = stateOf({
    ageMs: age,
    staleAfterMs: staleAfterMs(s.config.intervalMs),
    consecutiveFailures: s.consecutiveFailures,
    disabled: d?.reason === 'AutoscalingDisabled',
  });
  if (item.state === 'Stale')
    item.hints.push(
      `no cycle recorded for ${Math.round((age ?? 0) / 1000)}s; is \`kubectl cpa run\` on ${s.runner.host} (pid ${s.runner.pid}) still running?`,
    );
  return item;
}
