// The units under kubernetesMetrics: quantities (milli-values rounded up, canonical spelling as CPA
// re-serialises targets), Go times and durations, selector renderings, and Go map/set ordering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, milliOf, parseQuantity } from '../../../src/config/quantity.ts';
import { formatTime, parseDurationNs, parseTime } from '../../../src/autoscaler/k8s-metrics/go-time.ts';
import { normalizeSpec, selectorDump, selectorQuery } from '../../../src/autoscaler/k8s-metrics/spec.ts';
import { metricJson } from '../../../src/autoscaler/k8s-metrics/serialise.ts';
import { humanValue } from '../../../src/autoscaler/k8s-metrics/summary.ts';

describe('quantities', () => {
  const milli: [string, number][] = [
    ['250m', 250],
    ['1', 1000],
    ['0.1', 100],
    ['1.5Gi', 1610612736000],
    ['64Mi', 67108864000],
    ['100M', 100000000000],
    ['2e3', 2000000],
    ['1n', 1], // rounded up to a whole milli-unit, as MilliValue does
    ['1500u', 2],
    ['12345678n', 13],
  ];
  for (const [given, want] of milli)
    it(`MilliValue(${given}) = ${want}`, () => assert.equal(milliOf(given), want));

  const canonical: [string, string][] = [
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1500', '1500'],
    ['1000', '1k'],
    ['10000', '10k'],
    ['65536Ki', '64Mi'],
    ['1024Mi', '1Gi'],
    ['0.5Gi', '512Mi'],
    ['1.5Ki', '1536'],
    ['512Ki', '512Ki'],
    ['100Ki', '100Ki'],
    ['1Ki', '1Ki'],
    ['0.0001Ki', '102400u'], // binary below 1024 (or fractional) is written in decimal SI
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['0', '0'],
    ['0.0000000001', '1n'],
  ];
  for (const [given, want] of canonical) {
    it(`canonical ${given} → ${want}`, () => assert.equal(canonicalQuantity(parseQuantity(given)), want));
  }
  it('refuses text apimachinery refuses', () => {
    for (const bad of ['', 'abc', '1.2.3', '5 m', '1Kb'])
      assert.throws(() => parseQuantity(bad), RangeError, bad);
  });
});

describe('Go times and durations', () => {
  const times: [string, string][] = [
    ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00Z'],
    ['2024-01-01T10:00:00.500000000Z', '2024-01-01T10:00:00.5Z'],
    ['2024-01-01T10:00:00.123456789123Z', '2024-01-01T10:00:00.123456789Z'],
    ['2024-01-01T01:30:00+02:00', '2023-12-31T23:30:00Z'],
    ['2024-01-01T10:00:00-00:30', '2024-01-01T10:30:00Z'],
  ];
  for (const [given, want] of times)
    it(`${given} → ${want}`, () => assert.equal(formatTime(parseTime(given)), want));
  const durations: [string, number][] = [
    ['30s', 30e9],
    ['1m0s', 60e9],
    ['1.5s', 1.5e9],
    ['1h2m3s', 3723e9],
    ['250ms', 250e6],
    ['0', 0],
  ];
  for (const [given, want] of durations)
    it(`duration ${given}`, () => assert.equal(parseDurationNs(given), want));
});

describe('label selectors', () => {
  const s = {
    matchLabels: { tier: 'web', app: 'shop' },
    matchExpressions: [
      { key: 'zone', operator: 'In', values: ['b', 'a'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'gpu', operator: 'Exists' },
    ],
  };
  it('as a query: sorted by key, set operators spelled as labels.Selector does', () => {
    assert.equal(selectorQuery(s), 'app=shop,!canary,env notin (dev),gpu,tier=web,zone in (a,b)');
    assert.equal(selectorQuery(undefined), '');
  });
  it('as the Go dump in error texts', () => {
    assert.equal(
      selectorDump(s),
      '&LabelSelector{MatchLabels:map[string]string{app: shop,tier: web,},MatchExpressions:[]LabelSelectorRequirement{' +
        'LabelSelectorRequirement{Key:zone,Operator:In,Values:[b a],},LabelSelectorRequirement{Key:canary,Operator:DoesNotExist,Values:[],},' +
        'LabelSelectorRequirement{Key:env,Operator:NotIn,Values:[dev],},LabelSelectorRequirement{Key:gpu,Operator:Exists,Values:[],},},}',
    );
  });
});

describe('specs decoded as Go decodes them', () => {
  it('a YAML 1.1 boolean in a string list becomes its text (`y` → "true"), as in the Go CPA`s error texts', () => {
    const spec = normalizeSpec({
      type: 'External',
      external: {
        metric: {
          name: 'q',
          selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['z', true] }] },
        },
        target: { type: 'Value' },
      },
    });
    assert.equal(
      selectorDump(spec.external?.metric.selector),
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:NotIn,Values:[z true],},},}',
    );
  });
});

describe('Go map and set order', () => {
  it('pod names sort by bytes, even integer-like ones JavaScript would put first', () => {
    const sample = { timestamp: '2024-01-01T10:00:00Z', windowNs: 1, value: 1 };
    const json = metricJson({
      currentReplicas: 1,
      spec: { type: 'Pods' },
      pods: {
        podMetricsInfo: new Map([
          ['web-b', sample],
          ['10', sample],
          ['9', sample],
        ]),
        readyPodCount: 3,
        ignoredPods: null,
        missingPods: new Set(['z', 'a', '10']),
        totalPods: 3,
        timestamp: '2024-01-01T10:00:00Z',
      },
    });
    const info = '{"Timestamp":"2024-01-01T10:00:00Z","Window":1,"Value":1}';
    assert.equal(
      json,
      `{"current_replicas":1,"spec":{"type":"Pods"},"pods":{"pod_metrics_info":{"10":${info},"9":${info},"web-b":${info}},` +
        '"ready_pod_count":3,"ignored_pods":null,"missing_pods":{"10":{},"a":{},"z":{}},"total_pods":3,"timestamp":"2024-01-01T10:00:00Z"}}',
    );
  });
});

describe('human units', () => {
  it('cores and MiB beside the milli-values', () => {
    assert.equal(humanValue('cpu', 250), '0.25 cores (250m)');
    assert.equal(humanValue('cpu', 2000), '2 cores (2000m)');
    assert.equal(humanValue('memory', 67108864000), '64.0 MiB (67108864000m)');
    assert.equal(humanValue('', 1500), '1.5 (1500m)');
  });
});
