// The scenario of the Kubernetes-metrics e2e tests, shared with the comparison against the Go CPA
// (test/e2e/k8s-metrics-peer.ts): a Deployment of two settled pods in a fresh namespace, and the metrics
// adapter registered with the aggregation layer, scripted with values for all four sources.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { ClusterInfo } from '../cluster/harness.ts';
import { clusterPaths } from '../cluster/paths.ts';
import type { TestCluster } from './cluster.ts';
import { MetricsAdapter } from './metrics-adapter.ts';

export const APP = 'php-apache';
/** Timestamps of the custom and external values (the CPU samples carry a recent one). */
export const VALUE_AT = '2024-01-01T10:00:00Z';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${APP}}
spec:
  replicas: 2
  selector: {matchLabels: {run: ${APP}}}
  template:
    metadata: {labels: {run: ${APP}}}
    spec: {containers: [{name: app, image: registry.invalid/hpa-example:1, resources: {requests: {cpu: 200m, memory: 64Mi}}}]}
`;

/** Specs of all four sources, in the YAML of a config's `kubernetesMetricSpecs` (indented list). */
export const ALL_FOUR = `  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  - type: Pods
    pods: {metric: {name: requests_per_second}, target: {type: AverageValue, averageValue: "0.5"}}
  - type: Object
    object:
      describedObject: {apiVersion: apps/v1, kind: Deployment, name: ${APP}}
      metric: {name: hits}
      target: {type: Value, value: 10k}
  - type: External
    external:
      metric: {name: queue_messages_ready, selector: {matchLabels: {queue: worker_tasks}}}
      target: {type: AverageValue, averageValue: "30"}
`;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The aggregation layer's front-proxy CA of the running test cluster. */
export function frontProxyCa(): string {
  const file = process.env['CPA_E2E_CLUSTER'] ?? clusterPaths.clusterJson;
  const info = JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
  if (info.frontProxyCaFile === undefined || !existsSync(info.frontProxyCaFile)) {
    throw new Error(
      'the test cluster has no aggregation layer (started before it existed); restart it: npm run cluster:down && npm run cluster:up',
    );
  }
  return info.frontProxyCaFile;
}

/** Marks the target's pods Running and Ready since long ago (past cpuInitializationPeriod), as a kubelet would. */
async function settlePods(cluster: TestCluster, ns: string): Promise<string[]> {
  const pods = await cluster.waitFor(
    async () => {
      const reply = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=run%3D${APP}`);
      const items = (JSON.parse(reply.body) as { items: { metadata: { name: string } }[] }).items;
      return items.length === 2 ? items.map((p) => p.metadata.name).sort() : undefined;
    },
    // The controller manager of a busy shared cluster can take a while to make them.
    120_000,
    'two pods of the Deployment',
  );
  const started = isoSeconds(Date.now() - 600_000);
  const readySince = isoSeconds(Date.now() - 540_000);
  for (const name of pods) {
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: readySince,
    });
    const status = {
      phase: 'Running',
      startTime: started,
      conditions: ['Initialized', 'ContainersReady', 'Ready'].map(condition),
    };
    const path = `/api/v1/namespaces/${ns}/pods/${name}/status`;
    const reply = await cluster.api('PATCH', path, { status }, 'application/strategic-merge-patch+json');
    assert.equal(reply.status, 200, reply.body);
  }
  return pods;
}

/** What a scenario set up. */
export interface Scenario {
  adapter: MetricsAdapter;
  ns: string;
  /** The two pod names, sorted. */
  pods: [string, string];
  /** Timestamp of the CPU and memory samples. */
  sampleAt: string;
}

/**
 * Starts and registers the adapter, creates the namespace and Deployment, settles its pods and scripts:
 * 300m CPU and 48Mi memory per pod, requests_per_second 1500m / 2, the Deployment's `hits` 2500m, and
 * queue_messages_ready 10 + 5 (queue=worker_tasks) plus 100 of another queue.
 */
export async function setUpScenario(cluster: TestCluster): Promise<Scenario> {
  const adapter = await MetricsAdapter.start(frontProxyCa());
  try {
    await adapter.register(cluster);
    const ns = await cluster.createNamespace('k8s-metrics');
    await cluster.apply(DEPLOYMENT, ns);
    const pods = (await settlePods(cluster, ns)) as [string, string];
    const sampleAt = isoSeconds(Date.now() - 5_000);
    for (const pod of pods) {
      adapter.setPod(ns, pod, {
        labels: { run: APP },
        containers: [{ cpu: '300m', memory: '48Mi' }],
        timestamp: sampleAt,
        window: '30s',
      });
      adapter.custom.set(`${ns}/pods/${pod}/requests_per_second`, {
        value: pod === pods[0] ? '1500m' : '2',
        timestamp: VALUE_AT,
      });
    }
    adapter.custom.set(`${ns}/deployments.apps/${APP}/hits`, { value: '2500m', timestamp: VALUE_AT });
    adapter.external.set(`${ns}/queue_messages_ready`, [
      { labels: { queue: 'worker_tasks' }, value: '10', timestamp: VALUE_AT },
      { labels: { queue: 'worker_tasks' }, value: '5', timestamp: VALUE_AT },
      { labels: { queue: 'other' }, value: '100', timestamp: VALUE_AT },
    ]);
    return { adapter, ns, pods, sampleAt };
  } catch (err) {
    await adapter.stop(cluster);
    throw err;
  }
}

/** The `kubernetesMetrics` array of a saved metric payload, as the bytes it was sent in. */
export function kubernetesMetricsBytes(payload: string): string {
  const key = ',"kubernetesMetrics":';
  const at = payload.indexOf(key);
  if (at < 0) throw new Error(`no kubernetesMetrics in the payload: ${payload.slice(0, 200)}`);
  return payload.slice(at + key.length, -1);
}
