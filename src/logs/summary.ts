// What an autoscaler pod's log says about its state: version, verbosity, last cycle, decision, scale,
// error and the run of failures at the end. Used by `kubectl cpa status` for CustomPodAutoscalers.
import { classify } from './classify.ts';
import { type Cycle, CycleReducer } from './cycles.ts';
import { groupEntries } from './entries.ts';
import { REASON_PRIORITY } from '../logger/events.ts';

export interface LogSummary {
  /** From `Custom Pod Autoscaler version: …`. */
  version?: string;
  /** Highest V level evidenced by the lines seen. */
  verbosity: number | 'unknown';
  /** RFC 3339 if known (from a --timestamps prefix or our own logs), else undefined. */
  lastCycleTime?: string;
  /** Raw evaluation, if the verbosity logged it. */
  lastEvaluation?: number;
  /** Raw metric values, if logged (Go CPA: logVerbosity 3). */
  lastMetrics?: string[];
  /** reason: Scaled | NoChange | AutoscalingDisabled | ClampedToMin | ClampedToMax | ScaleDownStabilized. */
  lastDecision?: { from?: number; to: number; reason: string; time?: string };
  lastScale?: { from: number; to: number; time?: string };
  lastError?: { message: string; time?: string };
  consecutiveFailures: number;
}

/** Picks the reason code shown as "the" reason of a decision. */
export function primaryReason(reasons: readonly string[]): string {
  return REASON_PRIORITY.find((r) => reasons.includes(r)) ?? reasons.at(-1) ?? 'Unknown';
}

const withTime = <T extends object>(value: T, time: string | undefined): T & { time?: string } =>
  time === undefined ? value : { ...value, time };

/** The stderr line that explains a failure best: the last non-empty one (a traceback's exception). */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? ''
  );
}

/** An error chain with the failing method's stderr (its last line) when that was logged. */
export function errorWithStderr(error: string, stderr: string | undefined): string {
  const line = stderr === undefined ? '' : lastLine(stderr);
  return line === '' ? error : `${error} (stderr: ${line})`;
}

/** True when the cycle changed the replicas: decided to scale, patched (not a dry run, the patch not refused). */
export function didScale(cycle: Cycle): boolean {
  if (!cycle.reasons.includes('Scaled') || cycle.dryRun === true || cycle.from === cycle.to) return false;
  // Only a post-scale hook fails after the patch went through.
  return cycle.error === undefined || cycle.error.includes('failed to run post-scaling hook');
}

/** Fills the per-cycle fields from the cycles, latest last. */
function fromCycles(summary: LogSummary, cycles: Cycle[]): void {
  // REST API dry runs answer a caller; they are not the autoscaler's own cycles.
  for (const cycle of cycles.filter((c) => c.runType !== 'api_dry_run')) {
    if (cycle.time !== undefined) summary.lastCycleTime = cycle.time;
    if (cycle.evaluation !== undefined) summary.lastEvaluation = cycle.evaluation;
    if (cycle.metrics !== undefined) summary.lastMetrics = cycle.metrics.map((m) => m.value);
    if (cycle.reasons.length > 0 && cycle.to !== undefined) {
      const decision = { to: cycle.to, reason: primaryReason(cycle.reasons) };
      summary.lastDecision = withTime(
        cycle.from === undefined ? decision : { from: cycle.from, ...decision },
        cycle.time,
      );
      if (didScale(cycle) && cycle.from !== undefined)
        summary.lastScale = withTime({ from: cycle.from, to: cycle.to }, cycle.time);
    }
    summary.consecutiveFailures = cycle.error === undefined ? 0 : summary.consecutiveFailures + 1;
  }
}

/** Summarizes a pod log (ideally fetched with timestamps=true) of Go CPA or kubectl-cpa. */
export function summarizeCpaLog(text: string): LogSummary {
  const summary: LogSummary = { verbosity: 'unknown', consecutiveFailures: 0 };
  const reducer = new CycleReducer();
  const cycles: Cycle[] = [];
  let stderr: string | undefined;
  for (const entry of groupEntries(text)) {
    const c = classify(entry);
    const r = c.record;
    if (c.v !== undefined && (summary.verbosity === 'unknown' || c.v > summary.verbosity))
      summary.verbosity = c.v;
    if (r.kind === 'version') summary.version = r.version;
    // Every error counts as the last error, also those that do not fail a cycle (fatal, K8s metric notes);
    // a failing method's stderr is logged just before the error it causes.
    if (r.kind === 'error')
      summary.lastError = withTime({ message: errorWithStderr(r.message, stderr) }, c.time);
    if (r.kind !== 'other') stderr = r.kind === 'stderr' && r.failed ? r.text : undefined;
    cycles.push(...reducer.push(c));
  }
  fromCycles(summary, [...cycles, ...reducer.flush()]);
  return summary;
}
