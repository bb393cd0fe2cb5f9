// The run's Prometheus registry: cycle reports and hook calls become the documented series, the text
// parses under the exposition format's grammar, and /healthz, /readyz answer as documented.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import { healthRoutes, Readiness } from '../../../src/runner/health.ts';
import { HookLimit } from '../../../src/runner/hook-limit.ts';
import { createRunMetrics } from '../../../src/runner/prometheus.ts';
import { parsePrometheusText, sampleValue } from '../../support/prom-text.ts';

const report = (overrides: Partial<CycleReport>): CycleReport => ({
  runType: 'scaler',
  target: 'deployment/default/web',
  startedMs: 1_700_000_000_000,
  durationMs: 120,
  dryRun: false,
  ...overrides,
});

const scaled = report({
  evaluation: 7,
  decision: { current: 2, evaluation: 7, clamped: 5, target: 5, reasons: ['ClampedToMax'], action: 'scale' },
  scaled: true,
});

describe('createRunMetrics', () => {
  test('cycles, failures by stage, replicas, last success, held, hook durations', async () => {
    const metrics = await createRunMetrics({ hookLimit: new HookLimit(4), processMetrics: false });
    const web = metrics.forAutoscaler('web', 'team-a');
    const db = metrics.forAutoscaler('db', 'team-b');
    web.cycle(scaled);
    web.cycle(report({ error: { stage: 'evaluate', message: 'boom' } }));
    db.cycle(report({ heldBy: 'db on ci (pid 7)', decision: { ...scaled.decision!, action: 'scale' } }));
    web.hook('metric', { ok: true, output: '1', stderr: '', durationMs: 30 });
    web.hook('evaluate', {
      ok: false,
      failure: { kind: 'exit', message: 'exit status 1' },
      durationMs: 3000,
    });
    const { body, contentType } = await metrics.render();
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    const f = parsePrometheusText(body);
    const web1 = { autoscaler: 'web', namespace: 'team-a' };
    const db1 = { autoscaler: 'db', namespace: 'team-b' };
    const rows: [string, Record<string, string>, number | undefined][] = [
      ['kubectl_cpa_cycles_total', { ...web1, result: 'success', run_type: 'scaler' }, 1],
      ['kubectl_cpa_cycles_total', { ...web1, result: 'error', run_type: 'scaler' }, 1],
      ['kubectl_cpa_cycle_errors_total', { ...web1, stage: 'evaluate' }, 1],
      ['kubectl_cpa_current_replicas', web1, 5],
      ['kubectl_cpa_desired_replicas', web1, 5],
      ['kubectl_cpa_evaluated_replicas', web1, 7],
      ['kubectl_cpa_last_success_timestamp_seconds', web1, 1_700_000_000],
      ['kubectl_cpa_target_held', web1, 1],
      ['kubectl_cpa_target_held', db1, 0],
      ['kubectl_cpa_current_replicas', db1, 2],
      ['kubectl_cpa_hook_duration_seconds_count', { ...web1, hook: 'metric', outcome: 'ok' }, 1],
      ['kubectl_cpa_hook_duration_seconds_sum', { ...web1, hook: 'evaluate', outcome: 'failed' }, 3],
      ['kubectl_cpa_hook_duration_seconds_bucket', { ...web1, hook: 'metric', le: '0.025' }, 0],
      ['kubectl_cpa_hook_duration_seconds_bucket', { ...web1, hook: 'metric', le: '0.05' }, 1],
      ['kubectl_cpa_cycle_duration_seconds_count', web1, 2],
      ['kubectl_cpa_max_hooks', {}, 4],
      ['kubectl_cpa_hooks_running', {}, 0],
    ];
    for (const [name, labels, want] of rows)
      assert.equal(sampleValue(f, name, labels), want, `${name}${JSON.stringify(labels)}`);
    assert.equal(f.get('kubectl_cpa_hook_duration_seconds')?.type, 'histogram');
    assert.equal(f.get('kubectl_cpa_cycles_total')?.type, 'counter');
  });

  test('a failed cycle after a good one leaves target_held as it was (the error says nothing of the claim)', async () => {
    const metrics = await createRunMetrics({ processMetrics: false });
    const web = metrics.forAutoscaler('web', 'ns');
    web.cycle(report({ decision: { ...scaled.decision!, action: 'none' } }));
    web.cycle(report({ error: { stage: 'target', message: 'not found' } }));
    const f = parsePrometheusText((await metrics.render()).body);
    assert.equal(sampleValue(f, 'kubectl_cpa_target_held', { autoscaler: 'web' }), 1);
  });

  test('with process metrics, the standard process_ series are there', async () => {
    const metrics = await createRunMetrics({ processMetrics: true });
    const f = parsePrometheusText((await metrics.render()).body);
    assert.equal(f.get('process_cpu_seconds_total')?.type, 'counter');
    assert.equal(f.get('process_resident_memory_bytes')?.type, 'gauge');
  });
});

describe('the text-format parser refuses what Prometheus refuses', () => {
  const bad: [string, string][] = [
    ['an unterminated label value', 'a{x="1} 1\n'],
    ['a bad escape', 'a{x="\\t"} 1\n'],
    ['a value that is not a float', 'a 1x\n'],
    ['a TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    [
      'a histogram whose +Inf bucket differs from _count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n',
    ],
    [
      'a histogram with falling buckets',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n',
    ],
  ];
  for (const [name, text] of bad) test(name, () => assert.throws(() => parsePrometheusText(text)));

  test('escaped label values, +Inf, NaN and timestamps are read', () => {
    const f = parsePrometheusText('# HELP a the a\n# TYPE a gauge\na{x="q\\"\\\\\\n"} +Inf 123\nb NaN\n');
    assert.deepEqual(f.get('a')?.samples, [
      { name: 'a', labels: { x: 'q"\\\n' }, value: Infinity, timestampMs: 123 },
    ]);
    assert.equal(f.get('a')?.help, 'the a');
    assert.ok(Number.isNaN(f.get('b')?.samples[0]?.value));
  });
});

describe('/healthz and /readyz', () => {
  test('ready once every autoscaler reported a cycle, failed or not; until then 503 naming the others', async () => {
    const readiness = new Readiness(['web', 'db']);
    const routes = healthRoutes(readiness, undefined);
    const get = (path: string) =>
      routes.get(path)!({ method: 'GET', path, query: new URLSearchParams(), headers: {} });
    assert.equal((await get('/healthz')).status, 200);
    assert.deepEqual(await get('/readyz'), {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'not ready: no cycle yet from web, db\n',
    });
    readiness.reported('web', report({}));
    readiness.reported('db', report({ error: { stage: 'metric', message: 'x' } }));
    assert.equal((await get('/readyz')).status, 200);
    assert.equal(routes.has('/metrics'), false);
  });
});
