// Chaos against the built `kubectl cpa run` loop: the API server it talks to restarts, stops trusting its
// token, or presents a certificate its kubeconfig does not trust. In every case the failed cycles name the
// server or the cause, scale nothing, and print no credential; where the fault ends, the loop recovers.
// The sandbox makes a fresh CA at every start (documented in `kubectl cpa sandbox --help`), so these
// kubeconfigs name a CA file, which client-node reads again for every request, and the test rewrites it
// after a restart as a user re-trusting the restarted sandbox would.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateTls } from '../../src/sandbox/tls/tls.ts';
import {
  assertOnlyEvaluated,
  cycleErrors,
  kubeconfigWithCaFile,
  ReplicaHistory,
  steered,
  until,
} from './support/chaos.ts';
import { killRuns, startCpa, type Background } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

const GUARD = { timeout: 60_000 };
const INTERVAL_MS = 300;
const ADMIN = 'chaos-admin-token-0f3a9c';
const ROBOT = 'chaos-robot-token-7d1e55b2';
const scratch = mkdtempSync(join(tmpdir(), 'cpa-chaos-restart-'));
after(() => {
  killRuns();
  rmSync(scratch, { recursive: true, force: true });
});

/** One case's world: a sandbox with a Deployment at 1 replica, a CA file, and a run that scaled it to 2. */
interface World {
  sandbox: TestSandbox;
  port: number;
  caFile: string;
  history: ReplicaHistory;
  steer: ReturnType<typeof steered>;
  run: Background;
}

async function world(name: string, options: { robot?: boolean } = {}): Promise<World> {
  const stateFile = join(scratch, `${name}.state.json`);
  const users = options.robot ? [{ name: 'cpa-robot', token: ROBOT }] : [];
  const sandbox = await startTestSandbox({ stateFile, token: ADMIN, users });
  await sandbox.createDeployment(name, 1);
  const history = new ReplicaHistory(name);
  history.follow(sandbox.handle.core.store);
  const caFile = join(scratch, `${name}.ca.pem`);
  writeFileSync(caFile, sandbox.handle.caPem);
  const kubeconfig = join(scratch, `${name}.kubeconfig`);
  kubeconfigWithCaFile(kubeconfig, sandbox.handle.url, caFile, options.robot ? ROBOT : ADMIN);
  const steer = steered(name, { intervalMs: INTERVAL_MS, start: 2 });
  const run = startCpa(['run', steer.dir, '--no-api', '--log-format', 'json'], { KUBECONFIG: kubeconfig });
  await until(() => history.now === 2, 20_000, 'the first scale to 2', run);
  return { sandbox, port: Number(sandbox.address.split(':')[1]), caFile, history, steer, run };
}

/** Waits for `count` more failed cycles than `before`; returns the new messages. */
async function moreFailures(w: World, before: number, count: number, what: string): Promise<string[]> {
  await until(() => cycleErrors(w.run).length >= before + count, 15_000, what, w.run);
  return cycleErrors(w.run).slice(before);
}

async function end(w: World | undefined): Promise<void> {
  w?.run.child.kill('SIGKILL');
  w?.history.stop();
  await w?.sandbox.close();
}

test(
  '(a) the sandbox killed and restarted on its port: failed cycles scale nothing, then it recovers',
  GUARD,
  async (t) => {
    let w: World | undefined;
    try {
      w = await world('restart');
      const stateFile = join(scratch, 'restart.state.json');
      await w.sandbox.close();
      w.steer.want(4);
      const before = cycleErrors(w.run).length;
      const down = await moreFailures(w, before, 2, 'two failed cycles while the sandbox is down');
      t.diagnostic(`while down: ${down[0]}`);
      for (const message of down) {
        assert.match(message, new RegExp(`https://127\\.0\\.0\\.1:${w.port}\\b.*ECONNREFUSED`), message);
      }
      assert.equal(w.history.now, 2, 'the target changed while the API server was down');
      w.sandbox = await startTestSandbox({ port: w.port, stateFile, token: ADMIN });
      w.history.follow(w.sandbox.handle.core.store);
      writeFileSync(w.caFile, w.sandbox.handle.caPem);
      await until(() => w!.history.now === 4, 20_000, 'the scale to 4 after the restart', w.run);
      assert.equal(await w.sandbox.replicas('restart'), 4);
      assertOnlyEvaluated(w.history, w.steer, 1);
    } finally {
      await end(w);
    }
  },
);

test(
  '(g) a revoked token: failed cycles say unauthorized, scale nothing, and never print it',
  GUARD,
  async (t) => {
    let w: World | undefined;
    try {
      w = await world('revoke', { robot: true });
      // Revocation = the same sandbox (port, state, admin) restarted without the robot user.
      await w.sandbox.close();
      w.sandbox = await startTestSandbox({
        port: w.port,
        stateFile: join(scratch, 'revoke.state.json'),
        token: ADMIN,
      });
      w.history.follow(w.sandbox.handle.core.store);
      writeFileSync(w.caFile, w.sandbox.handle.caPem);
      w.steer.want(5);
      const before = cycleErrors(w.run).length;
      await until(
        () =>
          cycleErrors(w!.run)
            .slice(before)
            .filter((m) => /unauthorized/i.test(m)).length >= 2,
        15_000,
        'two failed cycles saying unauthorized',
        w.run,
      );
      const denied = cycleErrors(w.run)
        .slice(before)
        .filter((m) => /unauthorized/i.test(m));
      t.diagnostic(`revoked: ${denied[0]}`);
      assert.match(denied[0]!, /deployments\.apps "revoke" in namespace "default"/, denied[0]);
      assert.equal(await w.sandbox.replicas('revoke'), 2, 'scaled with a revoked token');
      assertOnlyEvaluated(w.history, w.steer, 1);
      const { stdout, stderr } = w.run.output();
      assert.ok(!stdout.includes(ROBOT) && !stderr.includes(ROBOT), 'the token was printed');
    } finally {
      await end(w);
    }
  },
);

test(
  '(h) a kubeconfig CA that does not match: a clear certificate error naming the server, no scale',
  GUARD,
  async (t) => {
    let w: World | undefined;
    try {
      w = await world('wrongca');
      writeFileSync(w.caFile, generateTls(Date.now()).caCert);
      w.steer.want(6);
      const before = cycleErrors(w.run).length;
      const failed = await moreFailures(w, before, 2, 'two failed cycles with the wrong CA');
      t.diagnostic(`wrong CA: ${failed[0]}`);
      for (const message of failed) {
        assert.match(message, new RegExp(`https://127\\.0\\.0\\.1:${w.port}\\b`), message);
        // Like kubectl's "x509: certificate signed by unknown authority": say what does not trust what.
        assert.match(message, /x509: .*not trusted by the certificate-authority of the kubeconfig/, message);
      }
      assert.equal(await w.sandbox.replicas('wrongca'), 2, 'scaled through an unverified connection');
      writeFileSync(w.caFile, w.sandbox.handle.caPem);
      await until(() => w!.history.now === 6, 20_000, 'the scale to 6 once the CA matches again', w.run);
      assertOnlyEvaluated(w.history, w.steer, 1);
    } finally {
      await end(w);
    }
  },
);
