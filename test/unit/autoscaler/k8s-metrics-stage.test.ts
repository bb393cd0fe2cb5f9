// The metric stage with kubernetesMetricSpecs (§4.2 step 0, §6.4): the same metrics in every payload of the
// run, partial and total failures with requireKubernetesMetrics true and false, CPA's log lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCycle } from '../../../src/autoscaler/cycle.ts';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import type { Config } from '../../../src/config/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { fakeRunner, shellMethod, testConfig } from '../../support/fakes.ts';
import { MetricsWorld, NOW_MS, podMetrics, steady } from './k8s-metrics-world.ts';

const CPU = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } };
const QUEUE = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue' } } };

function harness(config: Partial<Config>) {
  const world = new MetricsWorld();
  world.replicas = 2;
  world.pods = [steady('web-a'), steady('web-b')];
  world.metrics.podMetrics = {
    items: [podMetrics('web-a', [{ cpu: '150m' }]), podMetrics('web-b', [{ cpu: '50m' }])],
  };
  const calls: { name: string; stdin: string }[] = [];
  const events: LogEvent[] = [];
  const ctx: CycleContext = {
    config: testConfig({
      hooks: { preMetric: shellMethod('hook'), postMetric: shellMethod('hook') },
      ...config,
    }),
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'default',
    kube: world,
    methods: {
      runner: fakeRunner(
        {
          hook: () => ({}),
          metric: () => ({ stdout: '1' }),
          evaluate: () => ({ stdout: '{"targetReplicas":2}' }),
        },
        calls,
      ),
      request: async () => ({ kind: 'error', message: 'no http', durationMs: 0 }),
      files: { readText: async () => null, exists: async () => false },
      cwd: '/tmp',
      env: {},
    },
    clock: new FakeClock(NOW_MS),
    logger: { log: (e) => void events.push(e), enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: true,
  };
  return { ctx, world, calls, events };
}

const k8sOf = (stdin: string): unknown[] | undefined => JSON.parse(stdin).kubernetesMetrics;
const warnings = (events: LogEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []));

describe('metric stage with kubernetesMetricSpecs', () => {
  it('per-pod: preMetric, every pod call and postMetric get the same resource-level metrics', async () => {
    const h = harness({ runMode: 'per-pod', kubernetesMetricSpecs: [CPU] });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    assert.equal(report.error, undefined);
    const metricCalls = h.calls.filter((c) => c.name !== 'evaluate');
    assert.deepEqual(
      metricCalls.map((c) => c.name),
      ['hook', 'metric', 'metric', 'hook'],
    );
    const first = k8sOf(metricCalls[0]!.stdin);
    assert.equal((first as { current_replicas: number }[])[0]!.current_replicas, 2);
    for (const c of metricCalls) assert.deepEqual(k8sOf(c.stdin), first);
    // per-pod calls carry the pod as resource and the metrics after runType
    assert.match(
      metricCalls[1]!.stdin,
      /^\{"resource":\{"metadata":\{[^]*"runType":"scaler","kubernetesMetrics":\[\{"current_replicas":2,/,
    );
    // the evaluator never sees kubernetesMetrics (CPA's EvaluateInfo has no such field)
    assert.equal(k8sOf(h.calls.find((c) => c.name === 'evaluate')!.stdin), undefined);
  });

  it('not required, partial: the failure is logged, the metrics that worked are passed on', async () => {
    const h = harness({ kubernetesMetricSpecs: [CPU, QUEUE], requireKubernetesMetrics: false });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    assert.equal(report.error, undefined);
    const stdin = h.calls.find((c) => c.name === 'metric')!.stdin;
    const fixture = new URL('../../fixtures/k8s-metrics/partial-failure-metric-input.json', import.meta.url);
    assert.equal(stdin, readFileSync(fixture, 'utf8'));
    const err =
      'failed to get external metric: unable to get external metric default/queue/nil: no metrics returned from external metrics API';
    assert.deepEqual(warnings(h.events), [
      `Error when retrieving K8s metrics (1/1): ${err}`,
      `Failed to retrieve K8s metrics, not required so continuing: gatherer multi metric error: 1 errors, first error is ${err}`,
    ]);
  });

  it('not required, all failed: kubernetesMetrics is left out of the payload', async () => {
    const h = harness({ kubernetesMetricSpecs: [QUEUE] });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    assert.equal(report.error, undefined);
    assert.ok(!h.calls.find((c) => c.name === 'metric')!.stdin.includes('kubernetesMetrics'));
  });

  it('required, partial: the run fails before any hook with "failed to get some (1/2) …"', async () => {
    const h = harness({ kubernetesMetricSpecs: [CPU, QUEUE], requireKubernetesMetrics: true });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    assert.equal(report.error?.stage, 'metric');
    assert.match(
      report.error?.message ?? '',
      /^failed to get metrics: failed to get some \(1\/2\) required Kubernetes metrics: gatherer multi metric error: 1 errors, first error is failed to get external metric: /,
    );
    assert.deepEqual(h.calls, []);
  });

  it('required, all failed: "failed to get all required Kubernetes metrics"', async () => {
    const h = harness({ kubernetesMetricSpecs: [QUEUE, QUEUE], requireKubernetesMetrics: true });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    assert.match(
      report.error?.message ?? '',
      /^failed to get metrics: failed to get all required Kubernetes metrics: gatherer multi metric error: 2 errors, first error is /,
    );
    assert.equal(warnings(h.events).length, 2);
  });

  it('-v 2 shows each gathered metric in human units beside the milli-values', async () => {
    const h = harness({ kubernetesMetricSpecs: [CPU] });
    await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'evaluate' });
    const lines = h.events.flatMap((e) => (e.kind === 'info' && e.level === 2 ? [e.message] : []));
    assert.ok(
      lines.includes(
        'kubernetes metric 1/1 resource cpu (Utilization): 2/2 pods ready, average 0.1 cores (100m), 100% of requests',
      ),
      lines.join('\n'),
    );
  });
});
