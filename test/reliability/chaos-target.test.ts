// Chaos on the target of the built `kubectl cpa run` loop (against the sandbox): the Deployment deleted and
// created again, and other clients scaling it while cycles run. Failures name the missing target; a write
// that lands between our read and our PATCH is met with 409 and a fresh decision, never with a stale or
// made-up replica count, and a target someone scaled to 0 (autoscaling off) is left at 0.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { killRuns, startCpa, type Background } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

const GUARD = { timeout: 60_000 };
const INTERVAL_MS = 300;
let sandbox: TestSandbox;

before(async () => {
  sandbox = await startTestSandbox();
});
after(async () => {
  killRuns();
  await sandbox?.close();
});

const scalePath = (name: string): string => `/apis/apps/v1/namespaces/default/deployments/${name}/scale`;

/** Another client scaling the target (as kubectl scale does: a merge patch of the scale subresource). */
async function scaleAsOther(name: string, replicas: number): Promise<void> {
  const reply = await sandbox.api(
    'PATCH',
    scalePath(name),
    { spec: { replicas } },
    'application/merge-patch+json',
  );
  assert.equal(reply.status, 200, reply.text);
}

async function startRun(name: string, verbosity = '0', extra = '', files: Record<string, string> = {}) {
  await sandbox.createDeployment(name, 1);
  const history = new ReplicaHistory(name);
  history.follow(sandbox.handle.core.store);
  const steer = steered(name, { intervalMs: INTERVAL_MS, start: 2, extra, files });
  const run: Background = startCpa(['run', steer.dir, '--no-api', '--log-format', 'json', '-v', verbosity], {
    KUBECONFIG: sandbox.kubeconfig(),
  });
  await until(() => history.now === 2, 20_000, 'the first scale to 2', run);
  return { run, history, steer };
}

test(
  '(e) the target deleted and recreated: failures name it, then the new one is scaled',
  GUARD,
  async (t) => {
    const { run, history, steer } = await startRun('phoenix');
    try {
      const oldUid = (await sandbox.api('GET', '/apis/apps/v1/namespaces/default/deployments/phoenix')).json
        .metadata.uid as string;
      const before = cycleErrors(run).length;
      const deleted = await sandbox.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/phoenix');
      assert.equal(deleted.status, 200, deleted.text);
      steer.want(3);
      await until(
        () => cycleErrors(run).length >= before + 2,
        10_000,
        'two failed cycles without the target',
        run,
      );
      const failed = cycleErrors(run).slice(before);
      t.diagnostic(`while gone: ${failed[0]}`);
      for (const message of failed)
        assert.match(message, /deployments\.apps "phoenix" not found in namespace "default"/);
      await sandbox.createDeployment('phoenix', 1);
      await until(() => history.now === 3, 20_000, 'the recreated target scaled to 3', run);
      const reply = await sandbox.api('GET', '/apis/apps/v1/namespaces/default/deployments/phoenix');
      assert.notEqual(reply.json.metadata.uid, oldUid, 'not the recreated object');
      assert.equal(reply.json.spec.replicas, 3);
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
    }
  },
);

// preScale runs between our read of the scale and our PATCH: when the test asks (file `block`), it waits
// there (file `waiting`) until the test has scaled the target as another client and says `go`.
const PRESCALE =
  'preScale: { type: shell, timeout: 10000, shell: { entrypoint: /bin/sh, command: ["./prescale.sh"] } }';
const PRESCALE_SH = `#!/bin/sh
cat >/dev/null
if [ -f block ]; then
  touch waiting
  i=0
  while [ ! -f go ] && [ $i -lt 300 ]; do sleep 0.02; i=$((i+1)); done
  rm -f go block waiting
fi
`;

/** Makes the next scaling cycle stop in preScale, scales the target to `replicas` as another client, lets go. */
async function writeBetweenReadAndPatch(dir: string, name: string, replicas: number, run: Background) {
  writeFileSync(join(dir, 'block'), '');
  await until(() => existsSync(join(dir, 'waiting')), 10_000, 'a cycle waiting in preScale', run);
  await scaleAsOther(name, replicas);
  writeFileSync(join(dir, 'go'), '');
  await until(() => !existsSync(join(dir, 'block')), 10_000, 'preScale to go on', run);
}

test(
  '(f) concurrent writers: 409, a fresh read and decision; scaled to 0 by another client stays 0',
  GUARD,
  async (t) => {
    const { run, history, steer } = await startRun('contended', '1', PRESCALE, {
      'prescale.sh': PRESCALE_SH,
    });
    const others = [7, 0, 8, 9];
    try {
      // A write between our read and our PATCH: the PATCH carries the old resourceVersion → 409 → re-read.
      steer.want(4);
      await writeBetweenReadAndPatch(steer.dir, 'contended', 7, run);
      await until(() => history.now === 4, 10_000, 'the scale to 4 after the conflict', run);
      const conflicts = runEvents(run).filter((e) => String(e.message).includes('409 Conflict'));
      assert.ok(conflicts.length >= 1, 'no 409 path in the log');

      // Someone switches autoscaling off (0 replicas, minReplicas 1) between our read and our PATCH.
      steer.want(5);
      await writeBetweenReadAndPatch(steer.dir, 'contended', 0, run);
      await sleep(4 * INTERVAL_MS);
      assert.equal(history.now, 0, `scaled a target switched off: ${JSON.stringify(history.values)}`);
      assert.ok(
        runEvents(run).some((e) => e.action === 'disabled'),
        'no "disabled" decision',
      );

      // A client hammering the scale subresource while cycles run.
      steer.want(6);
      const stopAt = Date.now() + 2_000;
      let writes = 0;
      while (Date.now() < stopAt) await scaleAsOther('contended', 8 + (writes++ % 2));
      await until(() => history.now === 6, 10_000, 'the scale to 6 once the other writer stopped', run);
      // Cycles may fail while it hammers (409 after every attempt), but only ever as conflicts.
      const failed = cycleErrors(run);
      for (const message of failed) assert.match(message, /conflict|modified/i, message);
      t.diagnostic(`a failed cycle: ${failed[0] ?? '(none)'}`);
      t.diagnostic(
        `${writes} concurrent writes; ${cycleErrors(run).length} failed cycles; values ${history.values.length}`,
      );
      assertOnlyEvaluated(history, steer, 1, others);
    } finally {
      run.child.kill('SIGKILL');
      history.stop();
    }
  },
);
