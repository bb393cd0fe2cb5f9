// A hand-written world for the Kubernetes-metrics tests: pods in every readiness state and scripted
// answers of the three metrics APIs, with a call log. Times are around 2024-01-01T10:00Z.
import type {
  CustomMetricQuery,
  KubeClient,
  KubeObject,
  MetricsApi,
  ResolvedTarget,
  Scale,
} from '../../../src/ports.ts';

export const NOW_MS = Date.parse('2024-01-01T10:00:30Z');

/** A pod; `ready` is the Ready condition's status and transition time, `start` its status.startTime. */
export function pod(
  name: string,
  opts: {
    phase?: string;
    ready?: [string, string];
    start?: string;
    deleting?: boolean;
    requests?: Record<string, string>[];
  } = {},
): KubeObject {
  const status: Record<string, unknown> = { phase: opts.phase ?? 'Running' };
  if (opts.start !== undefined) status.startTime = opts.start;
  if (opts.ready !== undefined) {
    status.conditions = [{ type: 'Ready', status: opts.ready[0], lastTransitionTime: opts.ready[1] }];
  }
  const metadata: Record<string, unknown> = { name, namespace: 'default', labels: { app: 'web' } };
  if (opts.deleting) metadata.deletionTimestamp = '2024-01-01T10:00:00Z';
  const containers = (opts.requests ?? [{ cpu: '100m', memory: '64Mi' }]).map((requests, i) => ({
    name: `c${i}`,
    resources: { requests },
  }));
  return { metadata, spec: { containers }, status } as KubeObject;
}

/** A long-running, ready pod. */
export const steady = (name: string, requests?: Record<string, string>[]): KubeObject =>
  pod(name, { ready: ['True', '2024-01-01T09:00:00Z'], start: '2024-01-01T08:59:00Z', requests });

/** One PodMetrics item. */
export function podMetrics(
  name: string,
  usage: Record<string, string>[],
  timestamp = '2024-01-01T10:00:00Z',
  window = '30s',
) {
  return {
    metadata: { name, namespace: 'default' },
    timestamp,
    window,
    containers: usage.map((u, i) => ({ name: `c${i}`, usage: u })),
  };
}

type Answer = unknown | Error;

/** Scripted metrics APIs; each answer is a body or an Error to throw. */
export class FakeMetricsApi implements MetricsApi {
  podMetrics: Answer = { items: [] };
  custom: Answer = { items: [] };
  external: Answer = { items: [] };
  readonly calls: string[] = [];
  async listPodMetrics(namespace: string, labelSelector: string): Promise<unknown> {
    this.calls.push(`podmetrics ${namespace} ${labelSelector}`);
    return answer(this.podMetrics);
  }
  async getCustomMetric(q: CustomMetricQuery): Promise<unknown> {
    const obj = q.object === undefined ? 'namespace' : `${q.object.resource}/${q.object.name}`;
    this.calls.push(
      `custom ${q.namespace} ${obj} ${q.metric} ls=${q.labelSelector ?? ''} mls=${q.metricLabelSelector}`,
    );
    return answer(this.custom);
  }
  async listExternalMetric(namespace: string, metric: string, labelSelector: string): Promise<unknown> {
    this.calls.push(`external ${namespace} ${metric} ${labelSelector}`);
    return answer(this.external);
  }
}

function answer(a: Answer): unknown {
  if (a instanceof Error) throw a;
  return a;
}

/** A KubeClient with pods and the fake metrics APIs; only what gathering calls. */
export class MetricsWorld implements KubeClient {
  pods: KubeObject[] | Error = [];
  readonly metrics = new FakeMetricsApi();
  replicas = 3;
  async resolveTarget(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget> {
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    return {
      group: group ?? '',
      version: version ?? 'v1',
      resource: `${ref.kind.toLowerCase()}s`,
      kind: ref.kind,
      name: ref.name,
      namespace,
      hasScale: true,
    };
  }
  async getObject(target: ResolvedTarget): Promise<KubeObject> {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: target.name, namespace: target.namespace },
    };
  }
  async getScale(): Promise<Scale> {
    return {
      replicas: this.replicas,
      selector: 'app=web',
      statusReplicas: this.replicas,
      resourceVersion: '1',
    };
  }
  async patchScale(): Promise<Scale> {
    return this.getScale();
  }
  async listPods(): Promise<KubeObject[]> {
    if (this.pods instanceof Error) throw this.pods;
    return this.pods;
  }
}
