// Validation of the object-valued top-level keys: apiConfig, scaleTargetRef and kubernetesMetricSpecs.
import { checkBool, checkEnum, checkInt, checkMap, checkString } from './checks.ts';
import { DEFAULTS } from './defaults.ts';
import { UNREADABLE, type Entry } from './env.ts';
import { child, show, type At, type Report } from './issues.ts';
import { API_FIELDS, TARGET_FIELDS } from './keys.ts';
import { checkMetricSource } from './metric-spec.ts';
import type { ApiConfig, ConfigFormat, ScaleTargetRef } from './types.ts';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** What an `apiConfig` sub-key becomes when an environment value leaves it out (Go zero values, §1.2). */
const API_ZERO: ApiConfig = { enabled: false, useHTTPS: false, host: '', port: 0, certFile: '', keyFile: '' };

/** `apiConfig`: merged key by key onto the defaults from the file; from the environment it replaces them. */
export function checkApi(r: Report, entry: Entry | undefined): ApiConfig {
  if (entry === undefined || entry.value === UNREADABLE) return { ...DEFAULTS.apiConfig };
  const at = entry.at;
  const m = checkMap(
    r,
    at,
    entry.value,
    API_FIELDS,
    'a mapping {enabled, useHTTPS, host, port, certFile, keyFile}',
  );
  if (m === undefined) return { ...DEFAULTS.apiConfig };
  const fromEnv = at.origin.kind === 'env';
  const api: ApiConfig = fromEnv ? { ...API_ZERO } : { ...DEFAULTS.apiConfig };
  if (fromEnv) noteZeroed(r, at, m);
  for (const key of ['enabled', 'useHTTPS'] as const) {
    if (present(m[key])) api[key] = checkBool(r, child(at, key), m[key]) ?? api[key];
  }
  for (const key of ['host', 'certFile', 'keyFile'] as const) {
    if (present(m[key])) api[key] = checkString(r, child(at, key), m[key]) ?? api[key];
  }
  if (present(m.port)) api.port = checkInt(r, child(at, 'port'), m.port, { min: 0, max: 65535 }) ?? api.port;
  // Our addition; like certFile a path, read at start. The token itself never goes in the config.
  if (present(m.tokenFile)) {
    const tokenFile = checkString(r, child(at, 'tokenFile'), m.tokenFile, { nonEmpty: true });
    if (tokenFile !== undefined) api.tokenFile = tokenFile;
  }
  if (api.enabled && api.useHTTPS) {
    for (const key of ['certFile', 'keyFile'] as const) {
      if (api[key] === '') r.problem(child(at, key), 'is required when useHTTPS is true (a PEM file path)');
    }
  }
  return api;
}

/** CPA semantics kept on purpose, but said out loud: an env apiConfig turns unspecified sub-keys off. */
function noteZeroed(r: Report, at: At, given: Record<string, unknown>): void {
  // tokenFile has no zero value to report: left out, there is simply no token file.
  const zeroed = API_FIELDS.filter((k) => k !== 'tokenFile' && !present(given[k])).map(
    (k) => `${k}=${show(API_ZERO[k])}`,
  );
  if (zeroed.length === 0) return;
  r.note(
    `${at.origin.name(at.segs)} replaces the whole apiConfig (as in CPA), so the sub-keys it omits take ` +
      `zero values, not defaults: ${zeroed.join(', ')}`,
  );
}

/** Kubernetes object name (RFC 1123 subdomain). */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** `v1` or `group/version`. */
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
/** A kind as written in manifests (CPA also accepts the all-lower-case spelling). */
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

const TARGET_RULES = {
  apiVersion: { pattern: API_VERSION, allowed: 'an API version such as "apps/v1"' },
  kind: { pattern: KIND, allowed: 'a resource kind such as "Deployment"' },
  name: { pattern: NAME, allowed: 'a Kubernetes object name (lowercase letters, digits, "-" and ".")' },
} as const;

/** The seed (v0.8.0) could only scale Deployments, so its references default to one. */
const SEED_TARGET_DEFAULTS = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

/** `scaleTargetRef`: every field required in v2; in the seed format only `name`, the rest defaults. */
export function checkTarget(
  r: Report,
  entry: Entry | undefined,
  format: ConfigFormat,
): ScaleTargetRef | null {
  if (entry === undefined || entry.value === null || entry.value === UNREADABLE) return null;
  const at = entry.at;
  const m = checkMap(r, at, entry.value, TARGET_FIELDS, 'a mapping {apiVersion, kind, name}');
  if (m === undefined) return null;
  const target: ScaleTargetRef = { apiVersion: '', kind: '', name: '' };
  for (const key of TARGET_FIELDS) {
    const keyAt = child(at, key);
    const seedDefault = key === 'name' || format !== 'seed' ? undefined : SEED_TARGET_DEFAULTS[key];
    if (!present(m[key]) && seedDefault !== undefined) {
      r.note(
        `${at.origin.name(keyAt.segs)} is not set; using "${seedDefault}" (v0.8.0 scaled Deployments only)`,
      );
      target[key] = seedDefault;
    } else if (!present(m[key])) {
      r.problem(keyAt, `is required: ${TARGET_RULES[key].allowed}`);
    } else {
      const text = checkString(r, keyAt, m[key], { nonEmpty: true });
      if (text !== undefined && !TARGET_RULES[key].pattern.test(text)) {
        r.problem(keyAt, `must be ${TARGET_RULES[key].allowed}, got ${show(text)}`);
      }
      target[key] = text ?? '';
    }
  }
  return target;
}

/** autoscaling/v2 MetricSpec types and the key holding each type's source. */
const METRIC_SOURCES = {
  Resource: 'resource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
  ContainerResource: 'containerResource',
} as const;
type MetricType = keyof typeof METRIC_SOURCES;
const METRIC_TYPES = Object.keys(METRIC_SOURCES) as MetricType[];
const METRIC_SPEC_FIELDS = ['type', ...Object.values(METRIC_SOURCES)];

/** `kubernetesMetricSpecs`: a list of MetricSpecs with a known type and a well-formed source object. */
export function checkMetricSpecs(r: Report, entry: Entry | undefined): unknown[] | null {
  if (entry === undefined || entry.value === null || entry.value === UNREADABLE) return null;
  const at = entry.at;
  if (!Array.isArray(entry.value)) {
    r.problem(
      at,
      `must be a list of autoscaling/v2 MetricSpecs (like an HPA's "metrics"), got ${show(entry.value)}`,
    );
    return null;
  }
  entry.value.forEach((spec, i) => checkMetricSpec(r, child(at, i), spec));
  return entry.value;
}

function checkMetricSpec(r: Report, at: At, spec: unknown): void {
  const m = checkMap(r, at, spec, METRIC_SPEC_FIELDS, 'a MetricSpec mapping {type, resource | pods | ...}');
  if (m === undefined) return;
  if (!present(m.type)) {
    r.problem(child(at, 'type'), `is required: one of ${METRIC_TYPES.map((t) => `"${t}"`).join(', ')}`);
    return;
  }
  const type = checkEnum(r, child(at, 'type'), m.type, METRIC_TYPES);
  if (type === undefined) return;
  const source = METRIC_SOURCES[type];
  const value = m[source];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    r.problem(child(at, source), `is required when type is "${type}" (a mapping), got ${show(value)}`);
    return;
  }
  checkMetricSource(r, child(at, source), source, value);
}
