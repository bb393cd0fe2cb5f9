// The backtest driver over the real pipeline with a hand-written process runner: the trace feeds the
// metric stage, the real decision chain decides on the virtual clock, replicas follow, hooks only on request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../src/logger/events.ts';
import { simulate, type SimulateOptions } from '../../../src/simulate/simulate.ts';
import type { TraceSample } from '../../../src/simulate/trace.ts';
import { fakeRunner, type FakeScript } from '../../support/fakes.ts';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;

const method = (name: string): string =>
  `{type: shell, timeout: 1000, shell: {entrypoint: /bin/sh, command: ["-c", "${name}"]}}`;

function config(extra = ''): string {
  return [
    `evaluate: ${method('evaluate')}`,
    `metric: ${method('metric')}`,
    'minReplicas: 1',
    'maxReplicas: 8',
    'interval: 60000',
    extra.includes('runMode') ? '' : 'runMode: per-resource',
    extra,
  ].join('\n');
}

/** ceil(value / 100), over the sum of per-pod values: the evaluator of the tests. */
const evaluate: FakeScript = (stdin) => {
  const metrics = (JSON.parse(stdin) as { metrics: { value: string }[] }).metrics;
  const total = metrics.reduce((sum, m) => sum + Number(m.value), 0);
  return { stdout: JSON.stringify({ targetReplicas: Math.ceil(total / 100) }) };
};

const quiet: Logger = { log: () => undefined, enabled: () => false };

async function backtest(
  configText: string,
  samples: TraceSample[],
  options: Partial<SimulateOptions> = {},
  scripts: Record<string, FakeScript> = {},
): Promise<{ rows: Awaited<ReturnType<typeof simulate>>['rows']; calls: string[] }> {
  const calls: { name: string; stdin: string }[] = [];
  const files: Record<string, string> = { 'proj/config.yaml': configText };
  const result = await simulate(
    {
      files: { readText: async (p) => files[p] ?? null, exists: async (p) => p in files },
      cwd: '/work',
      env: {},
      runProcess: fakeRunner({ evaluate, metric: () => ({ stdout: '999' }), ...scripts }, calls),
      httpRequest: async () => ({ kind: 'error', message: 'no network in this test', durationMs: 0 }),
    },
    {
      dir: 'proj',
      samples,
      startReplicas: 1,
      readyDelayMs: 0,
      liveMetrics: false,
      hooks: false,
      logger: quiet,
      ...options,
    },
  );
  return { rows: result.rows, calls: calls.map((c) => c.name) };
}

const trace = (...values: number[]): TraceSample[] =>
  values.map((v, i) => ({ timeMs: T0 + i * MIN, value: String(v), demand: Math.ceil(v / 100) }));

describe('simulate', () => {
  it('one cycle per interval; the evaluator sees the trace value and the replicas follow', async () => {
    const { rows } = await backtest(config(), trace(100, 350, 350, 120));
    assert.deepEqual(
      rows.map((r) => [r.timeMs - T0, r.metric, r.evaluation, r.from, r.replicas, r.reasons.join(',')]),
      [
        [0, '100', 1, 1, 1, 'NoChange'],
        [MIN, '350', 4, 1, 4, 'Scaled'],
        [2 * MIN, '350', 4, 4, 4, 'NoChange'],
        [3 * MIN, '120', 2, 4, 2, 'Scaled'],
      ],
    );
  });

  it('the real stabilisation window holds a scale-down on the virtual clock', async () => {
    const { rows } = await backtest(config('downscaleStabilization: 120'), trace(400, 100, 100, 100, 100));
    assert.deepEqual(
      rows.map((r) => r.replicas),
      [4, 4, 4, 1, 1],
    );
    assert.deepEqual(rows[1]!.reasons, ['ScaleDownStabilized', 'NoChange']);
  });

  it('the real clamp applies', async () => {
    const { rows } = await backtest(config(), trace(5000));
    assert.deepEqual([rows[0]!.replicas, rows[0]!.reasons], [8, ['ClampedToMax', 'Scaled']]);
  });

  it('the trace holds between samples; --interval and --from/--to pick the cycles', async () => {
    const { rows } = await backtest(config(), trace(100, 300), {
      intervalMs: 20_000,
      fromMs: T0 + 20_000,
      toMs: T0 + 100_000,
    });
    assert.deepEqual(
      rows.map((r) => [r.timeMs - T0, r.metric]),
      [
        [20_000, '100'],
        [40_000, '100'],
        [60_000, '300'],
        [80_000, '300'],
        [100_000, '300'],
      ],
    );
  });

  it('per-pod mode: the simulated pods get the per-pod values and new pods wait for Ready', async () => {
    const samples: TraceSample[] = [
      { timeMs: T0, pods: ['150', '150'], demand: 3 },
      { timeMs: T0 + MIN, pods: ['100', '100'], demand: 2 },
    ];
    const { rows } = await backtest(config('runMode: per-pod'), samples, {
      startReplicas: 2,
      readyDelayMs: 90_000,
    });
    assert.deepEqual(
      rows.map((r) => [r.metric, r.from, r.replicas, r.ready]),
      [
        ['150;150', 2, 3, 2],
        // Three pods now share the recorded total of 200.
        ['66.66666666666667;66.66666666666667;66.66666666666667', 3, 2, 2],
      ],
    );
  });

  it('hooks stay off unless asked for; the metric hook runs only with live metrics', async () => {
    const withHook = config(`preScale: ${method('preScale')}`);
    const off = await backtest(withHook, trace(200));
    assert.deepEqual(off.calls, ['evaluate']);
    const on = await backtest(
      withHook,
      trace(200),
      { hooks: true, liveMetrics: true },
      { preScale: () => ({}) },
    );
    assert.deepEqual(on.calls, ['metric', 'evaluate', 'preScale']);
    assert.equal(on.rows[0]!.metric, '999');
  });

  it('a failing evaluator is a failed row and the replicas stay', async () => {
    const { rows } = await backtest(
      config(),
      trace(200),
      {},
      { evaluate: () => ({ exitCode: 1, stderr: 'boom' }) },
    );
    assert.equal(rows[0]!.action, 'failed');
    assert.equal(rows[0]!.replicas, 1);
    assert.match(rows[0]!.error ?? '', /evaluate failed: exit status 1; stderr: boom/);
  });

  it('refuses per-pod values in per-resource mode, naming the time', async () => {
    await assert.rejects(
      backtest(config(), [{ timeMs: T0, pods: ['1', '2'] }]),
      /only per-pod values at 2026-12-01T00:00:00.000Z, but runMode is per-resource/,
    );
  });

  it('refuses a --from before the trace', async () => {
    await assert.rejects(
      backtest(config(), trace(1), { fromMs: T0 - 1 }),
      /--from is before the trace's first sample/,
    );
  });
});

describe('simulate: kubernetesMetricSpecs', () => {
  const specs = [
    'kubernetesMetricSpecs: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]',
    'requireKubernetesMetrics: true',
  ].join('\n');

  it('replaying a trace leaves them out: the trace is the metric hook output they would feed', async () => {
    const notes: string[] = [];
    const logger: Logger = {
      log: (e) => void notes.push('message' in e ? String(e.message) : e.kind),
      enabled: () => true,
    };
    const { rows, calls } = await backtest(config(specs), trace(100, 350), { logger });
    assert.deepEqual(
      rows.map((r) => [r.action, r.replicas, r.error]),
      [
        ['unchanged', 1, undefined],
        ['scaled', 4, undefined],
      ],
    );
    assert.deepEqual(calls, ['evaluate', 'evaluate']);
    assert.equal(notes.filter((n) => n.includes('kubernetesMetricSpecs')).length, 1, notes.join('\n'));
  });

  it('--live-metrics refuses them before any cycle, naming the key and what works instead', async () => {
    let ran = false;
    await assert.rejects(
      backtest(config(specs), trace(100), { liveMetrics: true }, { metric: () => ((ran = true), {}) }),
      (err: Error) => {
        assert.match(err.message, /kubernetesMetricSpecs/);
        assert.match(err.message, /--live-metrics/);
        assert.match(`${err.message} ${(err as { hint?: string }).hint ?? ''}`, /without --live-metrics/);
        return true;
      },
    );
    assert.equal(ran, false, 'no hook ran');
  });
});
