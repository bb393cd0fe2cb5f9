// Chaos on the network between the built `kubectl cpa run` loop and its API server (the sandbox behind the
// fault proxy, TLS passing through): connections cut again and again, and a black hole that accepts
// connections and never answers. Failed cycles name the server and scale nothing; the loop keeps ticking
// and scales once the network is back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertOnlyEvaluated,
  cycleErrors,
  ReplicaHistory,
  runEvents,
  sleep,
  steered,
  until,
} from './support/chaos.ts';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { killRuns, startCpa, type Background } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

const GUARD = { timeout: 60_000 };
const INTERVAL_MS = 300;
let sandbox: TestSandbox;
let proxy: FaultProxy;

before(async () => {
  sandbox = await startTestSandbox();
  proxy = await startFaultProxy(sandbox.address);
});
after(async () => {
  killRuns();
  await proxy?.close();
  await sandbox?.close();
});

/** A run through the proxy against Deployment `name` (1 replica), once it has scaled it to 2. */
async function scaledRun(name: string): Promise<{
  run: Background;
  history: ReplicaHistory;
  steer: ReturnType<typeof steered>;
}> {
  proxy.setMode('pass');
  await sandbox.createDeployment(name, 1);
  const history = new ReplicaHistory(name);
  history.follow(sandbox.handle.core.store);
  const steer = steered(name, { intervalMs: INTERVAL_MS, start: 2 });
  const run = startCpa(['run', steer.dir, '--no-api', '--log-format', 'json'], {
    KUBECONFIG: sandbox.kubeconfig(proxy.address),
  });
  await until(() => history.now === 2, 20_000, 'the first scale to 2', run);
  return { run, history, steer };
}

test('(c) connections cut every 100 ms for 3 s: only evaluated values, then it scales', GUARD, async (t) => {
  const { run, history, steer } = await scaledRun('cuts');
  try {
    const before = cycleErrors(run).length;
    const cutting = setInterval(() => proxy.cut(), 100);
    try {
      for (let i = 0; i < 8; i++) {
        steer.want(3 + (i % 3));
        await sleep(375);
      }
    } finally {
      clearInterval(cutting);
    }
    steer.want(7);
    await until(() => history.now === 7, 20_000, 'the scale to 7 after the cuts', run);
    const failed = cycleErrors(run).slice(before);
    t.diagnostic(`${failed.length} failed cycles during the cuts; values ${JSON.stringify(history.values)}`);
    for (const message of failed) assert.match(message, new RegExp(proxy.address.replace(/\./g, '\\.')));
    assertOnlyEvaluated(history, steer, 1);
    assert.equal(run.child.exitCode, null, 'the loop ended');
  } finally {
    run.child.kill('SIGKILL');
    history.stop();
  }
});

test(
  '(d) a black-hole API: cycles fail with a timeout naming the server within seconds, the loop goes on',
  GUARD,
  async (t) => {
    const { run, history, steer } = await scaledRun('blackhole');
    try {
      const before = cycleErrors(run).length;
      proxy.setMode('blackhole');
      proxy.cut(); // kept-alive connections would otherwise carry on as before
      steer.want(5);
      const startedMs = Date.now();
      // A hung call gives up after the interval (at least 2 s; before: the 30 s hang guard, and again for each
      // of the recorder's writes). The bound leaves room for a recorder write already in flight.
      await until(() => cycleErrors(run).length > before, 15_000, 'a failed cycle in the black hole', run);
      const firstMs = Date.now() - startedMs;
      await until(() => cycleErrors(run).length > before + 1, 15_000, 'a second failed cycle', run);
      const failures = runEvents(run)
        .filter((e) => e.event === 'cycle-error')
        .slice(before);
      t.diagnostic(`first failure after ${firstMs} ms: ${String(failures[0]?.message)}`);
      for (const f of failures) {
        assert.match(
          String(f.message),
          new RegExp(`${proxy.address.replace(/\./g, '\\.')}.*no response within`),
        );
        assert.ok(Number(f.durationMs) < 5_000, `a failed cycle took ${String(f.durationMs)} ms`);
      }
      assert.equal(history.now, 2, 'the target changed while the API server did not answer');
      proxy.setMode('pass');
      const healedMs = Date.now();
      await until(() => history.now === 5, 20_000, 'the scale to 5 once the API answers again', run);
      t.diagnostic(`scaled ${Date.now() - healedMs} ms after the black hole ended`);
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
      proxy.setMode('pass');
    }
  },
);
