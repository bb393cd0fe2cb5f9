// Log events as a discriminated union; one formatter per output format (text, json) renders them.
// The JSON schema is documented in the README ("Log format").

/** Why the final replica count is what it is. Drives logs, status, events and tests. */
export type ReasonCode =
  | 'Scaled'
  | 'NoChange'
  | 'ClampedToMin'
  | 'ClampedToMax'
  | 'ScaleDownStabilized'
  | 'AutoscalingDisabled'
  // The safety steps (issue 15): HPA behavior, KEDA fallback, pause.
  | 'ScaleUpStabilized'
  | 'ScaleUpLimited'
  | 'ScaleDownLimited'
  | 'ScalingDisabled'
  | 'FallbackApplied'
  | 'Paused';

/** Which reason explains a decision best when it has several: disabled, stabilization, clamps, the action. */
export const REASON_PRIORITY: readonly ReasonCode[] = [
  'Paused',
  'AutoscalingDisabled',
  'FallbackApplied',
  'ScalingDisabled',
  'ScaleUpLimited',
  'ScaleDownLimited',
  'ScaleUpStabilized',
  'ScaleDownStabilized',
  'ClampedToMax',
  'ClampedToMin',
  'Scaled',
  'NoChange',
];

/** Pipeline stage where a cycle failed. */
export type Stage =
  'config' | 'target' | 'scale' | 'pods' | 'metric' | 'evaluate' | 'decide' | 'patch' | 'hook';

export type LogEvent =
  /** One per successful cycle, at verbosity 0. */
  | {
      kind: 'decision';
      target: string;
      runType: string;
      from: number;
      to: number;
      evaluation: number;
      reasons: ReasonCode[];
      action: 'scaled' | 'unchanged' | 'disabled' | 'would-scale' | 'held-by-other';
      durationMs: number;
      /** With `held-by-other`: the runner whose fresh claim on the target kept this one from writing. */
      heldBy?: string;
    }
  /** One per failed cycle, at verbosity 0. */
  | {
      kind: 'cycle-error';
      target: string;
      runType: string;
      stage: Stage;
      message: string;
      durationMs: number;
    }
  /** stderr of a hook that asked for `logStderr`, or of a failed hook at higher verbosity. */
  | { kind: 'hook-stderr'; hook: string; stderr: string }
  /** Progress and detail lines; `level` is the verbosity at which they show (0–4). */
  | { kind: 'info'; level: number; message: string; fields?: Record<string, unknown> }
  | { kind: 'warning'; message: string };

/** Sink for log events; filtering by verbosity and formatting happen behind it. */
export interface Logger {
  log(event: LogEvent): void;
  /** True when events of this level would be written (avoids building expensive detail). */
  enabled(level: number): boolean;
}
