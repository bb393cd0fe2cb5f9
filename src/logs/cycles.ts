// Records → cycles: the per-cycle "decisions" reducer. One cycle runs from its first line (at verbosity ≥ 2
// Go CPA's `Running autoscaler`; at 0 the first decision or error line) to the line after which a new one
// must have begun. Lines that follow a decision in the same cycle (patch details, post-scale hook, a
// failed patch) still belong to it, so a cycle is only final when the next one starts or on flush.
import type { LineFormat } from './line.ts';
import type { Classified, DecisionReason, LogRecord } from './records.ts';

/** One autoscaling cycle as far as the log tells it; absent fields were not logged. */
export interface Cycle {
  format: LineFormat;
  /** RFC 3339 time of the cycle's first line, when known. */
  time?: string;
  /** The log's own clock when it has no year (glog `0612 14:03:15.310742`). */
  clock?: string;
  /** `api`, `api_dry_run` for cycles run through the REST API (kubectl-cpa logs only). */
  runType?: string;
  /** Decided but not patched (kubectl-cpa `--dry-run` or a REST API dry run). */
  dryRun?: boolean;
  metrics?: { resource?: string; value: string }[];
  /** Raw evaluation (targetReplicas before clamping). */
  evaluation?: number;
  /** The evaluator's raw stdout. */
  evaluationRaw?: string;
  from?: number;
  to?: number;
  /** Reason codes, the action last; empty when the cycle failed before deciding. */
  reasons: DecisionReason[];
  error?: string;
  /** stderr of the method that failed, when logged. */
  stderr?: string;
}

interface Draft extends Cycle {
  closed: boolean;
  current?: number;
  picked?: number;
  clamp?: Extract<LogRecord, { kind: 'clamp' }>;
  action?: Extract<LogRecord, { kind: 'action' }>;
  pod?: string;
}

/** Records that begin or extend the part of a cycle before its decision. */
const PRE = new Set([
  'current',
  'metric-pod',
  'metric',
  'evaluation-raw',
  'evaluation',
  'clamp',
  'stderr',
  'detail',
]);

/** Folds classified entries into cycles, in order. */
export class CycleReducer {
  #draft: Draft | undefined;

  /** Adds one record; returns the cycles it proved complete. */
  push(c: Classified): Cycle[] {
    const r = c.record;
    if (r.kind === 'version' || r.kind === 'lifecycle' || (r.kind === 'error' && r.fatal === true))
      return this.flush();
    if (r.kind === 'cycle-start') return this.#restart(c);
    if (r.kind === 'post') return [];
    if (r.kind === 'error') return r.cycle ? this.#error(c, r.message) : [];
    if (r.kind === 'other') return [];
    const d = this.#draft;
    const fresh = d === undefined || d.closed || (r.kind === 'picked' && d.picked !== undefined);
    const done = fresh ? this.#restart(c) : [];
    apply(this.#draft!, r);
    return done;
  }

  /** Ends the current cycle; returns it when it reached a decision or an error. */
  flush(): Cycle[] {
    const d = this.#draft;
    this.#draft = undefined;
    return d !== undefined && d.closed ? [finish(d)] : [];
  }

  /** True when a decided cycle is waiting for lines that may still belong to it. */
  get decided(): boolean {
    return this.#draft?.closed === true;
  }

  #restart(c: Classified): Cycle[] {
    const done = this.flush();
    this.#draft = { format: c.format, reasons: [], closed: false };
    if (c.time !== undefined) this.#draft.time = c.time;
    if (c.clock !== undefined) this.#draft.clock = c.clock;
    return done;
  }

  #error(c: Classified, message: string): Cycle[] {
    const d = this.#draft;
    // A failed patch or post-scale hook is logged after `Rescaling …`: same cycle.
    if (
      d?.closed &&
      d.action !== undefined &&
      d.error === undefined &&
      message.startsWith('failed to scale resource:')
    ) {
      d.error = message;
      return [];
    }
    const done = d === undefined || d.closed ? this.#restart(c) : [];
    this.#draft!.error = message;
    this.#draft!.closed = true;
    return done;
  }
}

function apply(d: Draft, r: LogRecord): void {
  if (PRE.has(r.kind)) return applyPre(d, r);
  if (r.kind === 'picked') d.picked = r.replicas;
  else if (r.kind === 'action') {
    d.action = r;
    d.closed = true;
  } else if (r.kind === 'decision') {
    Object.assign(d, { from: r.from, to: r.to, reasons: r.reasons, closed: true });
    if (r.evaluation !== undefined) d.evaluation = r.evaluation;
    if (r.runType !== undefined) d.runType = r.runType;
    if (r.dryRun === true) d.dryRun = true;
  }
}

function applyPre(d: Draft, r: LogRecord): void {
  switch (r.kind) {
    case 'current':
      d.current = r.replicas;
      return;
    case 'metric-pod':
      d.pod = r.pod;
      return;
    case 'metric': {
      const resource = r.resource ?? d.pod;
      d.metrics = [
        ...(d.metrics ?? []),
        resource === undefined ? { value: r.value } : { resource, value: r.value },
      ];
      d.pod = undefined;
      return;
    }
    case 'evaluation-raw':
      d.evaluationRaw = r.raw;
      return;
    case 'evaluation':
      d.evaluation = r.replicas;
      return;
    case 'clamp':
      d.clamp = r;
      if (r.current !== undefined) d.current = r.current;
      if (r.evaluation !== undefined) d.evaluation = r.evaluation;
      return;
    case 'stderr':
      if (r.failed) d.stderr = r.text;
      return;
  }
}

/** Go CPA logs the pieces; the reason chain (clamp, stabilization, action) is rebuilt from them. */
function finish(d: Draft): Cycle {
  const { closed: _c, current, picked, clamp, action, pod: _p, ...cycle } = d;
  if (action === undefined) {
    // Our own decision line, or a cycle that failed before acting: the replicas it read, if logged.
    if (cycle.from === undefined && current !== undefined) cycle.from = current;
    return cycle;
  }
  const from = action.from ?? current;
  const to = action.to ?? picked;
  if (from !== undefined) cycle.from = from;
  if (to !== undefined) cycle.to = to;
  const reasons: DecisionReason[] = [];
  if (clamp?.reason !== undefined) reasons.push(clamp.reason);
  // The clamped value: minReplicas when clamped to it, the evaluation when within bounds.
  const clamped = clamp === undefined ? undefined : clamp.reason === undefined ? cycle.evaluation : clamp.to;
  if (
    action.reason !== 'AutoscalingDisabled' &&
    picked !== undefined &&
    clamped !== undefined &&
    picked > clamped
  )
    reasons.push('ScaleDownStabilized');
  cycle.reasons =
    action.reason === 'AutoscalingDisabled' ? ['AutoscalingDisabled'] : [...reasons, action.reason];
  return cycle;
}

/** Folds a list of classified entries into cycles (complete ones only). */
export function reduceCycles(records: Iterable<Classified>): Cycle[] {
  const reducer = new CycleReducer();
  const cycles: Cycle[] = [];
  for (const c of records) cycles.push(...reducer.push(c));
  return [...cycles, ...reducer.flush()];
}
