// From merged top-level entries (file, environment, flags) to a Config. CPA validates none of this and
// fails later (crash, per-tick error, or a silent misbehaviour); we check every key first, report every
// problem, and name the key, the bad value and what is allowed.
import { checkBool, checkEnum, checkInt, checkString, type IntRule } from './checks.ts';
import { DEFAULTS } from './defaults.ts';
import { UNREADABLE, type Entry } from './env.ts';
import { show, unknownKeyMessage, type At, type Origin, type Report } from './issues.ts';
import { SEED_KEYS, V2_KEYS } from './keys.ts';
import { checkMethod } from './method.ts';
import { seedApi } from './seed.ts';
import { checkApi, checkMetricSpecs, checkTarget } from './sections.ts';
import { checkBehavior, checkFallback } from './safety.ts';
import { HOOK_NAMES, type Config, type ConfigFormat, type Method, type RunMode } from './types.ts';

/** What `buildConfig` needs besides the entries. */
export interface BuildContext {
  format: ConfigFormat;
  /** Top-level keys already reported as format mixing. */
  mixed: ReadonlySet<string>;
  /** Origin used to report a required key that is missing everywhere. */
  fileOrigin: Origin;
}

/** Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const RUN_MODES: readonly RunMode[] = ['per-pod', 'per-resource'];

/** Stands in for a method that is missing or invalid; never leaves loadConfig because a problem was recorded. */
const INVALID_METHOD: Method = {
  type: 'shell',
  timeoutMs: 1,
  shell: { entrypoint: '', command: [], logStderr: false },
};

const EXAMPLES = {
  v2: {
    metric: '{type: shell, timeout: 2500, shell: {entrypoint: python, command: [/metric.py]}}',
    evaluate: '{type: shell, timeout: 2500, shell: {entrypoint: python, command: [/evaluate.py]}}',
  },
  seed: {
    metric: '{type: shell, timeout: 2500, shell: "python /metric.py"}',
    evaluate: '{type: shell, timeout: 2500, shell: "python /evaluate.py"}',
  },
} as const;

/** Reads top-level values, each falling back to its default when absent (or null, with a note). */
class Reader {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly r: Report;
  constructor(entries: ReadonlyMap<string, Entry>, r: Report) {
    this.entries = entries;
    this.r = r;
  }

  /** The checked value of `key`, or `fallback` when absent, null, unreadable or invalid (problem recorded). */
  get<T>(key: string, fallback: T, check: (at: At, value: unknown) => T | undefined): T {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.value === UNREADABLE) return fallback;
    if (entry.value === null) {
      const used = fallback === undefined ? 'it is unset' : `using the default ${show(fallback)}`;
      this.r.note(`${entry.at.origin.name(entry.at.segs)} has no value; ${used}`);
      return fallback;
    }
    return check(entry.at, entry.value) ?? fallback;
  }

  int(key: string, fallback: number, rule: IntRule): number {
    return this.get(key, fallback, (at, v) => checkInt(this.r, at, v, rule));
  }
}

/** `{key: value}`, or nothing when the value is undefined (an optional Config field stays absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

/** Validates the merged top-level entries into a Config; the result is only meaningful when no problem was recorded. */
export function buildConfig(entries: ReadonlyMap<string, Entry>, ctx: BuildContext, r: Report): Config {
  const allowed = Object.keys(ctx.format === 'seed' ? SEED_KEYS : V2_KEYS);
  for (const [key, entry] of entries) {
    if (!allowed.includes(key) && !ctx.mixed.has(key)) {
      r.problem(entry.at, unknownKeyMessage(key, allowed), { key: true });
    }
  }
  const read = new Reader(entries, r);
  const seconds = { min: 0, unit: 'seconds' };
  const config: Config = {
    format: ctx.format,
    scaleTargetRef: checkTarget(r, entries.get('scaleTargetRef'), ctx.format),
    // Unset means "the kube context's namespace", settled once when the runner connects (like kubectl).
    ...optional(
      'namespace',
      read.get('namespace', undefined, (at, v) => checkNamespace(r, at, v)),
    ),
    intervalMs: read.int('interval', DEFAULTS.interval, { min: 1, unit: 'milliseconds' }),
    startTimeMs: read.int('startTime', DEFAULTS.startTime, {
      min: 0,
      unit: 'milliseconds; 0 = no alignment',
    }),
    minReplicas: read.int('minReplicas', DEFAULTS.minReplicas, { min: 0 }),
    maxReplicas: read.int('maxReplicas', DEFAULTS.maxReplicas, { min: 0 }),
    runMode: read.get('runMode', DEFAULTS.runMode, (at, v) => checkEnum(r, at, v, RUN_MODES)),
    logVerbosity: read.int('logVerbosity', DEFAULTS.logVerbosity, {}),
    downscaleStabilizationSec: read.int('downscaleStabilization', DEFAULTS.downscaleStabilization, seconds),
    metric: requiredMethod(read, 'metric', ctx),
    evaluate: requiredMethod(read, 'evaluate', ctx),
    hooks: ctx.format === 'seed' ? {} : readHooks(read),
    api:
      ctx.format === 'seed'
        ? (seedApi(r, entries) ?? { ...DEFAULTS.apiConfig })
        : checkApi(r, entries.get('apiConfig')),
    kubernetesMetricSpecs: checkMetricSpecs(r, entries.get('kubernetesMetricSpecs')),
    requireKubernetesMetrics: read.get('requireKubernetesMetrics', false, (at, v) => checkBool(r, at, v)),
    initialReadinessDelaySec: read.int('initialReadinessDelay', DEFAULTS.initialReadinessDelay, seconds),
    cpuInitializationPeriodSec: read.int(
      'cpuInitializationPeriod',
      DEFAULTS.cpuInitializationPeriod,
      seconds,
    ),
    metricConcurrency: read.int('metricConcurrency', DEFAULTS.metricConcurrency, { min: 1, max: 100 }),
    ...optional('behavior', checkBehavior(r, entries.get('behavior'), entries.get('downscaleStabilization'))),
    ...optional('fallback', checkFallback(r, entries.get('fallback'))),
    ...optional(
      'name',
      read.get('name', undefined, (at, v) => checkName(r, at, v)),
    ),
  };
  checkReplicaRange(read, config);
  // With `behavior`, its scale-down window is the downscale window (status and the record show it).
  if (config.behavior) config.downscaleStabilizationSec = config.behavior.scaleDown.stabilizationWindowSec;
  return config;
}

function checkNamespace(r: Report, at: At, value: unknown): string | undefined {
  const text = checkString(r, at, value, { nonEmpty: true });
  if (text === undefined || NAMESPACE.test(text)) return text;
  r.problem(
    at,
    `must be a namespace name (lowercase letters, digits and "-", at most 63), got ${show(text)}`,
  );
  return undefined;
}

/** An autoscaler name: it appears in REST API paths and metric labels, so letters, digits, `.`, `_`, `-`. */
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

function checkName(r: Report, at: At, value: unknown): string | undefined {
  const text = checkString(r, at, value, { nonEmpty: true });
  if (text === undefined || NAME.test(text)) return text;
  r.problem(
    at,
    `must be a name of letters, digits, ".", "_" and "-" (at most 63, starting and ending alphanumeric), got ${show(text)}`,
  );
  return undefined;
}

/** CPA accepts min > max and clamps literally (§1.5); that is never what the user meant. */
function checkReplicaRange(read: Reader, config: Config): void {
  const min = read.entries.get('minReplicas');
  const max = read.entries.get('maxReplicas');
  const names = [min, max].flatMap((e) => (e === undefined ? [] : [e.at.origin.name(e.at.segs)]));
  // A bound that was itself invalid fell back to its default; comparing it would report a phantom problem.
  if (config.minReplicas <= config.maxReplicas || read.r.issues.some((i) => names.includes(i.path))) return;
  if (max !== undefined) {
    read.r.problem(max.at, `must be at least minReplicas (${config.minReplicas}), got ${config.maxReplicas}`);
  } else if (min !== undefined) {
    read.r.problem(min.at, `must be at most maxReplicas (${config.maxReplicas}), got ${config.minReplicas}`);
  }
}

function requiredMethod(read: Reader, key: 'metric' | 'evaluate', ctx: BuildContext): Method {
  const entry = read.entries.get(key);
  if (entry === undefined || entry.value === null) {
    const what =
      key === 'metric' ? 'the method that gathers metrics' : 'the method that decides the replica count';
    const at = entry?.at ?? { origin: ctx.fileOrigin, segs: [key] };
    read.r.problem(at, `is required: ${what}, e.g. ${EXAMPLES[ctx.format][key]}`);
    return INVALID_METHOD;
  }
  if (entry.value === UNREADABLE) return INVALID_METHOD;
  return checkMethod(read.r, entry.at, entry.value, ctx.format) ?? INVALID_METHOD;
}

function readHooks(read: Reader): Config['hooks'] {
  const hooks: Config['hooks'] = {};
  for (const name of HOOK_NAMES) {
    const entry = read.entries.get(name);
    if (entry === undefined || entry.value === null || entry.value === UNREADABLE) continue;
    const method = checkMethod(read.r, entry.at, entry.value, 'v2');
    if (method !== undefined) hooks[name] = method;
  }
  return hooks;
}
