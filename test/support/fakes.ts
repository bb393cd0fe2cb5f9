// Small hand-written fakes for unit tests of the pipeline: a Kubernetes API with one target and a process
// runner that answers by script name. Each keeps a call log to assert on.
import { KubeError } from '../../src/errors.ts';
import type { Config, Method } from '../../src/config/types.ts';
import { DEFAULTS } from '../../src/config/defaults.ts';
import type {
  KubeClient,
  KubeObject,
  ProcessOutcome,
  ProcessRunner,
  ProcessSpec,
  ResolvedTarget,
  Scale,
} from '../../src/ports.ts';

/** A scale target held in memory; `conflicts` make the next conditional patches fail with 409. */
export class FakeKube implements KubeClient {
  replicas: number;
  resourceVersion = 1;
  labels: Record<string, string>;
  pods: KubeObject[] = [];
  /** Each entry makes one conditional patch meet a concurrent writer that sets this many replicas. */
  conflicts: number[] = [];
  readonly calls: string[] = [];
  constructor(replicas: number, labels: Record<string, string> = {}) {
    this.replicas = replicas;
    this.labels = labels;
  }
  async resolveTarget(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget> {
    this.calls.push('resolve');
    return {
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      kind: ref.kind,
      name: ref.name,
      namespace,
      hasScale: true,
    };
  }
  async getObject(target: ResolvedTarget): Promise<KubeObject> {
    this.calls.push('get');
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: target.name, namespace: target.namespace, labels: { ...this.labels } },
      spec: { replicas: this.replicas },
    };
  }
  async getScale(): Promise<Scale> {
    this.calls.push('getScale');
    return {
      replicas: this.replicas,
      selector: 'app=web',
      statusReplicas: this.replicas,
      resourceVersion: String(this.resourceVersion),
    };
  }
  async patchScale(target: ResolvedTarget, replicas: number, resourceVersion?: string): Promise<Scale> {
    this.calls.push(`patch ${replicas}`);
    const other = this.conflicts.shift();
    if (other !== undefined) {
      this.replicas = other;
      this.resourceVersion++;
    }
    if (resourceVersion !== undefined && resourceVersion !== String(this.resourceVersion)) {
      throw new KubeError('failed to patch deployments.apps/scale: the object has been modified', {
        verb: 'patch',
        resource: 'deployments/scale',
        status: 409,
      });
    }
    this.replicas = replicas;
    this.resourceVersion++;
    return this.getScale();
  }
  async listPods(): Promise<KubeObject[]> {
    this.calls.push('listPods');
    return this.pods;
  }
}

/** What a fake script does with its stdin. */
export type FakeScript = (stdin: string) => { exitCode?: number; stdout?: string; stderr?: string };

/** A process runner where `/bin/sh -c NAME` runs the script registered as NAME. */
export function fakeRunner(
  scripts: Record<string, FakeScript>,
  log: { name: string; stdin: string }[],
): ProcessRunner {
  return async (spec: ProcessSpec): Promise<ProcessOutcome> => {
    const name = spec.args[spec.args.length - 1] ?? '';
    log.push({ name, stdin: spec.stdin });
    const script = scripts[name];
    if (!script) return { kind: 'start-failed', message: `no fake script ${name}`, durationMs: 0 };
    const out = script(spec.stdin);
    return {
      kind: 'exited',
      exitCode: out.exitCode ?? 0,
      stdout: Buffer.from(out.stdout ?? ''),
      stderr: Buffer.from(out.stderr ?? ''),
      durationMs: 1,
    };
  };
}

/** `/bin/sh -c NAME`, the shape the fake runner understands. */
export function shellMethod(name: string): Method {
  return {
    type: 'shell',
    timeoutMs: 1000,
    shell: { entrypoint: '/bin/sh', command: ['-c', name], logStderr: false },
  };
}

/** A v2 config with defaults, per-resource mode, and the metric/evaluate scripts named `metric`/`evaluate`. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    format: 'v2',
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'default',
    intervalMs: DEFAULTS.interval,
    startTimeMs: DEFAULTS.startTime,
    minReplicas: 1,
    maxReplicas: 10,
    runMode: 'per-resource',
    logVerbosity: 0,
    downscaleStabilizationSec: 0,
    metric: shellMethod('metric'),
    evaluate: shellMethod('evaluate'),
    hooks: {},
    api: { ...DEFAULTS.apiConfig, enabled: false },
    kubernetesMetricSpecs: null,
    requireKubernetesMetrics: false,
    initialReadinessDelaySec: 30,
    cpuInitializationPeriodSec: 300,
    metricConcurrency: 10,
    ...overrides,
  };
}
