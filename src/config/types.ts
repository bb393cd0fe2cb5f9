// The autoscaler configuration after parsing and normalisation. Field names that CPA users write keep
// CPA's JSON spelling in the raw file; here units are explicit in the names and converted once.
import type { Behavior, Fallback } from './safety-types.ts';

/** Reference to the workload whose scale subresource is driven (autoscaling/v2 CrossVersionObjectReference). */
export interface ScaleTargetRef {
  apiVersion: string;
  kind: string;
  name: string;
}

/** How a `shell` method is started: entrypoint executed directly with `command` as its arguments. */
export interface ShellMethod {
  entrypoint: string;
  command: string[];
  logStderr: boolean;
}

/** How an `http` method is called. */
export interface HttpMethod {
  method: string;
  url: string;
  headers: Record<string, string>;
  successCodes: number[];
  parameterMode: 'query' | 'body';
  caCert?: string;
  clientCert?: string;
  clientKey?: string;
}

/** One piece of user logic: the metric or evaluate step, or a hook. */
export type Method =
  | { type: 'shell'; timeoutMs: number; shell: ShellMethod }
  | { type: 'http'; timeoutMs: number; http: HttpMethod };

export const HOOK_NAMES = [
  'preMetric',
  'postMetric',
  'preEvaluate',
  'postEvaluate',
  'preScale',
  'postScale',
] as const;
/** The six optional hooks, in CPA's spelling. */
export type HookName = (typeof HOOK_NAMES)[number];
/** Every method-valued key: the two stages plus the hooks. */
export type MethodName = 'metric' | 'evaluate' | HookName;

export type RunMode = 'per-pod' | 'per-resource';

/** REST API settings (CPA's `apiConfig`). */
export interface ApiConfig {
  enabled: boolean;
  useHTTPS: boolean;
  host: string;
  port: number;
  certFile: string;
  keyFile: string;
  /** Our addition: a file holding the bearer token every request must carry (absent: no token from config). */
  tokenFile?: string;
}

/**
 * `v2` is CPA v2.12.2's format; `seed` is the v0.8.0 format of the getting-started guide (string `shell`,
 * raw resource JSON on metric stdin, `{deployment, run_type, metrics}` on evaluate stdin, `target_replicas`).
 */
export type ConfigFormat = 'v2' | 'seed';

/** A fully validated configuration; every field present. */
export interface Config {
  format: ConfigFormat;
  scaleTargetRef: ScaleTargetRef | null;
  /** From flag, environment or file; absent means the kube context's namespace (settled by the runner). */
  namespace?: string;
  intervalMs: number;
  startTimeMs: number;
  minReplicas: number;
  maxReplicas: number;
  runMode: RunMode;
  logVerbosity: number;
  downscaleStabilizationSec: number;
  metric: Method;
  evaluate: Method;
  hooks: Partial<Record<HookName, Method>>;
  api: ApiConfig;
  /** autoscaling/v2 MetricSpecs as given (validated); decoded and gathered by src/autoscaler/k8s-metrics. */
  kubernetesMetricSpecs: unknown[] | null;
  requireKubernetesMetrics: boolean;
  initialReadinessDelaySec: number;
  cpuInitializationPeriodSec: number;
  /** Bound on concurrent per-pod metric calls (our addition; CPA runs them one by one). */
  metricConcurrency: number;
  /** Our addition: HPA's `behavior` (absent: CPA's decision, with only `downscaleStabilizationSec`). */
  behavior?: Behavior;
  /** Our addition: KEDA's `fallback` (absent: a failed cycle never scales, as in CPA). */
  fallback?: Fallback;
  /** The autoscaler's name (our addition); absent: `--name` or the directory's base name (runner). */
  name?: string;
}

/** One configuration problem: where, what was given, what is allowed. */
export interface ConfigIssue {
  /** Key path such as `metric.shell.command[0]` or `env:interval`. */
  path: string;
  message: string;
  /** 1-based position in the file when known. */
  line?: number;
  column?: number;
}
