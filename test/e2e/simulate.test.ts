// `kubectl cpa simulate` end to end with the built binary: the chart rendered in headless Chromium shows
// the series where the timeline puts them; the decisions equal those of a live `run --sandbox` fed the same
// metric values cycle by cycle (the same decision code, proven); a Prometheus range query (a real loopback
// HTTP server speaking /api/v1/query_range) gives the same backtest as the same trace from a file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chartLayout, COLORS } from '../../src/simulate/chart.ts';
import type { TimelineRow } from '../../src/simulate/simulate.ts';
import { cpaBinary } from '../support/cpa.ts';
import { colourNear, cpaIn, renderInChromium } from './simulate-support.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

interface JsonTimeline {
  intervalMs: number;
  summary: Record<string, number>;
  timeline: (Omit<TimelineRow, 'timeMs'> & { time: string })[];
}

function rowsOf(doc: JsonTimeline): TimelineRow[] {
  return doc.timeline.map(({ time, ...row }) => ({ ...row, timeMs: Date.parse(time) }));
}

let root: string;
let project: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'simulate-e2e-'));
  project = join(root, 'scaler');
  const init = await cpaIn(root, ['init', 'scaler', '--lang', 'bash']);
  assert.equal(init.code, 0, init.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('simulate: the chart', { timeout: 180_000 }, () => {
  // Ten minutes at 150 (→ 2 replicas, demand 3), then ten at 550 (→ 6 replicas, demand 5).
  const trace =
    'time,value,demand\n' +
    Array.from({ length: 20 }, (_, i) => `${iso(T0 + i * MIN)},${i < 10 ? 150 : 550},${i < 10 ? 3 : 5}`).join(
      '\n',
    );
  let doc: JsonTimeline;

  before(async () => {
    writeFileSync(join(project, 'chart-trace.csv'), trace);
    const ran = await cpaIn(project, [
      'simulate',
      '.',
      '--trace',
      'chart-trace.csv',
      '--interval',
      '1m',
      '-o',
      'json',
      '--chart',
      'chart.svg',
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    doc = JSON.parse(ran.stdout) as JsonTimeline;
    const html = await cpaIn(project, [
      'simulate',
      '.',
      '--trace',
      'chart-trace.csv',
      '--interval',
      '1m',
      '--chart',
      'chart.html',
    ]);
    assert.equal(html.code, 0, html.stderr);
  });

  it('the timeline is what the trace asks for: 2 replicas, then 6', () => {
    assert.deepEqual(
      doc.timeline.map((r) => r.replicas),
      [...Array(10).fill(2), ...Array(10).fill(6)],
    );
  });

  for (const file of ['chart.svg', 'chart.html']) {
    it(`${file} rendered in Chromium shows replicas, demand and metric where the data puts them`, () => {
      const png = renderInChromium(join(project, file));
      const rows = rowsOf(doc);
      const layout = chartLayout(rows, doc.intervalMs);
      const early = layout.x(T0 + 4.5 * MIN);
      const late = layout.x(T0 + 15.5 * MIN);
      const at = (x: number, y: number, colour: string): boolean => colourNear(png, x, y, colour);
      assert.ok(at(early, layout.yReplicas(2), COLORS.replicas), 'replicas at 2 early');
      assert.ok(at(late, layout.yReplicas(6), COLORS.replicas), 'replicas at 6 late');
      assert.ok(!at(early, layout.yReplicas(6), COLORS.replicas), 'no replicas line at 6 early');
      assert.ok(at(early, layout.yReplicas(3), COLORS.demand), 'demand at 3 early');
      assert.ok(at(late, layout.yReplicas(5), COLORS.demand), 'demand at 5 late');
      assert.ok(at(early, layout.yMetric(150), COLORS.metric), 'metric at 150 early');
      assert.ok(at(late, layout.yMetric(550), COLORS.metric), 'metric at 550 late');
      assert.deepEqual(png.at(early, layout.yReplicas(9)), [255, 255, 255], 'nothing drawn at 9 replicas');
    });
  }
});

describe('simulate: the same decisions as a live run', { timeout: 180_000 }, () => {
  // Chosen to go through clamps (max 6), the downscale window and plain scaling.
  const values = [150, 450, 450, 120, 120, 120, 120, 900, 900, 50, 50, 50, 50, 350, 350];
  // With a 2 s window and cycles 1.3 s apart, the window holds the one recommendation before (1.3 s old) and
  // never the one before that (2.6 s): a live loop may drift by ±0.6 s under load and still decide the same.
  const intervalMs = 1300;

  it('simulate and `run --sandbox` fed the same values decide the same, cycle for cycle', async () => {
    const dir = join(root, 'equal');
    const init = await cpaIn(root, ['init', 'equal', '--lang', 'bash']);
    assert.equal(init.code, 0, init.stderr);
    // The live metric hook hands out the next value at each cycle; simulate reads the same values from the trace.
    writeFileSync(join(dir, 'values.txt'), values.join('\n') + '\n');
    const config = readFileSync(join(dir, 'config.yaml'), 'utf8')
      .replace('maxReplicas: 10', 'maxReplicas: 6')
      .replace('downscaleStabilization: 120', 'downscaleStabilization: 2')
      .replace(
        /metric:\n(?: {2}.*\n)+/,
        'metric:\n  type: shell\n  timeout: 2500\n  shell:\n    entrypoint: /bin/sh\n    command: ["-c", "n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; sed -n \\"$((n+1))p\\" values.txt"]\n',
      );
    writeFileSync(join(dir, 'config.yaml'), config);
    writeFileSync(
      join(dir, 'values.csv'),
      'time,value\n' + values.map((v, i) => `${(T0 + i * intervalMs) / 1000},${v}`).join('\n') + '\n',
    );

    const simulated = await cpaIn(dir, [
      'simulate',
      '.',
      '--trace',
      'values.csv',
      '--interval',
      `${intervalMs}ms`,
      '-o',
      'json',
    ]);
    assert.equal(simulated.code, 0, simulated.stderr);
    const sim = (JSON.parse(simulated.stdout) as JsonTimeline).timeline.map((r) => ({
      from: r.from,
      to: r.replicas,
      evaluation: r.evaluation,
      reasons: r.reasons,
    }));

    const live = spawn(
      cpaBinary,
      ['run', '.', '--sandbox', '--interval', `${intervalMs}ms`, '--no-api', '--log-format', 'json'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    live.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const decisions = (): Record<string, unknown>[] =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.event === 'decision' || e.event === 'cycle-error');
    const deadline = Date.now() + 60_000;
    while (decisions().length < values.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    live.kill('SIGTERM');
    await new Promise((r) => live.on('close', r));
    const got = decisions()
      .slice(0, values.length)
      .map((e) => ({ from: e.from, to: e.to, evaluation: e.evaluation, reasons: e.reasons }));
    assert.equal(got.length, values.length, stderr);
    assert.deepEqual(got, sim);
    // The comparison means something only if the values exercised the chain.
    const reasons = new Set(sim.flatMap((d) => d.reasons));
    for (const r of ['Scaled', 'NoChange', 'ClampedToMax', 'ScaleDownStabilized'])
      assert.ok(reasons.has(r), r);
  });
});

describe('simulate --prometheus', { timeout: 120_000 }, () => {
  const values = [120, 480, 480, 90, 90, 90, 300];
  let server: Server;
  let url: string;
  const asked: URLSearchParams[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/api/v1/query_range') {
        res.writeHead(404).end('not found');
        return;
      }
      asked.push(u.searchParams);
      const start = Number(u.searchParams.get('start'));
      const step = Number(u.searchParams.get('step'));
      const body = {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: {}, values: values.map((v, i) => [start + i * step, String(v)]) }],
        },
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  after(() => server.close());

  it('takes the trace from the range query and decides as with the same trace from a file', async () => {
    const from = iso(T0);
    const to = iso(T0 + (values.length - 1) * MIN);
    const fromPrometheus = await cpaIn(project, [
      'simulate',
      '.',
      '--prometheus',
      url,
      '--query',
      'sum(rate(http_requests_total[1m]))',
      '--from',
      from,
      '--to',
      to,
      '--step',
      '1m',
      '--interval',
      '1m',
      '-o',
      'json',
    ]);
    assert.equal(fromPrometheus.code, 0, fromPrometheus.stderr);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.get('query'), 'sum(rate(http_requests_total[1m]))');
    assert.equal(asked[0]!.get('start'), String(T0 / 1000));
    assert.equal(asked[0]!.get('end'), String((T0 + (values.length - 1) * MIN) / 1000));
    assert.equal(asked[0]!.get('step'), '60');
    writeFileSync(
      join(project, 'same.csv'),
      'time,value\n' + values.map((v, i) => `${iso(T0 + i * MIN)},${v}`).join('\n') + '\n',
    );
    const fromFile = await cpaIn(project, [
      'simulate',
      '.',
      '--trace',
      'same.csv',
      '--interval',
      '1m',
      '-o',
      'json',
    ]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const a = JSON.parse(fromPrometheus.stdout) as JsonTimeline;
    const b = JSON.parse(fromFile.stdout) as JsonTimeline;
    assert.deepEqual(
      a.timeline.map((r) => r.metric),
      values.map(String),
    );
    assert.deepEqual(a.timeline, b.timeline);
  });

  it('a Prometheus that is not there is a clear error naming it', async () => {
    const ran = await cpaIn(project, [
      'simulate',
      '.',
      '--prometheus',
      'http://127.0.0.1:9',
      '--query',
      'up',
      '--to',
      iso(T0),
    ]);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /^error: failed to query Prometheus at http:\/\/127\.0\.0\.1:9: /m);
  });
});

describe('simulate --live-metrics', { timeout: 60_000 }, () => {
  it("runs the project's metric hook against the simulated pods, which carry the template's annotations", async () => {
    const init = await cpaIn(root, ['init', 'live', '--lang', 'bash', '--mode', 'per-pod']);
    assert.equal(init.code, 0, init.stderr);
    const ran = await cpaIn(join(root, 'live'), [
      'simulate',
      '.',
      '--trace',
      'trace.csv',
      '--live-metrics',
      '--to',
      '2026-01-05T09:00:30Z',
      '-o',
      'json',
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    const rows = (JSON.parse(ran.stdout) as JsonTimeline).timeline;
    // Every pod reports the deployment.yaml annotation (150), not the trace: 1 pod → 2 → 3.
    assert.deepEqual(
      rows.map((r) => [r.metric, r.replicas]),
      [
        ['150', 2],
        ['150;150', 3],
        ['150;150;150', 5],
      ],
    );
  });
});

describe('simulate: bad input', { timeout: 60_000 }, () => {
  it('a bad trace names every bad line, exit 1', async () => {
    writeFileSync(join(project, 'bad.csv'), 'time,value\nnoon,1\n2026-01-05T09:00:00Z,\n');
    const ran = await cpaIn(project, ['simulate', '.', '--trace', 'bad.csv']);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /error: failed to read trace bad\.csv:\n {2}- line 2: time "noon"/);
    assert.match(ran.stderr, /- line 3: needs a value/);
  });
  it('flag problems all at once, exit 2', async () => {
    const ran = await cpaIn(project, [
      'simulate',
      '.',
      '--interval',
      'soon',
      '-o',
      'yaml',
      '--chart',
      'x.png',
    ]);
    assert.equal(ran.code, 2);
    for (const m of [/a trace is needed/, /--interval: "soon"/, /--output: "yaml"/, /--chart: "x\.png"/])
      assert.match(ran.stderr, m);
  });
});
