// 429 and 503 storms with Retry-After between the built `kubectl cpa run` loop and the sandbox (a loopback
// HTTPS front throttles, then passes through). The client waits as long as Retry-After asks — never sooner,
// never more than a few seconds, never past the call's timeout (one interval, at least 2 s) — so a short
// storm costs no cycle; a long one fails cycles without scaling; an absurd Retry-After is not waited for.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertOnlyEvaluated,
  cycleErrors,
  kubeconfigWithCaFile,
  ReplicaHistory,
  runEvents,
  sleep,
  steered,
  until,
} from './support/chaos.ts';
import { killRuns, startCpa, type Background } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';
import { startThrottleFront, type ThrottleFront } from './support/throttle.ts';

const GUARD = { timeout: 60_000 };
const INTERVAL_MS = 300;
const scratch = mkdtempSync(join(tmpdir(), 'cpa-chaos-throttle-'));
let sandbox: TestSandbox;
let front: ThrottleFront;

before(async () => {
  sandbox = await startTestSandbox();
  front = await startThrottleFront(sandbox.handle.url, sandbox.handle.caPem);
});
after(async () => {
  killRuns();
  await front?.close();
  await sandbox?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function scaledRun(name: string): Promise<{
  run: Background;
  history: ReplicaHistory;
  steer: ReturnType<typeof steered>;
}> {
  await sandbox.createDeployment(name, 1);
  const history = new ReplicaHistory(name);
  history.follow(sandbox.handle.core.store);
  const caFile = join(scratch, `${name}.ca.pem`);
  writeFileSync(caFile, front.caPem);
  const kubeconfig = kubeconfigWithCaFile(join(scratch, name), front.url, caFile, sandbox.handle.token);
  const steer = steered(name, { intervalMs: INTERVAL_MS, start: 2 });
  const run = startCpa(['run', steer.dir, '--no-api', '--log-format', 'json'], { KUBECONFIG: kubeconfig });
  await until(() => history.now === 2, 20_000, 'the first scale to 2', run);
  return { run, history, steer };
}

test(
  'a short storm with Retry-After: 1 is waited out: no failed cycle, no retry sooner than asked',
  GUARD,
  async (t) => {
    const { run, history, steer } = await scaledRun('squall');
    try {
      const before = cycleErrors(run).length;
      const from = front.seen.length;
      front.storm(600, '1');
      steer.want(4);
      await until(() => history.now === 4, 15_000, 'the scale to 4 after the storm', run);
      const seen = front.seen.slice(from);
      const throttled = seen.filter((s) => s.status === 429 || s.status === 503);
      assert.ok(throttled.length > 0, 'the storm throttled nothing; the test would prove nothing');
      for (const s of throttled) {
        const next = seen.find((n) => n.atMs > s.atMs && n.method === s.method && n.path === s.path);
        assert.ok(next !== undefined, `${s.method} ${s.path} was not retried`);
        assert.ok(next.atMs - s.atMs >= 950, `${s.method} ${s.path} retried after ${next.atMs - s.atMs} ms`);
      }
      t.diagnostic(`${throttled.length} throttled requests, each retried after Retry-After`);
      assert.deepEqual(cycleErrors(run).slice(before), [], 'a cycle failed during a storm it could wait out');
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
    }
  },
);

test(
  'a storm longer than a call may wait: cycles fail as throttled, scale nothing, then it scales',
  GUARD,
  async (t) => {
    const { run, history, steer } = await scaledRun('gale');
    try {
      const before = cycleErrors(run).length;
      front.storm(3_500, '1');
      steer.want(5);
      await until(() => cycleErrors(run).length > before, 10_000, 'a cycle failed by the storm', run);
      const failed = cycleErrors(run).slice(before);
      t.diagnostic(`throttled: ${failed[0]}`);
      for (const message of failed) assert.match(message, /too many requests|service unavailable/i, message);
      assert.equal(history.now, 2, 'scaled during the storm');
      await until(() => history.now === 5, 20_000, 'the scale to 5 after the storm', run);
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
    }
  },
);

test(
  'Retry-After: 3600 is not waited for: cycles fail at once and the loop keeps its interval',
  GUARD,
  async () => {
    const { run, history, steer } = await scaledRun('monsoon');
    try {
      const before = runEvents(run).length;
      front.storm(2_500, '3600');
      steer.want(6);
      await sleep(2_500);
      const failures = runEvents(run)
        .slice(before)
        .filter((e) => e.event === 'cycle-error');
      assert.ok(
        failures.length >= 3,
        `only ${failures.length} cycles in 2.5 s of storm at a 300 ms interval`,
      );
      for (const f of failures)
        assert.ok(Number(f.durationMs) < 1_000, `a cycle took ${String(f.durationMs)} ms`);
      assert.equal(history.now, 2, 'scaled during the storm');
      await until(() => history.now === 6, 20_000, 'the scale to 6 after the storm', run);
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
    }
  },
);
