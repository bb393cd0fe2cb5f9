// Pure half of the recorder: what to record after a cycle, and whether it is worth a write. Writes touch
// the workload's metadata (and, for a Deployment, the controller copies annotations onto its ReplicaSet),
// so an unchanged state is re-recorded only as a heartbeat.
import type { CycleReport, ResourceMetric } from '../autoscaler/types.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import { REASON_PRIORITY, type ReasonCode } from '../logger/events.ts';
import { windowShape } from '../autoscaler/windows.ts';
import { SCHEMA_VERSION, type RecordedDecision, type RecordedMetric, type RecordedState } from './schema.ts';

/** Bounds that keep the annotation a few KiB (the API server allows 256 KiB for all annotations). */
export const LIMITS = { metricsBytes: 4096, valueChars: 512, messageChars: 1024 };

/** Shortest period of heartbeat writes when nothing but the cycle time changed. */
export const HEARTBEAT_MIN_MS = 60_000;

/** The marker a cut string ends with: how many characters it lost. */
const cutMarker = (lost: number): string => `…[+${lost} chars]`;

/** `abc…[+1200 chars]`: a cut string says how much it lost (the marker comes on top of `maxChars`). */
export function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}${cutMarker(text.length - maxChars)}`;
}

/**
 * Where a reader of the annotation cuts strings: past the longest `boundText(_, LIMITS.messageChars)` writes,
 * marker included (no string is longer than a safe integer). A reader cutting at the writer's own limit cut
 * every long error message a second time, so what was written did not read back.
 */
export const READ_CHARS = LIMITS.messageChars + cutMarker(Number.MAX_SAFE_INTEGER).length;

/** Cuts long values and drops trailing metrics past `LIMITS.metricsBytes`; returns the count dropped. */
export function boundMetrics(metrics: readonly ResourceMetric[]): {
  metrics: RecordedMetric[];
  omitted: number;
} {
  const kept: RecordedMetric[] = [];
  let bytes = 2;
  for (const metric of metrics) {
    const bounded: RecordedMetric = { ...metric };
    if (bounded.value !== undefined) bounded.value = boundText(bounded.value, LIMITS.valueChars);
    if (bounded.resource !== undefined) bounded.resource = boundText(bounded.resource, LIMITS.valueChars);
    const size = Buffer.byteLength(JSON.stringify(bounded)) + 1;
    if (bytes + size > LIMITS.metricsBytes) break;
    bytes += size;
    kept.push(bounded);
  }
  return { metrics: kept, omitted: metrics.length - kept.length };
}

/** The reason that best explains the final count: a limit or the stabilisation window beats Scaled/NoChange. */
export function primaryReason(reasons: readonly ReasonCode[]): ReasonCode {
  return REASON_PRIORITY.find((r) => reasons.includes(r)) ?? 'NoChange';
}

/** Who records, and with which settings. */
export interface RecordInput {
  name: string;
  runner: { host: string; pid: number; version: string };
  config: Pick<
    Config,
    'minReplicas' | 'maxReplicas' | 'intervalMs' | 'runMode' | 'downscaleStabilizationSec'
  >;
}

/** The decision of this cycle; an identical repeat keeps the earlier time, which then reads "since". */
function decisionOf(
  report: CycleReport,
  time: string,
  previous: RecordedDecision | undefined,
): RecordedDecision | undefined {
  const d = report.decision;
  if (d === undefined) return previous;
  const action = d.action === 'disabled' ? 'disabled' : report.scaled ? 'scaled' : 'unchanged';
  const decision: RecordedDecision = {
    from: d.current,
    to: d.target,
    evaluation: d.evaluation,
    clamped: d.clamped,
    reason: primaryReason(d.reasons),
    reasons: [...d.reasons],
    action,
    time,
  };
  if (d.chain !== undefined) decision.chain = d.chain.map((step) => ({ ...step }));
  if (previous === undefined || action === 'scaled') return decision;
  const same = JSON.stringify({ ...previous, time }) === JSON.stringify(decision);
  return same ? previous : decision;
}

/**
 * The state after `report`. What this cycle did not reach (metrics, evaluation, decision) is carried over
 * from `previous`, as are the last scale time and the last error; the failure count continues from it.
 */
export function buildRecordedState(
  input: RecordInput,
  report: CycleReport,
  previous: RecordedState | null,
): RecordedState {
  const time = new Date(report.startedMs).toISOString();
  const { minReplicas, maxReplicas, intervalMs, runMode, downscaleStabilizationSec } = input.config;
  const state: RecordedState = {
    schemaVersion: SCHEMA_VERSION,
    name: input.name,
    runner: { ...input.runner },
    config: { minReplicas, maxReplicas, intervalMs, runMode, downscaleStabilizationSec },
    cycle: { time, durationMs: report.durationMs, runType: report.runType },
    consecutiveFailures: report.error ? (previous?.consecutiveFailures ?? 0) + 1 : 0,
  };
  // A record of an older version has no `since`: its first cycle in this version starts the age.
  state.since = previous === null ? time : (previous.since ?? time);
  if (report.metrics !== undefined) {
    const bounded = report.metrics === null ? null : boundMetrics(report.metrics);
    state.metrics = bounded === null ? null : bounded.metrics;
    if (bounded !== null && bounded.omitted > 0) state.metricsOmitted = bounded.omitted;
  } else if (previous?.metrics !== undefined) {
    state.metrics = previous.metrics;
    if (previous.metricsOmitted !== undefined) state.metricsOmitted = previous.metricsOmitted;
  }
  const kubernetesMetrics = report.kubernetesMetrics ?? previous?.kubernetesMetrics;
  if (kubernetesMetrics !== undefined) state.kubernetesMetrics = kubernetesMetrics;
  const evaluation = report.evaluation ?? previous?.evaluation;
  if (evaluation !== undefined) state.evaluation = evaluation;
  const decision = decisionOf(report, time, previous?.decision);
  if (decision !== undefined) state.decision = decision;
  const lastScaleTime = report.scaled ? time : previous?.lastScaleTime;
  if (lastScaleTime !== undefined) state.lastScaleTime = lastScaleTime;
  const lastError = report.error
    ? { stage: report.error.stage, message: boundText(report.error.message, LIMITS.messageChars), time }
    : previous?.lastError;
  if (lastError !== undefined) state.lastError = lastError;
  const windows = report.windows ?? previous?.windows;
  if (windows !== undefined) state.windows = windows;
  return state;
}

/** Heartbeat period for an interval: never more often than once per interval, at least once a minute. */
export function heartbeatMs(intervalMs: number): number {
  return Math.max(intervalMs, HEARTBEAT_MIN_MS);
}

/**
 * Age after which a record counts as stale: 3 intervals, but never before a live runner's next heartbeat
 * could have landed (heartbeat + 2 intervals).
 */
export function staleAfterMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, heartbeatMs(intervalMs) + 2 * intervalMs);
}

/** The state without the fields that change every cycle, for comparing what matters. */
function stableView(state: RecordedState): string {
  const { cycle, claim, windows, ...rest } = state;
  // A renewal alone is a heartbeat; a new holder or lease is a change.
  const holder = claim === undefined ? undefined : { ...claim, renewTime: undefined };
  // Windows gain a fresh timestamp every cycle; only a new value, scale event or expiry is a change.
  const shape = windows === undefined ? undefined : windowShape(windows);
  return JSON.stringify({ ...rest, runType: cycle.runType, holder, windows: shape });
}

export type WriteVerdict = 'first' | 'changed' | 'heartbeat' | 'unchanged';

/**
 * Whether `next` must be written. Anything but the cycle time and duration changing is written at once; a
 * new cycle time alone is written as a heartbeat (ticks jitter, so it is due half an interval early).
 */
export function writeVerdict(
  previous: RecordedState | null,
  next: RecordedState,
  /** Heartbeat period; a claim with a short lease must be renewed sooner than once a minute. */
  everyMs: number = heartbeatMs(next.config.intervalMs),
): WriteVerdict {
  if (previous === null) return 'first';
  if (stableView(previous) !== stableView(next)) return 'changed';
  const elapsedMs = Date.parse(next.cycle.time) - Date.parse(previous.cycle.time);
  if (!Number.isFinite(elapsedMs)) return 'changed';
  const dueMs = everyMs - next.config.intervalMs / 2;
  return elapsedMs >= dueMs ? 'heartbeat' : 'unchanged';
}

/** Dry runs leave no trace; REST API requests that stopped before deciding and did not fail have nothing to say. */
export function shouldRecord(report: CycleReport): boolean {
  if (report.dryRun || report.runType === 'api_dry_run') return false;
  return report.decision !== undefined || report.error !== undefined;
}

/** `my-autoscaler` for `/home/me/my-autoscaler`; the target's name when the directory has no name (`/`). */
export function autoscalerName(absDir: string, target: ScaleTargetRef): string {
  const base =
    absDir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return base === '' ? target.name : base;
}
