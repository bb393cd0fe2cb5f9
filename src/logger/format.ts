// One formatter per output format. Text is for people (one line per event, the decision line tells the
// whole story); JSON is one object per line with the stable schema documented in the README.
import type { LogEvent, ReasonCode } from './events.ts';

/** How a reason reads in a sentence. */
export const REASON_TEXT: Record<ReasonCode, string> = {
  Scaled: 'scaled',
  NoChange: 'no change',
  ClampedToMin: 'clamped to minReplicas',
  ClampedToMax: 'clamped to maxReplicas',
  ScaleDownStabilized: 'held up by downscale stabilization',
  AutoscalingDisabled: 'autoscaling disabled (0 replicas and minReplicas > 0)',
  ScaleUpStabilized: 'held down by the scale-up stabilization window',
  ScaleUpLimited: 'limited by the scale-up policies',
  ScaleDownLimited: 'limited by the scale-down policies',
  ScalingDisabled: 'scaling in this direction disabled by selectPolicy',
  FallbackApplied: 'fallback replicas after repeated failures',
  Paused: 'paused by annotation',
};

function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/** The decision line: `deployment/ns/web 1 → 3 (evaluation 3; scaled) in 84ms`. */
function decisionText(e: Extract<LogEvent, { kind: 'decision' }>): string {
  const why = e.reasons.map((r) => REASON_TEXT[r]).join(', ');
  const run = e.runType === 'scaler' ? '' : ` [${e.runType}]`;
  if (e.action === 'disabled')
    return `${e.target}${run} ${e.from} replicas: ${why}; evaluation ${e.evaluation}, not scaled (in ${seconds(e.durationMs)})`;
  if (e.action === 'would-scale') {
    // A dry run did not scale: the line says what it would do, never "scaled" (`kubectl-cpa logs` reads both forms).
    const rest = e.reasons.filter((r) => r !== 'Scaled').map((r) => REASON_TEXT[r]);
    const why = rest.length === 0 ? '' : `; ${rest.join(', ')}`;
    return `${e.target}${run} would scale ${e.from} → ${e.to} (evaluation ${e.evaluation}${why}) — dry run, not patched in ${seconds(e.durationMs)}`;
  }
  const change = e.from === e.to ? `${e.from} replicas` : `${e.from} → ${e.to} replicas`;
  const dry = e.action === 'held-by-other' ? ` — held by ${e.heldBy ?? 'another runner'}, not patched` : '';
  return `${e.target}${run} ${change} (evaluation ${e.evaluation}; ${why})${dry} in ${seconds(e.durationMs)}`;
}

/** Renders one event as a text line (without the trailing newline). */
export function formatText(event: LogEvent, timeIso: string): string {
  const stamp = timeIso;
  switch (event.kind) {
    case 'decision':
      return `${stamp} ${decisionText(event)}`;
    case 'cycle-error':
      return `${stamp} error: ${event.target} cycle failed (${event.stage}, after ${seconds(event.durationMs)}): ${event.message}`;
    case 'hook-stderr':
      return `${stamp} stderr of ${event.hook}:\n${event.stderr.replace(/\n$/, '')}`;
    case 'warning':
      return `${stamp} warning: ${event.message}`;
    case 'info':
      return `${stamp} ${event.message}`;
  }
}

/** Renders one event as a JSON line: `{"time","level","event",...}` (schema in the README). */
export function formatJson(event: LogEvent, timeIso: string, autoscaler?: string): string {
  const level = event.kind === 'cycle-error' ? 'error' : event.kind === 'warning' ? 'warning' : 'info';
  const who = autoscaler === undefined ? {} : { autoscaler };
  if (event.kind === 'info') {
    return JSON.stringify({
      time: timeIso,
      level,
      ...who,
      event: 'info',
      v: event.level,
      message: event.message,
      ...event.fields,
    });
  }
  const { kind, ...fields } = event;
  return JSON.stringify({ time: timeIso, level, ...who, event: kind, ...fields });
}
