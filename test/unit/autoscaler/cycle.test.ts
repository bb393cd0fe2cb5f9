// The one pipeline with hand-written fakes: order of hooks, payloads, decisions, failures that never scale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCycle } from '../../../src/autoscaler/cycle.ts';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import type { Config } from '../../../src/config/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { ProcessOutcome } from '../../../src/ports.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeKube, fakeRunner, shellMethod, testConfig, type FakeScript } from '../../support/fakes.ts';

interface Harness {
  ctx: CycleContext;
  kube: FakeKube;
  calls: { name: string; stdin: string }[];
  events: LogEvent[];
}

function harness(options: {
  replicas?: number;
  config?: Partial<Config>;
  scripts?: Record<string, FakeScript>;
  dryRun?: boolean;
}): Harness {
  const kube = new FakeKube(options.replicas ?? 1, { numPods: '3' });
  const calls: { name: string; stdin: string }[] = [];
  const events: LogEvent[] = [];
  const scripts: Record<string, FakeScript> = {
    metric: (stdin) => ({ stdout: JSON.parse(stdin).resource?.metadata?.labels?.numPods ?? '1' }),
    evaluate: (stdin) => ({
      stdout: `{"targetReplicas":${Number(JSON.parse(stdin).metrics?.[0]?.value ?? 0)}}\n`,
    }),
    ...options.scripts,
  };
  const ctx: CycleContext = {
    config: testConfig(options.config),
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'default',
    kube,
    methods: {
      runner: fakeRunner(scripts, calls),
      request: async () => ({ kind: 'error', message: 'no http', durationMs: 0 }),
      files: { readText: async () => null, exists: async () => false },
      cwd: '/tmp',
      env: {},
    },
    clock: new FakeClock(1_000_000),
    logger: { log: (e) => void events.push(e), enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: options.dryRun ?? false,
  };
  return { ctx, kube, calls, events };
}

describe('runCycle', () => {
  it('scales 1 → 3 from the label and logs one decision', async () => {
    const h = harness({});
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error, undefined);
    assert.equal(h.kube.replicas, 3);
    const decisions = h.events.filter((e) => e.kind === 'decision');
    assert.equal(decisions.length, 1);
    assert.deepEqual(
      decisions[0] &&
        decisions[0].kind === 'decision' && [decisions[0].from, decisions[0].to, decisions[0].action],
      [1, 3, 'scaled'],
    );
  });

  it('runs all six hooks in CPA order with the documented payloads', async () => {
    const hooks = Object.fromEntries(
      ['preMetric', 'postMetric', 'preEvaluate', 'postEvaluate', 'preScale', 'postScale'].map((n) => [
        n,
        shellMethod(n),
      ]),
    );
    const ok: FakeScript = () => ({ stdout: 'ok' });
    const h = harness({
      config: { hooks },
      scripts: Object.fromEntries(Object.keys(hooks).map((n) => [n, ok])),
    });
    await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.deepEqual(
      h.calls.map((c) => c.name),
      [
        'preMetric',
        'metric',
        'postMetric',
        'preEvaluate',
        'evaluate',
        'postEvaluate',
        'preScale',
        'postScale',
      ],
    );
    const byName = Object.fromEntries(h.calls.map((c) => [c.name, JSON.parse(c.stdin)]));
    assert.deepEqual(Object.keys(byName.preMetric), ['resource', 'runType']);
    assert.deepEqual(byName.postMetric.metrics, [{ resource: 'web', value: '3' }]);
    assert.equal(
      h.calls.find((c) => c.name === 'preEvaluate')?.stdin,
      h.calls.find((c) => c.name === 'evaluate')?.stdin,
    );
    assert.deepEqual(byName.postEvaluate.evaluation, { targetReplicas: 3 });
    assert.equal(
      h.calls.find((c) => c.name === 'preScale')?.stdin,
      h.calls.find((c) => c.name === 'postScale')?.stdin,
    );
    assert.equal(byName.preScale.evaluation.targetReplicas, 3);
  });

  it('an evaluator printing the seed key under v2 still works; a missing key fails without scaling', async () => {
    const h = harness({ scripts: { evaluate: () => ({ stdout: '{"replicas": 3}' }) } });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error?.stage, 'evaluate');
    assert.match(report.error?.message ?? '', /no "targetReplicas" key.*\{\\"replicas\\": 3\}/);
    assert.equal(h.kube.replicas, 1);
    assert.ok(!h.kube.calls.some((c) => c.startsWith('patch')));
    assert.equal(h.ctx.state.consecutiveFailures, 1);
  });

  it('a failing metric step names the step, exit code and stderr, and never scales', async () => {
    const h = harness({ scripts: { metric: () => ({ exitCode: 1, stderr: 'Traceback\nKeyError: 0\n' }) } });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error?.stage, 'metric');
    assert.match(
      report.error?.message ?? '',
      /failed to get metrics: failed to gather metrics: .*metric.*exit status 1.*KeyError: 0/s,
    );
    assert.equal(h.events.filter((e) => e.kind === 'cycle-error').length, 1);
    assert.equal(h.kube.replicas, 1);
  });

  it('dry run evaluates and decides but never patches', async () => {
    const h = harness({ dryRun: true });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.decision?.target, 3);
    assert.equal(report.scaled, false);
    assert.equal(h.kube.replicas, 1);
    assert.ok(h.events.some((e) => e.kind === 'decision' && e.action === 'would-scale'));
  });

  it('disabled target (0 replicas, min 1): no scale hooks, no patch', async () => {
    const h = harness({
      replicas: 0,
      config: { hooks: { preScale: shellMethod('preScale') } },
      scripts: { preScale: () => ({}) },
    });
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.decision?.action, 'disabled');
    assert.ok(!h.calls.some((c) => c.name === 'preScale'));
    assert.equal(h.kube.replicas, 0);
  });

  it('a 409 from another writer is retried against the fresh count', async () => {
    const h = harness({});
    h.kube.conflicts = [7];
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error, undefined);
    assert.equal(h.kube.replicas, 3);
    assert.deepEqual(
      h.kube.calls.filter((c) => c.startsWith('patch')),
      ['patch 3', 'patch 3'],
    );
    assert.equal(report.decision?.current, 7);
  });

  it('two conflicts in a row still end at the decided count', async () => {
    const h = harness({});
    h.kube.conflicts = [7, 5];
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error, undefined);
    assert.equal(h.kube.replicas, 3);
  });

  it('a third conflict fails the cycle naming the conflict', async () => {
    const h = harness({});
    h.kube.conflicts = [7, 5, 4];
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error?.stage, 'patch');
    assert.match(report.error?.message ?? '', /has been modified/);
    assert.equal(h.kube.replicas, 4);
  });

  it('a writer that already set the decided count needs no second patch', async () => {
    const h = harness({});
    h.kube.conflicts = [3];
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.decision?.action, 'none');
    assert.deepEqual(
      h.kube.calls.filter((c) => c.startsWith('patch')),
      ['patch 3'],
    );
  });

  it('stopAfter metrics (REST API) never evaluates', async () => {
    const h = harness({});
    const report = await runCycle(h.ctx, { runType: 'api', stopAfter: 'metrics' });
    assert.deepEqual(report.metrics, [{ resource: 'web', value: '3' }]);
    assert.deepEqual(
      h.calls.map((c) => c.name),
      ['metric'],
    );
  });

  it('per-pod mode with no pods gives null metrics to the evaluator', async () => {
    const h = harness({
      config: { runMode: 'per-pod' },
      scripts: { evaluate: () => ({ stdout: '{"targetReplicas":2}' }) },
    });
    await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(JSON.parse(h.calls.find((c) => c.name === 'evaluate')?.stdin ?? '{}').metrics, null);
  });

  it('per-pod mode keeps pod order in the metrics', async () => {
    const h = harness({
      config: { runMode: 'per-pod', metricConcurrency: 3 },
      scripts: { metric: (stdin) => ({ stdout: JSON.parse(stdin).resource.metadata.name.toUpperCase() }) },
    });
    h.kube.pods = ['a', 'b', 'c', 'd'].map((name) => ({ metadata: { name } }));
    const report = await runCycle(h.ctx, { runType: 'api', stopAfter: 'metrics' });
    assert.deepEqual(
      report.metrics,
      ['A', 'B', 'C', 'D'].map((v, i) => ({ resource: 'abcd'[i], value: v })),
    );
  });

  it('seed format: raw resource on metric stdin, {deployment,run_type,metrics} on evaluate stdin', async () => {
    const h = harness({
      config: { format: 'seed' },
      scripts: {
        metric: (stdin) => ({ stdout: JSON.parse(stdin).metadata.labels.numPods }),
        evaluate: (stdin) => ({
          stdout: JSON.stringify({ target_replicas: Number(JSON.parse(stdin).metrics[0].value) }),
        }),
      },
    });
    await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(h.kube.replicas, 3);
    assert.deepEqual(JSON.parse(h.calls[1]?.stdin ?? '{}'), {
      deployment: 'web',
      run_type: 'scaler',
      metrics: [{ resource: 'web', value: '3' }],
    });
  });
});

describe('runCycle error messages are one line', () => {
  const cases: { name: string; script: FakeScript; want: RegExp }[] = [
    {
      name: 'an evaluation that is not JSON, ending in a newline (the parser quotes it)',
      script: () => ({ stdout: '{"targetReplicas": x}\n' }),
      want: /not JSON/,
    },
    {
      name: 'an evaluator failing with several stderr lines',
      script: () => ({ exitCode: 1, stderr: 'Traceback:\n  line 1\r\nValueError: \u001b[31mbad\n' }),
      want: /Traceback:\\n {4}line 1\\n {2}ValueError: \\x1b\[31mbad/,
    },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const h = harness({ scripts: { evaluate: c.script } });
      const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
      const message = report.error?.message ?? '';
      assert.match(message, c.want);
      assert.doesNotMatch(message, /[\n\r\u001b]/);
      const logged = h.events.find((e) => e.kind === 'cycle-error');
      assert.ok(logged && logged.kind === 'cycle-error' && !/\n/.test(logged.message));
    });
});

describe('runCycle during a shutdown', () => {
  it('a hook cancelled by Ctrl-C/SIGTERM: Stopped, no failure, no failure count, nothing recorded', async () => {
    const h = harness({});
    const shutdown = new AbortController();
    const reports: unknown[] = [];
    h.ctx.methods = {
      ...h.ctx.methods,
      signal: shutdown.signal,
      runner: async () => {
        shutdown.abort();
        return { kind: 'aborted', durationMs: 5 } as ProcessOutcome;
      },
    };
    h.ctx.onReport = async (r) => void reports.push(r);
    h.ctx.state.consecutiveFailures = 2;
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.deepEqual([report.error, report.stopped], [undefined, { stage: 'metric' }]);
    assert.equal(h.ctx.state.consecutiveFailures, 2);
    assert.deepEqual(reports, []);
    assert.ok(!h.events.some((e) => e.kind === 'cycle-error'));
    assert.ok(
      h.events.some((e) => e.kind === 'info' && /cycle stopped during metric: shutting down/.test(e.message)),
    );
  });
  it('the same failure without a shutdown is a failure', async () => {
    const h = harness({});
    h.ctx.methods = {
      ...h.ctx.methods,
      runner: async () => ({ kind: 'aborted', durationMs: 5 }) as ProcessOutcome,
    };
    const report = await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error?.stage, 'metric');
    assert.equal(h.ctx.state.consecutiveFailures, 1);
  });
});

describe('runCycle verbose detail', () => {
  it("-v 4 names the command of each shell method; -v 3 lines end without the output's line break", async () => {
    const h = harness({});
    await runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });
    const info = h.events.flatMap((e) => (e.kind === 'info' ? [`${e.level} ${e.message}`] : []));
    assert.ok(info.includes('4 calling metric (shell): /bin/sh -c metric'), info.join('\n'));
    assert.ok(info.includes('4 calling evaluate (shell): /bin/sh -c evaluate'), info.join('\n'));
    assert.ok(info.includes('3 evaluation determined: {"targetReplicas":3}'), info.join('\n'));
  });
});
