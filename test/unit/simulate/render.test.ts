// The backtest as text: table, CSV, JSON, summary lines and sparklines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TimelineRow } from '../../../src/simulate/simulate.ts';
import {
  metricNumber,
  resultJson,
  sparkline,
  summaryText,
  timelineCsv,
  timelineTable,
} from '../../../src/simulate/render.ts';
import { summarize } from '../../../src/simulate/summary.ts';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const ROWS: TimelineRow[] = [
  {
    timeMs: T0,
    metric: '120',
    evaluation: 2,
    from: 1,
    replicas: 2,
    ready: 1,
    demand: 2,
    reasons: ['Scaled'],
    action: 'scaled',
  },
  {
    timeMs: T0 + 15_000,
    metric: '{"a": "x,y"}',
    from: 2,
    replicas: 2,
    ready: 2,
    reasons: [],
    action: 'failed',
    error: 'evaluate failed',
  },
];

describe('render', () => {
  it('the table shows the change as from → to, and errors in the reasons column', () => {
    assert.equal(
      timelineTable(ROWS),
      'TIME                   METRIC         EVALUATION   REPLICAS   READY   DEMAND   REASONS\n' +
        '2026-12-01T00:00:00Z   120            2            1 → 2      1       2        Scaled\n' +
        '2026-12-01T00:00:15Z   {"a": "x,y"}   -            2          2       -        error: evaluate failed\n',
    );
  });
  it('CSV quotes fields with commas and quotes', () => {
    assert.equal(
      timelineCsv(ROWS),
      'time,metric,evaluation,from,replicas,ready,demand,reasons,action,error\n' +
        '2026-12-01T00:00:00Z,120,2,1,2,1,2,Scaled,scaled,\n' +
        '2026-12-01T00:00:15Z,"{""a"": ""x,y""}",,2,2,2,,,failed,evaluate failed\n',
    );
  });
  it('JSON carries the summary and ISO times', () => {
    const summary = summarize(ROWS, 15_000);
    const doc = JSON.parse(
      resultJson(
        { rows: ROWS, intervalMs: 15_000, target: 'deployment/default/web', runMode: 'per-resource' },
        summary,
      ),
    );
    assert.equal(doc.timeline[0].time, '2026-12-01T00:00:00Z');
    assert.equal(doc.timeline[0].replicas, 2);
    assert.equal(doc.summary.scaleUps, 1);
    assert.equal(doc.target, 'deployment/default/web');
  });
  it('the summary names the provisioning shares when there is demand', () => {
    const text = summaryText(summarize(ROWS, 15_000), 15_000);
    assert.match(text, /^cycles: 2 \(1 failed\)$/m);
    assert.match(text, /^scale events: 1 \(1 up, 0 down\)$/m);
    assert.match(text, /^under-provisioned: 0m \(100\.0%\)$/m);
  });
});

describe('sparkline', () => {
  const rows: { name: string; given: [number[], number, number, number]; want: string }[] = [
    { name: 'low to high', given: [[0, 1, 2, 3, 4, 5, 6, 7], 8, 0, 7], want: '▁▂▃▄▅▆▇█' },
    {
      name: 'a spike survives narrowing (max per column)',
      given: [[0, 0, 0, 7, 0, 0], 3, 0, 7],
      want: '▁█▁',
    },
    { name: 'no value is a space', given: [[NaN, 7], 2, 0, 7], want: ' █' },
    { name: 'a flat series sits at the bottom', given: [[3, 3], 2, 3, 3], want: '▁▁' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(sparkline(...row.given), row.want));
});

describe('metricNumber', () => {
  const rows: { given: string; want: number }[] = [
    { given: '12.5', want: 12.5 },
    { given: '10;20;30', want: 20 },
    { given: '{"rps":1}', want: NaN },
    { given: '', want: NaN },
  ];
  for (const row of rows)
    it(`"${row.given}" → ${row.want}`, () => {
      const got = metricNumber({ ...ROWS[0]!, metric: row.given });
      assert.ok(Object.is(got, row.want) || got === row.want, `got ${got}`);
    });
});
