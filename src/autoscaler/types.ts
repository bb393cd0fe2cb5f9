// Data carried through one autoscaling cycle, with CPA's JSON field names where user logic sees them.
import type { ReasonCode, Stage } from '../logger/events.ts';

/** CPA's ResourceMetric: both keys omitted when empty. */
export interface ResourceMetric {
  resource?: string;
  value?: string;
}

/** `scaler` for the loop, `api` / `api_dry_run` for REST API requests. */
export type RunType = 'scaler' | 'api' | 'api_dry_run';

/** How far a cycle goes: the REST API's metrics endpoint stops after metrics, dry-run evaluation after evaluate. */
export type StopAfter = 'metrics' | 'evaluate' | 'scale';

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
}

/** What one cycle did; the loop logs it, the API answers from it, status records it. */
export interface CycleReport {
  runType: RunType;
  /** `kind/namespace/name` for messages. */
  target: string;
  startedMs: number;
  durationMs: number;
  metrics?: ResourceMetric[] | null;
  evaluation?: number;
  decision?: Decision;
  /** True when the scale subresource was patched. */
  scaled?: boolean;
  dryRun: boolean;
  error?: { stage: Stage; message: string };
}
