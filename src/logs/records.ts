// What one log entry says, independent of the format it was written in. The message catalogues that
// produce these records are in go-catalogue.ts (Go CPA) and own-catalogue.ts (kubectl-cpa).
import type { ReasonCode } from '../logger/events.ts';
import type { LineFormat } from './line.ts';

/** Reason codes a decision can carry: kubectl-cpa's one vocabulary (Go CPA logs map onto it). */
export type DecisionReason = ReasonCode;

/** The meaning of one entry. */
export type LogRecord =
  /** `Custom Pod Autoscaler version: v2.12.2`. */
  | { kind: 'version'; version: string }
  /** Start-up and shutdown lines: no cycle is in progress around them. */
  | { kind: 'lifecycle' }
  /** `Running autoscaler` (Go CPA at verbosity ≥ 2): a new cycle begins. */
  | { kind: 'cycle-start' }
  /** Replicas of the target when the cycle read it. */
  | { kind: 'current'; replicas: number }
  /** `Running metric gathering for pod: P`: names the value that follows. */
  | { kind: 'metric-pod'; pod: string }
  /** One raw metric value (the metric method's stdout). */
  | { kind: 'metric'; resource?: string; value: string }
  /** The evaluator's raw stdout. */
  | { kind: 'evaluation-raw'; raw: string }
  /** The parsed evaluation, before clamping. */
  | { kind: 'evaluation'; replicas: number }
  /**
   * Which clamp branch ran (none: within bounds). Go CPA v2's V(1) lines print the current replicas
   * (`current`) where v0.8 printed the evaluation; each field is set only where the line is truthful.
   */
  | {
      kind: 'clamp';
      reason?: 'ClampedToMin' | 'ClampedToMax';
      current?: number;
      evaluation?: number;
      to?: number;
    }
  /** `Picked max evaluation over stabilization window of W seconds; replicas T`. */
  | { kind: 'picked'; replicas: number; windowSec: number }
  /** The action of a Go CPA cycle; `from` is absent in v0.8 (`Rescaling to T replicas`). */
  | { kind: 'action'; reason: 'Scaled' | 'NoChange' | 'AutoscalingDisabled'; from?: number; to?: number }
  /** A whole decision in one line (kubectl-cpa's own logs). */
  | {
      kind: 'decision';
      from: number;
      to: number;
      evaluation?: number;
      reasons: DecisionReason[];
      runType?: string;
      /** Decided but not patched (`--dry-run`, `?dry_run=true`). */
      dryRun?: boolean;
    }
  /** stderr of a method: `failed` when it explains a failure, else a `logStderr` dump. */
  | { kind: 'stderr'; text: string; failed: boolean }
  /** An error; `cycle` when it ends the cycle as failed, `fatal` when the process stops. */
  | { kind: 'error'; message: string; cycle: boolean; fatal?: boolean }
  /** A known per-cycle line without data, before the decision. */
  | { kind: 'detail' }
  /** A known line that follows the decision in the same cycle (patch, post-scale hook, end marker). */
  | { kind: 'post' }
  /** Anything else (other libraries, user output): ignored. */
  | { kind: 'other' };

/** A record with where it came from. */
export interface Classified {
  record: LogRecord;
  format: LineFormat;
  /** Verbosity this line proves (a V(n) line exists only when logVerbosity ≥ n); absent when unknown. */
  v?: number;
  /** RFC 3339 time when known. */
  time?: string;
  /** The log's own clock when it has no year (glog). */
  clock?: string;
}
