// Reading the recorded-state annotation back. It is outside input: anyone who may edit the workload can
// write it, and so can other versions of kubectl-cpa. So it is read field by field: a field of the wrong
// type or outside its vocabulary is left out and named in `malformed`, never trusted, and nothing here
// throws. `status` shows what could be read; the recorder wants a whole record (decode-state.ts). Pure.
import type { ChainStep, ChainStepName, RunType } from '../autoscaler/types.ts';
import { decodeWindows, type EncodedWindows } from '../autoscaler/windows.ts';
import type { RunMode } from '../config/types.ts';
import type { ReasonCode, Stage } from '../logger/events.ts';
import { boundText, READ_CHARS } from './record.ts';
import { SCHEMA_VERSION, type RecordedDecision, type RecordedMetric, type RecordedState } from './schema.ts';
import { readSummaries, type K8sMetricSummary } from '../autoscaler/k8s-metrics/summary.ts';

/** A record as far as it could be read: any field may be missing. */
export interface LooseRecord {
  name?: string;
  runner?: RecordedState['runner'];
  config: Partial<RecordedState['config']>;
  cycle: Partial<RecordedState['cycle']>;
  since?: string;
  metrics?: RecordedMetric[] | null;
  metricsOmitted?: number;
  kubernetesMetrics?: K8sMetricSummary[];
  evaluation?: number;
  decision?: Partial<RecordedDecision>;
  lastScaleTime?: string;
  lastError?: Partial<NonNullable<RecordedState['lastError']>>;
  consecutiveFailures?: number;
  windows?: EncodedWindows;
}

/** What an annotation value holds. */
interface ReadRecord {
  /** null when nothing can be read: absent, not a JSON object, or another schema version. */
  record: LooseRecord | null;
  /** Why `record` is null. */
  problem?: string;
  /** What is wrong with the value, one `field: what` entry per field (`cycle.time: want …, got …`). */
  malformed: string[];
}

/** A test for one field's value, and how to say what it wants. */
interface Kind<T> {
  want: string;
  test: (value: unknown) => value is T;
}

const STRING: Kind<string> = { want: 'a string', test: (v): v is string => typeof v === 'string' };
const NUMBER: Kind<number> = {
  want: 'a number',
  test: (v): v is number => typeof v === 'number' && Number.isFinite(v),
};
const TIME: Kind<string> = {
  want: 'an RFC 3339 time',
  test: (v): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v)),
};
const oneOf = <T extends string>(all: Record<T, true>): Kind<T> => {
  const values = Object.keys(all);
  return { want: `one of ${values.join(', ')}`, test: (v): v is T => values.includes(v as string) };
};
// Records over the union types, so that a new member fails to compile here until it is listed.
const REASON = oneOf<ReasonCode>({
  ...{ Scaled: true, NoChange: true, ClampedToMin: true, ClampedToMax: true },
  ...{ ScaleDownStabilized: true, AutoscalingDisabled: true },
  ...{ ScaleUpStabilized: true, ScaleUpLimited: true, ScaleDownLimited: true, ScalingDisabled: true },
  ...{ FallbackApplied: true, Paused: true },
});
const STAGE = oneOf<Stage>({
  ...{ config: true, target: true, scale: true, pods: true, metric: true },
  ...{ evaluate: true, decide: true, patch: true, hook: true },
});
const RUN_TYPE = oneOf<RunType>({ scaler: true, api: true, api_dry_run: true });
const RUN_MODE = oneOf<RunMode>({ 'per-pod': true, 'per-resource': true });
const ACTION = oneOf<RecordedDecision['action']>({ scaled: true, unchanged: true, disabled: true });
const REASONS: Kind<ReasonCode[]> = {
  want: `a list of ${REASON.want}`,
  test: (v): v is ReasonCode[] => Array.isArray(v) && v.every((r) => REASON.test(r)),
};

const CHAIN_STEP = oneOf<ChainStepName>({
  ...{ evaluation: true, fallback: true, pause: true, clamp: true },
  ...{ stabilization: true, policy: true, final: true },
});
/** The decision chain: a few steps of known names, numbers in and out, an optional reason and note. */
const CHAIN: Kind<ChainStep[]> = {
  want: 'a list of decision steps {step, input, output, reason?, note?}',
  test: (v): v is ChainStep[] =>
    Array.isArray(v) &&
    v.length <= 10 &&
    v.every(
      (s) =>
        isObject(s) &&
        CHAIN_STEP.test(s.step) &&
        NUMBER.test(s.input) &&
        NUMBER.test(s.output) &&
        (s.reason === undefined || REASON.test(s.reason)) &&
        (s.note === undefined || (typeof s.note === 'string' && s.note.length <= READ_CHARS)),
    ),
};
/** The windows a runner carries on (autoscaler/windows.ts decides what is well-formed). */
const WINDOWS: Kind<EncodedWindows> = {
  want: 'windows {at, rec, up?, down?}',
  test: (v): v is EncodedWindows => decodeWindows(v) !== undefined,
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `an object`, `"Foo"`, `5`: the wrong value in few words (strings cut, for messages only). */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** Problems kept word for word; the rest are counted (a 256 KiB list of wrong values needs no 50k lines). */
const MAX_NOTED = 20;

/** Reads fields of JSON objects, noting each one that is missing (when required) or wrong. */
class Fields {
  readonly #noted: string[] = [];
  /** Problems found so far, noted or not. */
  count = 0;

  note(problem: string): void {
    if (this.count++ < MAX_NOTED) this.#noted.push(problem);
  }

  /** The problems: the first ones in full, then how many more. */
  get malformed(): string[] {
    const more = this.count - this.#noted.length;
    return more > 0 ? [...this.#noted, `${more} more: not listed`] : [...this.#noted];
  }

  /** `obj[key]` if it is a `kind`; a string longer than any the recorder writes (hand-edited) is cut. */
  get<T>(obj: Json, path: string, key: string, kind: Kind<T>, required = false): T | undefined {
    const value = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (value === undefined) {
      if (required) this.note(`${path}${key}: missing, want ${kind.want}`);
      return undefined;
    }
    if (!kind.test(value)) {
      this.note(`${path}${key}: want ${kind.want}, got ${shown(value)}`);
      return undefined;
    }
    return (typeof value === 'string' ? boundText(value, READ_CHARS) : value) as T;
  }

  /** `obj[key]` if it is an object; undefined (noted when required or wrong) otherwise. */
  object(obj: Json, path: string, key: string, required: boolean): Json | undefined {
    const value = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (isObject(value)) return value;
    if (value !== undefined) this.note(`${path}${key}: want an object, got ${shown(value)}`);
    else if (required) this.note(`${path}${key}: missing, want an object`);
    return undefined;
  }
}

/** Keeps the keys whose value was read. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** The metrics, or undefined when any of them is malformed (a partial list would read as the whole). */
function readMetrics(raw: Json, f: Fields): RecordedMetric[] | null | undefined {
  const value = Object.hasOwn(raw, 'metrics') ? raw.metrics : undefined;
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) {
    f.note(`metrics: want a list or null, got ${shown(value)}`);
    return undefined;
  }
  const before = f.count;
  const metrics = value.map((m: unknown, i): RecordedMetric => {
    if (!isObject(m)) {
      f.note(`metrics[${i}]: want an object, got ${shown(m)}`);
      return {};
    }
    const path = `metrics[${i}].`;
    return defined({ resource: f.get(m, path, 'resource', STRING), value: f.get(m, path, 'value', STRING) });
  });
  return f.count === before ? metrics : undefined;
}

function readDecision(raw: Json, f: Fields): Partial<RecordedDecision> | undefined {
  const d = f.object(raw, '', 'decision', false);
  if (d === undefined) return undefined;
  const p = 'decision.';
  return defined({
    from: f.get(d, p, 'from', NUMBER, true),
    to: f.get(d, p, 'to', NUMBER, true),
    evaluation: f.get(d, p, 'evaluation', NUMBER, true),
    clamped: f.get(d, p, 'clamped', NUMBER, true),
    reason: f.get(d, p, 'reason', REASON, true),
    reasons: f.get(d, p, 'reasons', REASONS, true),
    action: f.get(d, p, 'action', ACTION, true),
    time: f.get(d, p, 'time', TIME, true),
    chain: f.get(d, p, 'chain', CHAIN),
  });
}

function readRunner(raw: Json, f: Fields): RecordedState['runner'] | undefined {
  const r = f.object(raw, '', 'runner', true);
  if (r === undefined) return undefined;
  const host = f.get(r, 'runner.', 'host', STRING, true);
  const pid = f.get(r, 'runner.', 'pid', NUMBER, true);
  const version = f.get(r, 'runner.', 'version', STRING, true);
  // The runner is shown as one thing (`host/pid`); a part of it alone says little.
  return host === undefined || pid === undefined || version === undefined
    ? undefined
    : { host, pid, version };
}

function readConfig(raw: Json, f: Fields): LooseRecord['config'] {
  const c = f.object(raw, '', 'config', true);
  if (c === undefined) return {};
  const p = 'config.';
  return defined({
    minReplicas: f.get(c, p, 'minReplicas', NUMBER, true),
    maxReplicas: f.get(c, p, 'maxReplicas', NUMBER, true),
    intervalMs: f.get(c, p, 'intervalMs', NUMBER, true),
    runMode: f.get(c, p, 'runMode', RUN_MODE, true),
    downscaleStabilizationSec: f.get(c, p, 'downscaleStabilizationSec', NUMBER, true),
  });
}

function readCycle(raw: Json, f: Fields): LooseRecord['cycle'] {
  const c = f.object(raw, '', 'cycle', true);
  if (c === undefined) return {};
  return defined({
    time: f.get(c, 'cycle.', 'time', TIME, true),
    durationMs: f.get(c, 'cycle.', 'durationMs', NUMBER, true),
    runType: f.get(c, 'cycle.', 'runType', RUN_TYPE, true),
  });
}

function readLastError(raw: Json, f: Fields): LooseRecord['lastError'] {
  const e = f.object(raw, '', 'lastError', false);
  if (e === undefined) return undefined;
  const p = 'lastError.';
  return defined({
    stage: f.get(e, p, 'stage', STAGE, true),
    message: f.get(e, p, 'message', STRING, true),
    time: f.get(e, p, 'time', TIME, true),
  });
}

/** Everything of the record that has the right type. */
function readFields(raw: Json, f: Fields): LooseRecord {
  return defined({
    name: f.get(raw, '', 'name', STRING, true),
    runner: readRunner(raw, f),
    config: readConfig(raw, f),
    cycle: readCycle(raw, f),
    since: f.get(raw, '', 'since', TIME),
    metrics: readMetrics(raw, f),
    metricsOmitted: f.get(raw, '', 'metricsOmitted', NUMBER),
    kubernetesMetrics: readSummaries(raw.kubernetesMetrics),
    evaluation: f.get(raw, '', 'evaluation', NUMBER),
    decision: readDecision(raw, f),
    lastScaleTime: f.get(raw, '', 'lastScaleTime', TIME),
    lastError: readLastError(raw, f),
    consecutiveFailures: f.get(raw, '', 'consecutiveFailures', NUMBER),
    windows: f.get(raw, '', 'windows', WINDOWS),
  });
}

/** Reads an annotation value as far as it is readable; never throws. */
export function readRecord(text: string | undefined): ReadRecord {
  if (text === undefined) return { record: null, problem: 'no annotation', malformed: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const problem = `not JSON: ${(err as Error).message}`;
    return { record: null, problem, malformed: [problem] };
  }
  if (!isObject(raw)) {
    const problem = `not a JSON object: got ${shown(raw)}`;
    return { record: null, problem, malformed: [problem] };
  }
  if (raw.schemaVersion !== SCHEMA_VERSION) {
    // Not malformed: written by a kubectl-cpa that speaks another schema; its fields cannot be read.
    const problem = `schemaVersion ${shown(raw.schemaVersion)} is not ${SCHEMA_VERSION} (written by another kubectl-cpa version)`;
    return { record: null, problem, malformed: [] };
  }
  const f = new Fields();
  const record = readFields(raw, f);
  return { record, malformed: f.malformed };
}
