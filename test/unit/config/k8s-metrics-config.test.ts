// kubernetesMetricSpecs in the config: CPA's own example configs load unchanged, what Go's decoder would
// refuse is reported at load with its key path, and the RBAC rules each source needs are derived as data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricRbacRules } from '../../../src/autoscaler/k8s-metrics/rbac.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { assertIssues, BASE, load, loadOk } from './fixtures.ts';

// The settings of CPA's example/k8s-metrics-cpu config.yaml (v2.12.2), with its /metric.py paths.
const CPA_K8S_METRICS_CPU = `evaluate:
  type: "shell"
  timeout: 2500
  shell:
    entrypoint: "python"
    command:
      - "/evaluate.py"
metric:
  type: "shell"
  timeout: 2500
  shell:
    entrypoint: "python"
    command:
      - "/metric.py"
kubernetesMetricSpecs:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
requireKubernetesMetrics: true
runMode: "per-resource"
`;

describe('kubernetesMetricSpecs in the config', () => {
  it('CPA`s k8s-metrics-cpu example config loads and runs (no "not supported" refusal any more)', () => {
    const { config } = loadOk(CPA_K8S_METRICS_CPU, {});
    assert.deepEqual(config.kubernetesMetricSpecs, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
    ]);
    assert.equal(config.requireKubernetesMetrics, true);
    const forRun = loadConfig({
      text: CPA_K8S_METRICS_CPU,
      fileName: 'config.yaml',
      env: {},
      forRun: { targetLookedUp: true },
    });
    assert.ok(forRun.ok, JSON.stringify(forRun));
  });

  it('all four sources with selectors and quantities load', () => {
    loadOk(`${BASE}kubernetesMetricSpecs:
  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 512Mi}}}
  - {type: Pods, pods: {metric: {name: rps, selector: {matchLabels: {verb: GET}}}, target: {type: AverageValue, averageValue: 0.5}}}
  - {type: Object, object: {describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}, metric: {name: hits}, target: {type: Value, value: 10k}}}
  - {type: External, external: {metric: {name: q, selector: {matchExpressions: [{key: queue, operator: In, values: [a, b]}]}}, target: {type: Value, value: "30"}}}
`);
  });

  it('reports a bad quantity, a string selector (CPA`s docs), a bad operator and a missing name, each at its path', () => {
    assertIssues(
      load(`${BASE}kubernetesMetricSpecs:
  - {type: Resource, resource: {name: cpu, target: {type: AverageValue, averageValue: 5 cores}}}
  - {type: External, external: {metric: {name: q, selector: "queue=worker_tasks"}, target: {type: Value}}}
  - {type: External, external: {metric: {name: q, selector: {matchExpressions: [{key: a, operator: Equals, values: [x]}]}}, target: {type: Value}}}
  - {type: Pods, pods: {metric: {}, target: {type: AverageValue, averageUtilization: 1.5}}}
`),
      [
        {
          path: 'kubernetesMetricSpecs[0].resource.target.averageValue',
          has: ['must be a quantity', '"5 cores"'],
        },
        {
          path: 'kubernetesMetricSpecs[1].external.metric.selector',
          has: ['must be a label selector mapping'],
        },
        {
          path: 'kubernetesMetricSpecs[2].external.metric.selector.matchExpressions[0].operator',
          has: ['"In", "NotIn", "Exists", "DoesNotExist"', '"Equals"'],
        },
        { path: 'kubernetesMetricSpecs[3].pods.metric.name', has: ['must be a string'] },
        { path: 'kubernetesMetricSpecs[3].pods.target.averageUtilization', has: ['must be an integer'] },
      ],
    );
  });
});

describe('RBAC rules per source', () => {
  it('each source needs exactly the rule kube-apiserver checks for its path', () => {
    assert.deepEqual(
      metricRbacRules([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue' } } },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
            metric: { name: 'hits' },
            target: { type: 'Value' },
          },
        },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'v1', kind: 'Namespace', name: 'ns' },
            metric: { name: 'load' },
            target: { type: 'Value' },
          },
        },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value' } } },
        {
          type: 'ContainerResource',
          containerResource: { name: 'cpu', container: 'c', target: { type: 'Utilization' } },
        },
      ]),
      [
        { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
        { apiGroups: ['custom.metrics.k8s.io'], resources: ['pods/rps'], verbs: ['get'] },
        {
          apiGroups: ['custom.metrics.k8s.io'],
          resources: ['ingresses.networking.k8s.io/hits'],
          verbs: ['get'],
          resourceNames: ['main'],
        },
        {
          apiGroups: ['custom.metrics.k8s.io'],
          resources: ['metrics'],
          verbs: ['get'],
          resourceNames: ['load'],
        },
        { apiGroups: ['external.metrics.k8s.io'], resources: ['queue'], verbs: ['list'] },
      ],
    );
    assert.deepEqual(metricRbacRules(null), []);
  });
});
