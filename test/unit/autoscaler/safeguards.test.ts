// The safety steps in the one pipeline, with hand-written fakes and a fake clock: pause (no hooks), fallback
// after repeated failures, behavior's rate limit across cycles, and windows read back from the annotation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCycle } from '../../../src/autoscaler/cycle.ts';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import { encodeWindows } from '../../../src/autoscaler/windows.ts';
import type { Config } from '../../../src/config/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { KubeObject, ResolvedTarget } from '../../../src/ports.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeKube, fakeRunner, shellMethod, testConfig, type FakeScript } from '../../support/fakes.ts';

/** FakeKube whose object carries annotations (the pause keys, the recorded status). */
class AnnotatedKube extends FakeKube {
  annotations: Record<string, string> = {};
  override async getObject(target: ResolvedTarget): Promise<KubeObject> {
    const object = await super.getObject(target);
    return { ...object, metadata: { ...(object.metadata as object), annotations: { ...this.annotations } } };
  }
}

interface Harness {
  ctx: CycleContext;
  kube: AnnotatedKube;
  clock: FakeClock;
  calls: string[];
  events: LogEvent[];
  /** What the evaluator returns next; a string is printed as-is (so `fail` breaks the cycle). */
  evaluation: { value: number | 'fail' };
}

function harness(replicas: number, config: Partial<Config> = {}): Harness {
  const kube = new AnnotatedKube(replicas);
  const clock = new FakeClock(1_000_000_000);
  const calls: { name: string; stdin: string }[] = [];
  const events: LogEvent[] = [];
  const evaluation: Harness['evaluation'] = { value: replicas };
  const scripts: Record<string, FakeScript> = {
    metric: () => ({ stdout: '1' }),
    evaluate: () =>
      evaluation.value === 'fail'
        ? { exitCode: 1, stderr: 'evaluator down' }
        : { stdout: `{"targetReplicas":${evaluation.value}}` },
    preScale: () => ({ stdout: '' }),
  };
  const ctx: CycleContext = {
    config: testConfig({ hooks: { preScale: shellMethod('preScale') }, ...config }),
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
    clock,
    logger: { log: (e) => void events.push(e), enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
  };
  return {
    ctx,
    kube,
    clock,
    get calls() {
      return calls.map((c) => c.name);
    },
    events,
    evaluation,
  };
}

const cycle = (h: Harness) => runCycle(h.ctx, { runType: 'scaler', stopAfter: 'scale' });

describe('pause', () => {
  it('kubectl-cpa.io/paused: "true" holds the replicas and runs no hook', async () => {
    const h = harness(4);
    h.kube.annotations['kubectl-cpa.io/paused'] = 'true';
    h.evaluation.value = 9;
    const report = await cycle(h);
    assert.deepEqual(h.calls, []);
    assert.equal(h.kube.replicas, 4);
    assert.deepEqual(report.decision?.reasons, ['Paused', 'NoChange']);
  });
  it('kubectl-cpa.io/paused-replicas scales to N without hooks and holds there', async () => {
    const h = harness(4);
    h.kube.annotations['kubectl-cpa.io/paused-replicas'] = '2';
    const report = await cycle(h);
    assert.deepEqual(h.calls, []);
    assert.equal(h.kube.replicas, 2);
    assert.equal(report.scaled, true);
    assert.deepEqual(report.decision?.reasons, ['Paused', 'Scaled']);
    await cycle(h);
    assert.equal(h.kube.replicas, 2);
  });
  it('removing the annotation resumes: the evaluator decides again', async () => {
    const h = harness(4);
    h.kube.annotations['kubectl-cpa.io/paused'] = 'true';
    h.evaluation.value = 6;
    await cycle(h);
    delete h.kube.annotations['kubectl-cpa.io/paused'];
    await cycle(h);
    assert.equal(h.kube.replicas, 6);
    assert.deepEqual(h.calls, ['metric', 'evaluate', 'preScale']);
  });
  it('an unreadable paused-replicas holds and warns, never scales', async () => {
    const h = harness(4);
    h.kube.annotations['kubectl-cpa.io/paused-replicas'] = 'two';
    await cycle(h);
    assert.equal(h.kube.replicas, 4);
    assert.ok(h.events.some((e) => e.kind === 'warning' && e.message.includes('not a replica count')));
  });
});

describe('fallback', () => {
  const fallback = { failureThreshold: 2, replicas: 7, behavior: 'static' as const };
  it('after more than failureThreshold failures in a row scales to the fallback replicas, without hooks', async () => {
    const h = harness(3, { fallback });
    h.evaluation.value = 'fail';
    await cycle(h);
    await cycle(h);
    assert.equal(h.kube.replicas, 3, 'two failures: at the threshold, not past it');
    const third = await cycle(h);
    assert.equal(h.kube.replicas, 7);
    assert.equal(third.error?.stage, 'evaluate');
    assert.equal(third.scaled, true);
    assert.deepEqual(third.decision?.reasons, ['FallbackApplied', 'Scaled']);
    assert.equal(third.decision?.chain?.[0]?.step, 'fallback');
    assert.ok(!h.calls.includes('preScale'));
    assert.equal(h.ctx.state.consecutiveFailures, 3);
  });
  it('the first successful cycle ends it', async () => {
    const h = harness(3, { fallback });
    h.evaluation.value = 'fail';
    for (let i = 0; i < 3; i++) await cycle(h);
    h.evaluation.value = 2;
    h.clock.advance(15_000);
    const report = await cycle(h);
    assert.equal(h.kube.replicas, 2);
    assert.equal(report.error, undefined);
    assert.ok(!report.decision?.reasons.includes('FallbackApplied'));
    assert.equal(h.ctx.state.consecutiveFailures, 0);
  });
  it('without fallback a failed cycle never scales (CPA)', async () => {
    const h = harness(3);
    h.evaluation.value = 'fail';
    for (let i = 0; i < 5; i++) await cycle(h);
    assert.equal(h.kube.replicas, 3);
    assert.ok(!h.kube.calls.some((c) => c.startsWith('patch')));
  });
  it('currentReplicasIfHigher keeps a count above the fallback', async () => {
    const h = harness(9, {
      fallback: { ...fallback, failureThreshold: 0, behavior: 'currentReplicasIfHigher' },
    });
    h.evaluation.value = 'fail';
    const report = await cycle(h);
    assert.equal(h.kube.replicas, 9);
    assert.deepEqual(report.decision?.reasons, ['FallbackApplied', 'NoChange']);
  });
});

describe('behavior across cycles', () => {
  const behavior = {
    scaleUp: {
      stabilizationWindowSec: 0,
      selectPolicy: 'Max' as const,
      policies: [{ type: 'Pods' as const, value: 4, periodSec: 60 }],
    },
    scaleDown: {
      stabilizationWindowSec: 0,
      selectPolicy: 'Max' as const,
      policies: [{ type: 'Percent' as const, value: 50, periodSec: 60 }],
    },
  };
  it('a 1 → 10 jump goes at the Pods policy’s rate: 5 now, nothing more within the period, 9 after it', async () => {
    const h = harness(1, { behavior });
    h.evaluation.value = 10;
    const first = await cycle(h);
    assert.equal(h.kube.replicas, 5);
    assert.deepEqual(first.decision?.reasons, ['ScaleUpLimited', 'Scaled']);
    assert.deepEqual(
      first.decision?.chain?.map((s) => [s.step, s.input, s.output]),
      [
        ['evaluation', 10, 10],
        ['clamp', 10, 10],
        ['stabilization', 10, 10],
        ['policy', 10, 5],
        ['final', 1, 5],
      ],
    );
    h.clock.advance(30_000);
    await cycle(h);
    assert.equal(h.kube.replicas, 5, 'the 4 pods added 30 s ago use up the period');
    h.clock.advance(31_000);
    await cycle(h);
    assert.equal(h.kube.replicas, 9);
  });
  it('a Percent scale-down limit halves at most once per period', async () => {
    const h = harness(8, { behavior });
    h.evaluation.value = 1;
    await cycle(h);
    assert.equal(h.kube.replicas, 4);
    h.clock.advance(61_000);
    await cycle(h);
    assert.equal(h.kube.replicas, 2);
  });
  it('keeps the windows for the recorder, compact', async () => {
    const h = harness(1, { behavior });
    h.evaluation.value = 10;
    const report = await cycle(h);
    assert.deepEqual(report.windows, { at: 1_000_000_000, rec: [[0, 10]], up: [[0, 4]] });
  });
  it('keeps nothing without a window or behavior (the record stays as before)', async () => {
    const h = harness(1);
    const report = await cycle(h);
    assert.equal(report.windows, undefined);
  });
});

describe('windows read back when a runner starts', () => {
  it('a new runner inside a scale-down window keeps holding', async () => {
    const h = harness(6, { downscaleStabilizationSec: 120 });
    const now = h.clock.nowMs();
    const windows = encodeWindows(
      { history: [{ atMs: now - 60_000, replicas: 6 }], scaleEvents: { up: [], down: [] } },
      now - 5_000,
    );
    h.kube.annotations['kubectl-cpa.io/status'] = JSON.stringify({ schemaVersion: 1, windows });
    h.evaluation.value = 2;
    const report = await cycle(h);
    assert.equal(h.kube.replicas, 6);
    assert.deepEqual(report.decision?.reasons, ['ScaleDownStabilized', 'NoChange']);
    h.clock.advance(61_000);
    await cycle(h);
    assert.equal(h.kube.replicas, 2, 'the recorded recommendation left the window');
  });
  it('a malformed record is ignored: the windows start empty', async () => {
    const h = harness(6, { downscaleStabilizationSec: 120 });
    h.kube.annotations['kubectl-cpa.io/status'] = '{"schemaVersion":1,"windows":{"at":"x"}}';
    h.evaluation.value = 2;
    await cycle(h);
    assert.equal(h.kube.replicas, 2);
  });
  it('a behavior runner continues the recorded scale events', async () => {
    const behavior = {
      scaleUp: {
        stabilizationWindowSec: 0,
        selectPolicy: 'Max' as const,
        policies: [{ type: 'Pods' as const, value: 4, periodSec: 60 }],
      },
      scaleDown: {
        stabilizationWindowSec: 300,
        selectPolicy: 'Max' as const,
        policies: [{ type: 'Percent' as const, value: 100, periodSec: 15 }],
      },
    };
    const h = harness(5, { behavior });
    const now = h.clock.nowMs();
    const windows = encodeWindows(
      { history: [], scaleEvents: { up: [{ atMs: now - 20_000, change: 4 }], down: [] } },
      now,
    );
    h.kube.annotations['kubectl-cpa.io/status'] = JSON.stringify({ schemaVersion: 1, windows });
    h.evaluation.value = 10;
    await cycle(h);
    assert.equal(h.kube.replicas, 5, 'the previous runner already added 4 pods in this period');
  });
});
