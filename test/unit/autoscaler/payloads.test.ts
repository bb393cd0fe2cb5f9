// Payload bytes pinned against hand-written fixtures: CPA scripts parse these, so field names, order and
// Go's escaping must not drift.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  evaluateInfo,
  metricInfo,
  resourceMetric,
  scaleInfo,
  seedEvaluateInput,
  seedMetricInput,
} from '../../../src/autoscaler/payloads.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/payloads/${name}`, import.meta.url), 'utf8');
const deployment = JSON.parse(fixture('deployment.json'));
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello' };

describe('payloads (CPA v2)', () => {
  it('metric input, per-resource: resource keys sorted, <>& escaped, no metrics key', () => {
    assert.equal(metricInfo(deployment, 'scaler'), fixture('metric-per-resource.json'));
  });
  it('postMetric input carries the metrics between resource and runType', () => {
    assert.equal(
      metricInfo(deployment, 'api', [{ resource: 'hello', value: '3' }]),
      fixture('post-metric.json'),
    );
  });
  it('metric input omits an empty metrics list', () => {
    assert.ok(!metricInfo(deployment, 'scaler', []).includes('"metrics"'));
  });
  it('evaluate input', () => {
    assert.equal(
      evaluateInfo([{ resource: 'hello', value: '3' }], deployment, 'scaler'),
      fixture('evaluate.json'),
    );
  });
  it('postEvaluate input with null metrics (per-pod, no pods)', () => {
    assert.equal(
      evaluateInfo(null, deployment, 'api_dry_run', 4),
      fixture('post-evaluate-null-metrics.json'),
    );
  });
  it('scale hook input: final target in evaluation, raw evaluation at top level for scaler runs', () => {
    const got = scaleInfo({
      finalTarget: 4,
      resource: deployment,
      scaleTargetRef: ref,
      namespace: 'default',
      minReplicas: 1,
      maxReplicas: 10,
      rawEvaluation: 2,
      runType: 'scaler',
    });
    assert.equal(got, fixture('scale-scaler.json'));
  });
  it('scale hook input has targetReplicas 0 for API runs, as CPA does', () => {
    const got = JSON.parse(
      scaleInfo({
        finalTarget: 4,
        resource: deployment,
        scaleTargetRef: ref,
        namespace: 'default',
        minReplicas: 1,
        maxReplicas: 10,
        rawEvaluation: 2,
        runType: 'api',
      }),
    );
    assert.equal(got.targetReplicas, 0);
  });
  it('resource metric drops empty strings', () => {
    assert.deepEqual(resourceMetric('pod-a', ''), { resource: 'pod-a' });
    assert.deepEqual(resourceMetric('', '5'), { value: '5' });
  });
});

describe('payloads (seed v0.8.0)', () => {
  it('metric input is the raw resource JSON', () => {
    assert.deepEqual(JSON.parse(seedMetricInput(deployment)), deployment);
    assert.ok(seedMetricInput(deployment).startsWith('{"apiVersion":"apps/v1","kind":"Deployment"'));
  });
  it('evaluate input is {deployment, run_type, metrics}', () => {
    assert.equal(
      seedEvaluateInput('hello', 'scaler', [{ resource: 'hello', value: '5' }]),
      fixture('seed-evaluate.json'),
    );
  });
  it('any API run type reads as "api"', () => {
    assert.equal(JSON.parse(seedEvaluateInput('hello', 'api_dry_run', null)).run_type, 'api');
  });
});
