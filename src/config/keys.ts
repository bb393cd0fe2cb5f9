// The key vocabulary of both configuration formats, and how an environment value for each key is
// converted (CPA §1.2 decides by the Go type of the field).
import { HOOK_NAMES } from './types.ts';

/** How an environment variable's text becomes a value: verbatim, base-10 integer, or a YAML/JSON document. */
export type EnvKind = 'string' | 'int' | 'yaml';

/** Every top-level key of CPA v2.12.2 plus our `metricConcurrency`, with its environment conversion. */
export const V2_KEYS: Readonly<Record<string, EnvKind>> = {
  scaleTargetRef: 'yaml',
  namespace: 'string',
  interval: 'int',
  startTime: 'yaml',
  minReplicas: 'yaml',
  maxReplicas: 'yaml',
  runMode: 'string',
  logVerbosity: 'yaml',
  downscaleStabilization: 'int',
  metric: 'yaml',
  evaluate: 'yaml',
  ...Object.fromEntries(HOOK_NAMES.map((h) => [h, 'yaml' as const])),
  apiConfig: 'yaml',
  kubernetesMetricSpecs: 'yaml',
  requireKubernetesMetrics: 'yaml',
  initialReadinessDelay: 'yaml',
  cpuInitializationPeriod: 'yaml',
  // Our addition: an int like `interval`.
  metricConcurrency: 'int',
  // Our addition: the autoscaler's name (logs, REST API paths, metrics, status); default the directory's.
  name: 'string',
  // Our additions (issue 15): HPA's behavior and KEDA's fallback, documents like apiConfig.
  behavior: 'yaml',
  fallback: 'yaml',
};

/** Keys that exist only since v0.9+/v2 and change behaviour, so they cannot appear in a v0.8.0 (seed) file. */
export const V2_ONLY_KEYS: readonly string[] = [
  'apiConfig',
  ...HOOK_NAMES,
  'downscaleStabilization',
  'kubernetesMetricSpecs',
  'requireKubernetesMetrics',
  'initialReadinessDelay',
  'cpuInitializationPeriod',
  'behavior',
  'fallback',
];

/** v0.8.0's top-level listen address, replaced by `apiConfig.host`/`apiConfig.port` in v0.10.0. */
export const SEED_ONLY_KEYS: readonly string[] = ['host', 'port'];

/** The keys of the v0.8.0 (seed) format; `logVerbosity` and `metricConcurrency` are accepted in both. */
export const SEED_KEYS: Readonly<Record<string, EnvKind>> = {
  ...Object.fromEntries(Object.entries(V2_KEYS).filter(([k]) => !V2_ONLY_KEYS.includes(k))),
  host: 'string',
  port: 'int',
};

/** Method keys in file order of importance: the two stages, then the hooks. */
export const METHOD_KEYS: readonly string[] = ['metric', 'evaluate', ...HOOK_NAMES];

/** Keys of a method object (§1.4). */
export const METHOD_FIELDS = ['type', 'timeout', 'shell', 'http'] as const;
/** Keys of a v2 `shell` block. */
export const SHELL_FIELDS = ['entrypoint', 'command', 'logStderr'] as const;
/** Keys of an `http` block. */
export const HTTP_FIELDS = [
  'method',
  'url',
  'headers',
  'successCodes',
  'parameterMode',
  'caCert',
  'clientCert',
  'clientKey',
] as const;
/** Keys of `apiConfig`: CPA's six plus our `tokenFile`. */
export const API_FIELDS = [
  'enabled',
  'useHTTPS',
  'host',
  'port',
  'certFile',
  'keyFile',
  'tokenFile',
] as const;
/** Keys of `scaleTargetRef`. */
export const TARGET_FIELDS = ['apiVersion', 'kind', 'name'] as const;
