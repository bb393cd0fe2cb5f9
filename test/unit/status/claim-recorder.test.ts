// One writer per target, end to end over the pipeline and the recorder with a fake API server that
// enforces resourceVersion on patches: of two runners that claim at once exactly one wins, the other
// decides but writes nothing and records TargetHeldByOther naming the holder; --take-over takes it; a
// holder that stops renewing is taken over one lease after its last renewal was seen.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import { runCycle } from '../../../src/autoscaler/cycle.ts';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { CpaKubeClient, Deps } from '../../../src/ports.ts';
import { cycleContext } from '../../../src/runner/context.ts';
import type { PreparedRun } from '../../../src/runner/prepare.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { fakeRunner, testConfig } from '../../support/fakes.ts';
import { ClaimKube } from '../runner/claim-kube.ts';

const LEASE_MS = 10_000;

function runner(
  kube: ClaimKube,
  clock: FakeClock,
  who: { host: string; pid: number; wants: number; takeOver?: boolean },
) {
  const events: LogEvent[] = [];
  const deps = {
    clock,
    env: {},
    files: { readText: async () => null, exists: async () => false },
    runProcess: fakeRunner(
      { metric: () => ({ stdout: '1' }), evaluate: () => ({ stdout: `{"targetReplicas": ${who.wants}}` }) },
      [],
    ),
    httpRequest: async () => ({ kind: 'error', message: 'no', durationMs: 0 }),
    host: { hostname: who.host, pid: who.pid, node: 'v22' },
    version: 'test',
  } as unknown as Deps;
  const config = { ...testConfig({ intervalMs: 1000 }), namespace: 'default' };
  const prepared: PreparedRun = {
    config: config as PreparedRun['config'],
    target: config.scaleTargetRef!,
    namespace: 'default',
    client: kube as unknown as CpaKubeClient,
    dir: '/work/web',
    notes: [],
  };
  const ctx: CycleContext & { releaseTarget?: () => Promise<void> } = cycleContext(deps, prepared, {
    logger: { log: (e) => void events.push(e), enabled: () => true },
    dryRun: false,
    signal: new AbortController().signal,
    name: 'web',
    claim: {
      me: { name: 'web', host: who.host, pid: who.pid },
      leaseMs: LEASE_MS,
      takeOver: who.takeOver ?? false,
    },
  });
  return {
    cycle: (): Promise<CycleReport> => runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' }),
    release: async (): Promise<void> => ctx.releaseTarget?.(),
    events,
  };
}

describe('one writer per target', () => {
  test('two runners claiming at once: exactly one scales, the other names it and writes nothing', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    const ci = runner(kube, clock, { host: 'ci', pid: 20, wants: 4 });
    const [a, b] = await Promise.all([laptop.cycle(), ci.cycle()]);
    assert.equal(kube.conflictsSeen >= 1, true, 'the loser met a 409');
    const winner = a.heldBy === undefined ? a : b;
    const loser = winner === a ? b : a;
    assert.equal(winner.scaled, true);
    assert.equal(loser.scaled, undefined);
    assert.match(loser.heldBy ?? '', winner === a ? /^web on laptop \(pid 10\)$/ : /^web on ci \(pid 20\)$/);
    assert.equal(kube.replicas, winner === a ? 2 : 4);
    assert.equal(kube.holder(), winner === a ? 'web@laptop/10' : 'web@ci/20');
    assert.deepEqual(
      kube.events.filter((e) => e.reason === 'TargetHeldByOther').map((e) => e.message),
      [`web did not scale deployment/default/web: it is held by ${loser.heldBy}`],
    );
    // Later cycles do not flap: the holder keeps writing, the other keeps deciding without a write.
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await laptop.cycle();
      await ci.cycle();
    }
    assert.equal(kube.replicas, winner === a ? 2 : 4);
  });

  test('an unchanged cycle of the holder writes nothing: the claim is renewed only with the heartbeat', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    await laptop.cycle();
    await laptop.cycle();
    const settled = kube.writes;
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      await laptop.cycle();
    }
    assert.equal(kube.writes, settled, 'no annotation write within the renewal period');
    // The renewal comes within the lease (10 s lease, 1 s interval: every 8 s), so the claim never lapses.
    clock.advance(4000);
    await laptop.cycle();
    assert.equal(kube.writes, settled + 1);
  });

  test('an unchanged cycle does not decode the annotation again: the text is decoded once per change', async (t) => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    await laptop.cycle();
    await laptop.cycle();
    // Only parses of the status annotation count (its claim carries a renewTime); hook output is parsed too.
    const parse = t.mock.method(JSON, 'parse');
    const annotationParses = (): number =>
      parse.mock.calls.filter(
        (c) => typeof c.arguments[0] === 'string' && c.arguments[0].includes('"renewTime"'),
      ).length;
    const settled = kube.writes;
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      await laptop.cycle();
    }
    assert.equal(kube.writes, settled, 'nothing written, so the annotation text stayed the same');
    // The text our last write left is read back once (record and claim, one parse each), then never again.
    assert.equal(annotationParses() <= 2, true, `${annotationParses()} parses in 4 unchanged cycles`);
    // A renewal changes the text: the next read decodes it once (record and claim from one reading each).
    clock.advance(4000);
    await laptop.cycle();
    assert.equal(kube.writes, settled + 1);
    const afterWrite = annotationParses();
    clock.advance(1000);
    await laptop.cycle();
    assert.equal(annotationParses() - afterWrite <= 2, true, 'the new text decoded once, not every cycle');
    clock.advance(1000);
    await laptop.cycle();
    assert.equal(annotationParses() - afterWrite <= 2, true);
    t.mock.restoreAll();
  });

  test('a busy target (the controller writing after our scale) still gets the record, without a warning', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    await laptop.cycle();
    kube.busyWrites = 3;
    const before = kube.writes;
    clock.advance(1000);
    const laptop4 = runner(kube, clock, { host: 'laptop', pid: 10, wants: 4 });
    const report = await laptop4.cycle();
    assert.equal(report.scaled, true);
    assert.equal(kube.writes, before + 1, 'the record landed after three 409s');
    assert.deepEqual(
      laptop4.events.filter((e) => e.kind === 'warning'),
      [],
    );
  });

  test('a clean exit releases the claim, even on a busy target: the next runner writes at once', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const once = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    await once.cycle();
    kube.busyWrites = 3;
    await once.release();
    assert.equal(kube.holder(), null);
    const next = await runner(kube, clock, { host: 'laptop', pid: 11, wants: 5 }).cycle();
    assert.equal(next.heldBy, undefined);
    assert.equal(kube.replicas, 5);
  });

  test('the held runner logs a decision line naming the holder', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    const ci = runner(kube, clock, { host: 'ci', pid: 20, wants: 4 });
    await laptop.cycle();
    await ci.cycle();
    const decision = ci.events.find((e) => e.kind === 'decision');
    assert.deepEqual(decision && { action: decision.action, heldBy: decision.heldBy, to: decision.to }, {
      action: 'held-by-other',
      heldBy: 'web on laptop (pid 10)',
      to: 4,
    });
  });

  test('--take-over writes at once and the former holder stops writing', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    const ci = runner(kube, clock, { host: 'ci', pid: 20, wants: 4, takeOver: true });
    await laptop.cycle();
    assert.equal(kube.replicas, 2);
    const taken = await ci.cycle();
    assert.equal(taken.scaled, true);
    assert.equal(kube.replicas, 4);
    assert.equal(kube.holder(), 'web@ci/20');
    clock.advance(1000);
    const former = await laptop.cycle();
    assert.equal(former.heldBy, 'web on ci (pid 20)');
    assert.equal(kube.replicas, 4);
  });

  test('a holder that stops renewing is taken over one lease after its last renewal was seen, not before', async () => {
    const kube = new ClaimKube(1);
    const clock = new FakeClock(1_000_000);
    const laptop = runner(kube, clock, { host: 'laptop', pid: 10, wants: 2 });
    const ci = runner(kube, clock, { host: 'ci', pid: 20, wants: 4 });
    await laptop.cycle();
    // The laptop is gone (SIGKILL): no more renewals. The other keeps trying every second.
    const seen: (string | undefined)[] = [];
    for (let t = 0; t <= LEASE_MS; t += 1000) {
      const report = await ci.cycle();
      seen.push(report.heldBy);
      clock.advance(1000);
    }
    assert.equal(
      seen.slice(0, -1).every((h) => h === 'web on laptop (pid 10)'),
      true,
      String(seen),
    );
    assert.equal(seen.at(-1), undefined, 'taken over once the lease lapsed');
    assert.equal(kube.replicas, 4);
    assert.equal(kube.holder(), 'web@ci/20');
  });
});
