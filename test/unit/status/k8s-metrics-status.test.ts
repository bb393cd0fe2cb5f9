// Kubernetes metrics in `kubectl cpa status`: recorded by `run`, carried on by the next run's reading of the
// record, read back into the item (-o json) and shown in the detail view in cores / MiB beside milli-values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sMetricSummary } from '../../../src/autoscaler/k8s-metrics/summary.ts';
import { decodeState } from '../../../src/status/decode-state.ts';
import { fromAnnotated } from '../../../src/status/model.ts';
import { buildRecordedState } from '../../../src/status/record.ts';
import { renderDetail } from '../../../src/status/render-detail.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { item, recorded, RECORD_INPUT, scaledReport, steadyReport, T0, workload } from './fixtures.ts';

const CPU: K8sMetricSummary = {
  metric: 'resource cpu (Utilization)',
  resource: 'cpu',
  readyPods: 2,
  totalPods: 3,
  averageMilli: 250,
  utilizationPercent: 125,
};
const MEMORY: K8sMetricSummary = {
  metric: 'resource memory (AverageValue)',
  resource: 'memory',
  readyPods: 3,
  totalPods: 3,
  averageMilli: 67108864000,
};
const QUEUE: K8sMetricSummary = { metric: 'external queue (AverageValue)', averageValueMilli: 15000 };

describe('Kubernetes metrics in status', () => {
  it('run records them, and a cycle that gathered none keeps the last ones', () => {
    const first = buildRecordedState(RECORD_INPUT, scaledReport(0, { kubernetesMetrics: [CPU] }), null);
    assert.deepEqual(first.kubernetesMetrics, [CPU]);
    const next = buildRecordedState(RECORD_INPUT, steadyReport(1000), first);
    assert.deepEqual(next.kubernetesMetrics, [CPU]);
  });

  it('the next run reads them back from the annotation (releasing a claim rewrites the record from it)', () => {
    const decoded = decodeState(encodeState(recorded({ kubernetesMetrics: [CPU, QUEUE] })));
    assert.deepEqual(decoded.state?.kubernetesMetrics, [CPU, QUEUE]);
  });

  it('the item carries them for -o json; a malformed list is left out', () => {
    const ok = fromAnnotated(
      workload('Deployment', 'web', { annotation: encodeState(recorded({ kubernetesMetrics: [CPU] })) }),
      T0,
    );
    assert.deepEqual(ok?.kubernetesMetrics, [CPU]);
    const bad = fromAnnotated(
      workload('Deployment', 'web', {
        annotation: JSON.stringify({ ...recorded(), kubernetesMetrics: [{ nope: 1 }] }),
      }),
      T0,
    );
    assert.equal(bad?.kubernetesMetrics, undefined);
  });

  it('the detail view shows cores and MiB beside the milli-values, one line per metric', () => {
    const text = renderDetail(item({ kubernetesMetrics: [CPU, MEMORY, QUEUE] }), {
      nowMs: T0,
      color: false,
      events: [],
    });
    assert.match(
      text,
      /\n {2}Kubernetes metric 1: +resource cpu \(Utilization\): 2\/3 pods ready, average 0\.25 cores \(250m\), 125% of requests\n/,
    );
    assert.match(
      text,
      /\n {2}Kubernetes metric 2: +resource memory \(AverageValue\): 3\/3 pods ready, average 64\.0 MiB \(67108864000m\)\n/,
    );
    assert.match(
      text,
      /\n {2}Kubernetes metric 3: +external queue \(AverageValue\): total 15 \(15000m\) \(divide by replicas\)\n/,
    );
    const one = renderDetail(item({ kubernetesMetrics: [CPU] }), { nowMs: T0, color: false, events: [] });
    assert.match(one, /\n {2}Kubernetes metrics: +resource cpu/);
    assert.doesNotMatch(renderDetail(item(), { nowMs: T0, color: false, events: [] }), /Kubernetes metrics/);
  });
});
