// The recorder's reading of its own annotation when a run starts or carries on: a whole record in the parts
// every record has (name, runner, config, cycle), with the optional parts that were malformed left out. Pure.
import { readRecord } from './decode.ts';
import { SCHEMA_VERSION, type RecordedDecision, type RecordedState } from './schema.ts';

/** `partial` when every key of `keys` was read, else undefined. */
function whole<T extends object>(partial: Partial<T> | undefined, keys: readonly (keyof T)[]): T | undefined {
  if (partial === undefined) return undefined;
  return keys.every((k) => partial[k] !== undefined) ? (partial as T) : undefined;
}

const CONFIG_KEYS = [
  'minReplicas',
  'maxReplicas',
  'intervalMs',
  'runMode',
  'downscaleStabilizationSec',
] as const;
const CYCLE_KEYS = ['time', 'durationMs', 'runType'] as const;
const DECISION_KEYS = ['from', 'to', 'evaluation', 'clamped', 'reason', 'reasons', 'action', 'time'] as const;
const ERROR_KEYS = ['stage', 'message', 'time'] as const;

/**
 * The record `run` carries on from (last scale time, failure count): whole in the parts every record has,
 * optional parts that were malformed left out. `problem` says why there is none.
 */
export function decodeState(
  text: string | undefined,
): { state: RecordedState; problem?: undefined } | { state: null; problem: string } {
  const read = readRecord(text === '' ? undefined : text);
  const r = read.record;
  if (r === null) return { state: null, problem: read.problem ?? 'unreadable' };
  const config = whole<RecordedState['config']>(r.config, CONFIG_KEYS);
  const cycle = whole<RecordedState['cycle']>(r.cycle, CYCLE_KEYS);
  if (r.name === undefined || r.runner === undefined || config === undefined || cycle === undefined) {
    const required = /^(name|runner|config|cycle)\b/;
    return { state: null, problem: read.malformed.find((m) => required.test(m)) ?? 'incomplete record' };
  }
  const state: RecordedState = {
    ...{ schemaVersion: SCHEMA_VERSION, name: r.name, runner: r.runner, config, cycle },
    consecutiveFailures: r.consecutiveFailures ?? 0,
  };
  if (r.since !== undefined) state.since = r.since;
  if (r.metrics !== undefined) state.metrics = r.metrics;
  if (r.metricsOmitted !== undefined) state.metricsOmitted = r.metricsOmitted;
  if (r.kubernetesMetrics !== undefined) state.kubernetesMetrics = r.kubernetesMetrics;
  if (r.evaluation !== undefined) state.evaluation = r.evaluation;
  const decision = whole<RecordedDecision>(r.decision, DECISION_KEYS);
  if (decision !== undefined) state.decision = decision;
  if (r.lastScaleTime !== undefined) state.lastScaleTime = r.lastScaleTime;
  const lastError = whole<NonNullable<RecordedState['lastError']>>(r.lastError, ERROR_KEYS);
  if (lastError !== undefined) state.lastError = lastError;
  if (r.windows !== undefined) state.windows = r.windows;
  return { state };
}
