// kubernetesMetricSpecs as CPA v2.12.2 hands them to user logic (§6): the serialised bytes of every source
// and edge case pinned against hand-written fixtures, CPA's error texts, and §6.4's requireKubernetesMetrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gatherK8sMetrics } from '../../../src/autoscaler/k8s-metrics/gather.ts';
import { metricJson } from '../../../src/autoscaler/k8s-metrics/serialise.ts';
import { metricInfo } from '../../../src/autoscaler/payloads.ts';
import { MetricsWorld, NOW_MS, pod, podMetrics, steady } from './k8s-metrics-world.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/k8s-metrics/${name}`, import.meta.url), 'utf8');
const payloadFixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/payloads/${name}`, import.meta.url), 'utf8');

const RULES = { cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000, nowMs: NOW_MS };

async function gatherOne(world: MetricsWorld, spec: unknown, currentReplicas = 3) {
  const result = await gatherK8sMetrics([spec], {
    kube: world,
    namespace: 'default',
    podSelector: 'app=web',
    currentReplicas,
    rules: RULES,
  });
  return result;
}

async function gatheredJson(world: MetricsWorld, spec: unknown, currentReplicas = 3): Promise<string> {
  const result = await gatherOne(world, spec, currentReplicas);
  assert.deepEqual(result.errors, []);
  assert.equal(result.metrics.length, 1);
  return metricJson(result.metrics[0]!);
}

/** The §6.3 zoo: one pod per readiness rule. */
function readinessWorld(): MetricsWorld {
  const w = new MetricsWorld();
  w.pods = [
    steady('web-a'),
    pod('web-b', { phase: 'Pending' }),
    steady('web-c'),
    pod('web-d', { ready: ['True', '2024-01-01T10:00:20Z'], start: '2024-01-01T10:00:10Z' }),
    pod('web-e', {
      phase: 'Failed',
      ready: ['False', '2024-01-01T09:00:00Z'],
      start: '2024-01-01T08:00:00Z',
    }),
    pod('web-f', { deleting: true, ready: ['True', '2024-01-01T09:00:00Z'], start: '2024-01-01T08:00:00Z' }),
    pod('web-g', { ready: ['False', '2024-01-01T09:30:00Z'], start: '2024-01-01T08:00:00Z' }),
    pod('web-h', { start: '2024-01-01T08:00:00Z' }),
  ];
  w.metrics.podMetrics = {
    items: [
      podMetrics('web-a', [{ cpu: '250m' }]),
      podMetrics('web-b', [{ cpu: '10m' }]),
      podMetrics('web-d', [{ cpu: '400m' }]),
      podMetrics('web-e', [{ cpu: '5m' }]),
      podMetrics('web-f', [{ cpu: '999m' }]),
      podMetrics('web-g', [{ cpu: '0.1' }]),
      podMetrics('web-h', [{ cpu: '50m' }]),
    ],
  };
  return w;
}

const PODS_SPEC = {
  type: 'Pods',
  pods: {
    metric: { name: 'requests_per_second', selector: { matchLabels: { verb: 'GET' } } },
    target: { type: 'AverageValue', averageValue: '0.5' },
  },
};
const OBJECT_REF = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main-route' };
const EXTERNAL_METRIC = {
  name: 'queue_messages_ready',
  selector: { matchLabels: { queue: 'worker_tasks' } },
};

describe('kubernetesMetrics serialised as CPA does (§6.2)', () => {
  it('Resource cpu Utilization, one pod: the spec example byte for byte (containers summed, requests too)', async () => {
    const w = new MetricsWorld();
    w.pods = [steady('web-6d9f-abcde', [{ cpu: '100m' }, { cpu: '0.1' }])];
    w.metrics.podMetrics = { items: [podMetrics('web-6d9f-abcde', [{ cpu: '3m' }, { cpu: '1m' }])] };
    const spec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } };
    assert.equal(await gatheredJson(w, spec, 1), fixture('resource-cpu-one-pod.json'));
    assert.deepEqual(w.metrics.calls, ['podmetrics default app=web']);
  });

  it('Resource cpu: pending ignored, no sample missing, CPU start-up and unready rules, failed/deleting skipped', async () => {
    const spec = {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      unknownField: 'dropped as Go drops it',
    };
    assert.equal(await gatheredJson(readinessWorld(), spec), fixture('resource-cpu-readiness.json'));
  });

  it('Resource memory AverageValue: requests null, no CPU rule, a container without the resource → missing', async () => {
    const w = new MetricsWorld();
    w.pods = [
      steady('web-a'),
      pod('web-b', { phase: 'Pending' }),
      steady('web-c'),
      pod('web-h', { start: '2024-01-01T08:00:00Z' }),
      steady('web-k'),
    ];
    w.metrics.podMetrics = {
      items: [
        podMetrics('web-a', [{ cpu: '250m', memory: '64Mi' }]),
        podMetrics('web-h', [{ memory: '100M' }]),
        podMetrics('web-k', [{ cpu: '1m', memory: '1Mi' }, { cpu: '1m' }]),
      ],
    };
    const spec = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '65536Ki' } },
    };
    assert.equal(await gatheredJson(w, spec), fixture('resource-memory-average-value.json'));
  });

  it('Pods: default 60 s window, offset timestamps in UTC, ignored_pods null, selectors passed as queries', async () => {
    const w = new MetricsWorld();
    w.pods = [steady('web-a'), pod('web-b', { phase: 'Pending' }), steady('web-c'), steady('web-d')];
    w.metrics.custom = {
      items: [
        {
          describedObject: { kind: 'Pod', name: 'web-a' },
          timestamp: '2024-01-01T10:00:00.250+01:00',
          value: '1500m',
        },
        {
          describedObject: { kind: 'Pod', name: 'web-c' },
          timestamp: '2024-01-01T10:00:00Z',
          windowSeconds: 30,
          value: '2',
        },
      ],
    };
    assert.equal(await gatheredJson(w, PODS_SPEC), fixture('pods.json'));
    assert.deepEqual(w.metrics.calls, ['custom default pods/* requests_per_second ls=app=web mls=verb=GET']);
  });

  it('Pods with zero pods: counts 0 and nulls, no error', async () => {
    const w = new MetricsWorld();
    w.metrics.custom = {
      items: [{ describedObject: { name: 'gone' }, timestamp: '2024-01-01T10:00:00.250+01:00', value: '1' }],
    };
    assert.equal(await gatheredJson(w, PODS_SPEC), fixture('pods-zero-pods.json'));
  });

  it('Object Value: the value plus Running+Ready pods; AverageValue: the raw value, no pod count', async () => {
    const w = new MetricsWorld();
    w.pods = [
      steady('web-a'),
      pod('web-b', { phase: 'Pending' }),
      pod('web-g', { ready: ['False', '2024-01-01T09:30:00Z'] }),
    ];
    w.metrics.custom = { items: [{ timestamp: '2024-01-01T10:00:00Z', value: '2500m' }] };
    const value = {
      type: 'Object',
      object: {
        describedObject: OBJECT_REF,
        metric: { name: 'requests-per-second' },
        target: { type: 'Value', value: '10000' },
      },
    };
    assert.equal(await gatheredJson(w, value), fixture('object-value.json'));
    const average = {
      type: 'Object',
      object: {
        metric: { name: 'requests-per-second' },
        target: { type: 'AverageValue', averageValue: 2 },
        describedObject: OBJECT_REF,
      },
    };
    assert.equal(await gatheredJson(w, average), fixture('object-average-value.json'));
    assert.equal(
      w.metrics.calls[0],
      'custom default ingresss.networking.k8s.io/main-route requests-per-second ls= mls=',
    );
  });

  it('External Value: sum of all series, ready pods, zero time when the API gives no timestamp', async () => {
    const w = new MetricsWorld();
    w.pods = [steady('web-a'), steady('web-b')];
    w.metrics.external = {
      items: [
        { metricName: 'queue_messages_ready', value: '10' },
        { metricName: 'queue_messages_ready', value: '5' },
      ],
    };
    const spec = {
      type: 'External',
      external: { metric: EXTERNAL_METRIC, target: { type: 'Value', value: 30 } },
    };
    assert.equal(await gatheredJson(w, spec), fixture('external-value-zero-time.json'));
    assert.deepEqual(w.metrics.calls, ['external default queue_messages_ready queue=worker_tasks']);
  });

  it('the metric payload carries kubernetesMetrics last, after runType, as CPA`s struct does', async () => {
    const deployment = JSON.parse(payloadFixture('deployment.json'));
    const k8s = `[${fixture('resource-cpu-one-pod.json')}]`;
    assert.equal(
      metricInfo(deployment, 'api', [{ resource: 'hello', value: '3' }], k8s),
      fixture('post-metric-with-k8s.json'),
    );
  });
});

describe("per-spec failures carry CPA's texts (§6.1, §6.4)", () => {
  const boom = new Error('boom');
  const cases: { name: string; spec: unknown; world?: (w: MetricsWorld) => void; want: string }[] = [
    {
      name: 'Pods target other than AverageValue',
      spec: { type: 'Pods', pods: { metric: { name: 'x' }, target: { type: 'Utilization' } } },
      want: 'invalid pods metric source: must be average value',
    },
    {
      name: 'Resource target Value',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Value' } } },
      want: 'invalid resource metric source: must be either average value or average utilization',
    },
    {
      name: 'Object target Utilization',
      spec: {
        type: 'Object',
        object: { describedObject: OBJECT_REF, metric: { name: 'x' }, target: { type: 'Utilization' } },
      },
      want: 'invalid object metric source: must be either value or average value',
    },
    {
      name: 'External target Utilization',
      spec: { type: 'External', external: { metric: { name: 'x' }, target: { type: 'Utilization' } } },
      want: 'invalid external metric source: must be either value or average value',
    },
    {
      name: 'ContainerResource is not supported by CPA',
      spec: {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization' } },
      },
      want: 'unknown metric source type "ContainerResource"',
    },
    {
      name: 'no PodMetrics at all',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
      want: 'failed to get resource metric: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    },
    {
      name: 'resource metrics API failing',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
      world: (w) => void (w.metrics.podMetrics = boom),
      want: 'failed to get resource metric: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: boom',
    },
    {
      name: 'Resource metric with zero pods',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
      world: (w) => {
        w.pods = [];
        w.metrics.podMetrics = { items: [podMetrics('gone', [{ cpu: '1m' }])] };
      },
      want: 'failed to get resource metric: no pods returned by selector while calculating replica count',
    },
    {
      name: 'a container without a request (Utilization)',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
      world: (w) => {
        w.pods = [steady('web-a', [{ memory: '1Mi' }])];
        w.metrics.podMetrics = { items: [podMetrics('web-a', [{ cpu: '1m' }])] };
      },
      want: 'failed to get resource metric: missing request for cpu',
    },
    {
      name: 'custom metrics API failing for Pods',
      spec: PODS_SPEC,
      world: (w) => void (w.metrics.custom = boom),
      want: 'failed to get pods metric: unable to get metric requests_per_second: unable to fetch metrics from custom metrics API: boom',
    },
    {
      name: 'Object Value failing',
      spec: {
        type: 'Object',
        object: { describedObject: OBJECT_REF, metric: { name: 'rps' }, target: { type: 'Value' } },
      },
      world: (w) => void (w.metrics.custom = boom),
      want: 'failed to get object metric: unable to get metric rps: Ingress on default main-route: unable to fetch metrics from custom metrics API: boom',
    },
    {
      name: 'Object AverageValue failing (CPA writes "/" here)',
      spec: {
        type: 'Object',
        object: { describedObject: OBJECT_REF, metric: { name: 'rps' }, target: { type: 'AverageValue' } },
      },
      world: (w) => void (w.metrics.custom = { items: [] }),
      want: 'failed to get object metric: unable to get metric rps: Ingress on default main-route/unable to fetch metrics from custom metrics API: the custom metrics API server returned 0 results when we asked for exactly one',
    },
    {
      name: 'external metrics API failing (the selector in its Go dump)',
      spec: { type: 'External', external: { metric: EXTERNAL_METRIC, target: { type: 'AverageValue' } } },
      world: (w) => void (w.metrics.external = boom),
      want: 'failed to get external metric: unable to get external metric default/queue_messages_ready/&LabelSelector{MatchLabels:map[string]string{queue: worker_tasks,},MatchExpressions:[]LabelSelectorRequirement{},}: unable to fetch metrics from external metrics API: boom',
    },
    {
      name: 'no external series, no selector',
      spec: { type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue' } } },
      want: 'failed to get external metric: unable to get external metric default/q/nil: no metrics returned from external metrics API',
    },
    {
      name: 'pods unreadable while counting ready pods',
      spec: { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value' } } },
      world: (w) => {
        w.metrics.external = { items: [{ value: '1' }] };
        w.pods = boom;
      },
      want: 'failed to get external metric: unable to calculate ready pods: unable to get pods while calculating replica count: boom',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const w = new MetricsWorld();
      w.pods = [steady('web-a')];
      c.world?.(w);
      const result = await gatherOne(w, c.spec);
      assert.deepEqual(result.metrics, []);
      assert.deepEqual(result.errors, [c.want]);
    });
  }
});
