// What `kubectl cpa status` knows about one autoscaler, whatever the source: the annotation `run` writes on
// its target, or the pod log of a CustomPodAutoscaler. Pure: built from API objects and `nowMs`.
import type { KubeObject } from '../ports.ts';
import { readRecord, type LooseRecord } from './decode.ts';
import { staleAfterMs } from './record.ts';
import { STATUS_ANNOTATION } from './schema.ts';
import { holderLabel, readClaim, type RecordedClaim } from './claim.ts';
import type { ChainStep } from '../autoscaler/types.ts';
import type { K8sMetricSummary } from '../autoscaler/k8s-metrics/summary.ts';
import { PAUSED_ANNOTATION, PAUSED_REPLICAS_ANNOTATION, readPause } from '../autoscaler/pause.ts';

/**
 * Where an item's state comes from: the annotation a runner writes (`in-cluster` when that runner is a pod,
 * as `kubectl cpa deploy` runs it), or a CustomPodAutoscaler's pod log.
 */
export type StatusSource = 'annotations' | 'in-cluster' | 'logs';

/** The STATUS column, worst first in the order they are decided. */
export type AutoscalerState =
  'Paused' | 'NoPod' | 'Invalid' | 'Unknown' | 'Stale' | 'Failing' | 'Disabled' | 'Active';

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
  /** The Kubernetes metrics of the last cycle that gathered them (annotations, kubernetesMetricSpecs only). */
  kubernetesMetrics?: K8sMetricSummary[];
  lastEvaluation: number | null;
  lastDecision: {
    from: number | null;
    to: number;
    reason: string;
    /** Every reason code (annotations only). */
    reasons?: string[];
    /** After clamping, before stabilisation (annotations only). */
    clamped?: number;
    /** Each step from evaluation to target: input, output, reason (annotations only). */
    chain?: ChainStep[];
    time: string | null;
  } | null;
  lastScaleTime: string | null;
  lastCycleTime: string | null;
  /** When the autoscaler first recorded (annotations) or its object was created (logs): the AGE column. */
  firstRecordedTime: string | null;
  lastError: { stage: string | null; message: string; time: string | null } | null;
  consecutiveFailures: number | null;
  state: AutoscalerState;
  /** Who runs it: the `kubectl cpa run` process (annotations). */
  runner: { host: string; pid: number; version: string } | null;
  /**
   * Who holds the target (one writer per target): `web on laptop (pid 42)`, with ` (lapsed)` once its lease
   * ran out by this machine's clock; absent when the record carries no claim (annotations only).
   */
  heldBy?: string;
  /**
   * The pod that leads (in-cluster only): the claim's holder pod. Only the elected leader writes the
   * annotation, so the last writer is the leader until the next one records its first cycle.
   */
  leader?: string;
  /** The autoscaler pod (logs). */
  pod: { name: string; phase: string; count: number } | null;
  /** What is unknown and how to learn it. */
  hints: string[];
  /** State `Invalid` only: what is wrong with the annotation, one entry per field. */
  malformed?: string[];
}

/** Facts that decide the STATUS column. */
export interface StateFacts {
  paused?: boolean;
  noPod?: boolean;
  /** The record is malformed: what it says cannot be trusted as a whole. */
  invalid?: boolean;
  unknown?: boolean;
  ageMs: number | null;
  staleAfterMs: number;
  consecutiveFailures: number | null;
  disabled: boolean;
}

/** STATUS: paused/missing/invalid/unknown first, then a runner that stopped, then failures, then the decision. */
export function stateOf(f: StateFacts): AutoscalerState {
  if (f.paused) return 'Paused';
  if (f.noPod) return 'NoPod';
  if (f.invalid) return 'Invalid';
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
    ...{ lastScaleTime: null, lastCycleTime: null, firstRecordedTime: null },
    ...{ lastError: null, consecutiveFailures: null },
    ...{ state: 'Unknown', runner: null, pod: null, hints: [] },
  };
}

function metricsOf(r: LooseRecord): AutoscalerStatus['lastMetrics'] {
  if (r.metrics === undefined || r.metrics === null) return null;
  return r.metrics.map((m) =>
    m.resource === undefined ? { value: m.value ?? '' } : { resource: m.resource, value: m.value ?? '' },
  );
}

function decisionOf(r: LooseRecord): AutoscalerStatus['lastDecision'] {
  const d = r.decision;
  // Without the target and the reason there is no decision to show.
  if (d?.to === undefined || d.reason === undefined) return null;
  const decision: NonNullable<AutoscalerStatus['lastDecision']> = {
    ...{ from: d.from ?? null, to: d.to, reason: d.reason },
    ...(d.reasons === undefined ? {} : { reasons: d.reasons }),
    ...(d.clamped === undefined ? {} : { clamped: d.clamped }),
    ...(d.chain === undefined ? {} : { chain: d.chain }),
    time: d.time ?? null,
  };
  return decision;
}

/** The item fields a record gives directly; what it lacks stays unknown (null). */
function recordedFields(r: LooseRecord): Partial<AutoscalerStatus> {
  const decision = decisionOf(r);
  const e = r.lastError;
  return {
    minReplicas: r.config.minReplicas ?? null,
    maxReplicas: r.config.maxReplicas ?? null,
    config: {
      intervalMs: r.config.intervalMs ?? null,
      runMode: r.config.runMode ?? null,
      downscaleStabilizationSec: r.config.downscaleStabilizationSec ?? null,
    },
    desiredReplicas: decision?.to ?? null,
    lastMetrics: metricsOf(r),
    ...(r.kubernetesMetrics === undefined ? {} : { kubernetesMetrics: r.kubernetesMetrics }),
    lastEvaluation: r.evaluation ?? null,
    lastDecision: decision,
    lastScaleTime: r.lastScaleTime ?? null,
    lastCycleTime: r.cycle.time ?? null,
    firstRecordedTime: r.since ?? null,
    lastError:
      e?.message === undefined ? null : { stage: e.stage ?? null, message: e.message, time: e.time ?? null },
    consecutiveFailures: r.consecutiveFailures ?? 0,
    runner: r.runner ?? null,
  };
}

/** The item of a workload carrying the annotation; null when it carries none. Never throws. */
export function fromAnnotated(workload: KubeObject, nowMs: number): AutoscalerStatus | null {
  const annotations = (workload.metadata?.annotations ?? {}) as Record<string, unknown>;
  const text = annotations[STATUS_ANNOTATION];
  if (typeof text !== 'string') return null;
  const read = readRecord(text);
  const r = read.record;
  const item = emptyItem(workload, r?.name ?? workload.metadata?.name ?? '');
  const invalid = read.malformed.length > 0;
  if (invalid) {
    item.malformed = read.malformed;
    item.hints.push(`the ${STATUS_ANNOTATION} annotation is malformed: ${read.malformed.join('; ')}`);
  }
  if (r === null) {
    if (!invalid) item.hints.push(`the ${STATUS_ANNOTATION} annotation cannot be read: ${read.problem}`);
    item.state = invalid ? 'Invalid' : 'Unknown';
    return item;
  }
  Object.assign(item, recordedFields(r));
  const claim = readClaim(text);
  const held = heldByText(claim, nowMs);
  if (held !== undefined) item.heldBy = held;
  // A runner names its pod only when it runs in one (downward API POD_NAME, which deploy's pods set).
  if (claim?.holder.pod !== undefined) {
    item.source = 'in-cluster';
    item.leader = claim.holder.pod;
  }
  if ((r.metricsOmitted ?? 0) > 0)
    item.hints.push(`${r.metricsOmitted} metrics were left out of the record (size limit)`);
  const age = ageMs(r.cycle.time, nowMs);
  const intervalMs = r.config.intervalMs;
  const pause = readPause(annotations as Record<string, string>);
  if (pause.paused) item.hints.push(pauseHint(pause, item.lastDecision));
  item.state = stateOf({
    paused: pause.paused,
    invalid,
    ageMs: age,
    // Without an interval there is no telling when a record is stale.
    staleAfterMs: intervalMs === undefined ? Infinity : staleAfterMs(intervalMs),
    consecutiveFailures: item.consecutiveFailures,
    disabled: item.lastDecision?.reason === 'AutoscalingDisabled',
  });
  if (item.state === 'Stale') {
    const where = r.runner === undefined ? '' : ` on ${r.runner.host} (pid ${r.runner.pid})`;
    item.hints.push(
      `no cycle recorded for ${Math.round((age ?? 0) / 1000)}s; is \`kubectl cpa run\`${where} still running?`,
    );
  }
  return item;
}

/** How long the target has been paused (the runner's first paused decision) and how it is paused. */
function pauseHint(
  pause: Extract<ReturnType<typeof readPause>, { paused: true }>,
  decision: AutoscalerStatus['lastDecision'],
): string {
  const how =
    pause.replicas === undefined
      ? `holding the replicas (${PAUSED_ANNOTATION})`
      : `at ${pause.replicas} replicas (${PAUSED_REPLICAS_ANNOTATION})`;
  const since =
    decision?.reason === 'Paused' && decision.time !== null
      ? `since ${decision.time}`
      : 'not yet applied by the runner';
  return `paused ${how}, ${since}; \`kubectl cpa resume\` ends it`;
}

/** HELD BY: the claim's holder, marked lapsed when its lease ran out by our clock (status cannot watch it). */
function heldByText(claim: RecordedClaim | null, nowMs: number): string | undefined {
  if (claim === null) return undefined;
  const renewed = Date.parse(claim.renewTime);
  const lapsed = Number.isFinite(renewed) && nowMs - renewed > claim.leaseMs;
  return `${holderLabel(claim.holder)}${lapsed ? ' (lapsed)' : ''}`;
}
