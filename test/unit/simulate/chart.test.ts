// The chart as data: axis ends, where a value lands, and a standalone document (nothing to run or fetch).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chartHtml, chartLayout, chartSvg, CHART_WIDTH, niceCeil } from '../../../src/simulate/chart.ts';
import type { SimulationResult, TimelineRow } from '../../../src/simulate/simulate.ts';
import { summarize } from '../../../src/simulate/summary.ts';

const row = (i: number, replicas: number, metric: string, demand?: number): TimelineRow => ({
  timeMs: i * 60_000,
  metric,
  from: replicas,
  replicas,
  ready: replicas,
  ...(demand === undefined ? {} : { demand }),
  reasons: [],
  action: 'unchanged',
});

const RESULT: SimulationResult = {
  rows: [row(0, 2, '150', 3), row(1, 6, '550', 5)],
  intervalMs: 60_000,
  target: 'deployment/default/<web>&co',
  runMode: 'per-resource',
};

describe('niceCeil', () => {
  const rows: [number, number][] = [
    [0, 1],
    [0.3, 0.5],
    [6.6, 10],
    [4.4, 5],
    [12, 20],
    [605, 1000],
    [100, 100],
  ];
  for (const [given, want] of rows) it(`${given} → ${want}`, () => assert.equal(niceCeil(given), want));
});

describe('chartLayout', () => {
  const layout = chartLayout(RESULT.rows, RESULT.intervalMs);
  it('time spans the plot from the first cycle to the end of the last interval', () => {
    assert.equal(layout.x(0), 56);
    assert.equal(layout.x(120_000), CHART_WIDTH - 72);
  });
  it('the replicas axis ends above the highest replicas or demand; the metric axis above the metric', () => {
    assert.equal(layout.replicasMax, 10);
    assert.deepEqual(layout.metricRange, [0, 1000]);
    assert.ok(layout.yReplicas(6) < layout.yReplicas(2));
    assert.equal(layout.yReplicas(0), layout.yMetric(0));
  });
  it('no numeric metric: no metric axis', () => {
    assert.equal(chartLayout([row(0, 1, '{"a":1}')], 1000).metricRange, null);
  });
});

describe('chartSvg and chartHtml', () => {
  const svg = chartSvg(RESULT);
  it('draws the three series in their colours, the target name escaped', () => {
    assert.match(svg, /<path d="M56 [\d.]+H[\d.]+L/);
    for (const colour of ['#1f77b4', '#ff7f0e', '#2ca02c'])
      assert.ok(svg.includes(`stroke="${colour}"`), colour);
    assert.ok(svg.includes('deployment/default/&lt;web&gt;&amp;co'));
    assert.ok(!svg.includes('<web>'));
  });
  it('leaves demand out when the trace has none', () => {
    const plain = chartSvg({ ...RESULT, rows: [row(0, 2, '150')] });
    assert.ok(!plain.includes('#ff7f0e'));
  });
  it('is standalone: no script, nothing fetched', () => {
    const html = chartHtml(RESULT, summarize(RESULT.rows, RESULT.intervalMs));
    for (const doc of [svg, html]) assert.doesNotMatch(doc, /<script|href=|src=|url\(/);
    assert.match(html, /<pre>cycles: 2\n/);
  });
});
