// `simulate --prometheus` against a real Prometheus (built from the Go module proxy, cached): the test
// writes a metric's history as OpenMetrics, promtool turns it into a TSDB block, and the backtest from the
// range query must equal the backtest from the same history as a trace file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPrometheus, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { cpaIn } from './simulate-support.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const MIN = 60_000;
const VALUES = [120, 480, 480, 90, 90, 90, 300, 650, 200, 200];
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('simulate --prometheus against a real Prometheus', { timeout: 50 * 60_000 }, () => {
  let root: string;
  let prometheus: RunningPrometheus;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'simulate-prom-'));
    const { binDir, seconds } = buildPrometheus();
    process.stderr.write(`prometheus binaries ready in ${seconds.toFixed(0)}s (${binDir})\n`);
    const om =
      '# TYPE cpa_load gauge\n' +
      VALUES.map((v, i) => `cpa_load{app="web"} ${v} ${(T0 + i * MIN) / 1000}`).join('\n') +
      '\n# EOF\n';
    prometheus = await startPrometheus(binDir, join(root, 'prom'), om);
    const init = await cpaIn(root, ['init', 'scaler', '--lang', 'bash']);
    assert.equal(init.code, 0, init.stderr);
  });
  after(async () => {
    await prometheus?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the range query gives the written history, and the same decisions as the trace file', async () => {
    const dir = join(root, 'scaler');
    const range = ['--from', iso(T0), '--to', iso(T0 + (VALUES.length - 1) * MIN), '--interval', '1m'];
    const fromPrometheus = await cpaIn(dir, [
      'simulate',
      '.',
      '--prometheus',
      prometheus.url,
      '--query',
      'sum(cpa_load)',
      '--step',
      '1m',
      ...range,
      '-o',
      'json',
    ]);
    assert.equal(fromPrometheus.code, 0, fromPrometheus.stderr);
    writeFileSync(
      join(dir, 'same.csv'),
      'time,value\n' + VALUES.map((v, i) => `${iso(T0 + i * MIN)},${v}`).join('\n') + '\n',
    );
    const fromFile = await cpaIn(dir, ['simulate', '.', '--trace', 'same.csv', ...range, '-o', 'json']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const a = JSON.parse(fromPrometheus.stdout) as { timeline: { metric: string; replicas: number }[] };
    const b = JSON.parse(fromFile.stdout) as { timeline: unknown[] };
    assert.deepEqual(
      a.timeline.map((r) => r.metric),
      VALUES.map(String),
    );
    assert.deepEqual(a.timeline, b.timeline);
  });

  it("a PromQL error is reported in Prometheus' words", async () => {
    const ran = await cpaIn(join(root, 'scaler'), [
      'simulate',
      '.',
      '--prometheus',
      prometheus.url,
      '--query',
      'sum(',
      '--to',
      iso(T0),
    ]);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /^error: failed to query Prometheus: .*parse error/m);
  });
});
