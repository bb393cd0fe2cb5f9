// Scaling up from zero with `minReplicas: 0` against the sandbox: a Scale at 0 replicas has no spec.replicas
// (omitempty), and kubectl-cpa's JSON patch `replace /spec/replicas` must still land — kube-apiserver
// accepts it. Before the fix every such cycle failed with 422 "the server rejected our request…", both on a
// plain cycle and when a user scaled the target to 0 mid-cycle (409 → re-read → re-decide → patch).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../src/adapters/kube-connect.ts';
import type { CycleContext } from '../../src/autoscaler/context.ts';
import { runCycle } from '../../src/autoscaler/cycle.ts';
import type { LogEvent } from '../../src/logger/events.ts';
import type { CpaKubeClient, KubeClient } from '../../src/ports.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeKube, fakeRunner, shellMethod, testConfig } from '../support/fakes.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

let sandbox: TestSandbox;
let client: CpaKubeClient;

before(async () => {
  sandbox = await startTestSandbox();
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.handle.kubeconfig);
  client = createKubeClient(kc, { timeoutMs: 5_000 });
});
after(async () => {
  client?.close();
  await sandbox?.close();
});

/** One cycle's context over `kube`, deciding `target` replicas with `minReplicas: 0`. */
function context(name: string, kube: KubeClient, target: number, events: LogEvent[]): CycleContext {
  return {
    config: testConfig({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 0,
    }),
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    namespace: 'default',
    kube,
    methods: {
      runner: fakeRunner(
        { metric: () => ({ stdout: '1' }), evaluate: () => ({ stdout: `{"targetReplicas":${target}}` }) },
        [],
      ),
      request: async () => ({ kind: 'error', message: 'no http', durationMs: 0 }),
      files: { readText: async () => null, exists: async () => false },
      cwd: '/tmp',
      env: {},
    },
    clock: new FakeClock(1_000_000),
    logger: { log: (e) => void events.push(e), enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
  };
}

describe('scaling up from 0 replicas on the sandbox (minReplicas: 0)', { timeout: 20_000 }, () => {
  it('a cycle at 0 scales the Deployment to the evaluation', async () => {
    await sandbox.createDeployment('from-zero', 0);
    const events: LogEvent[] = [];
    const report = await runCycle(context('from-zero', client, 3, events), {
      runType: 'scaler',
      stopAfter: 'scale',
    });
    assert.equal(report.error, undefined, JSON.stringify(report.error));
    assert.equal(await sandbox.replicas('from-zero'), 3);
  });

  it('a user scaling to 0 mid-cycle (409) is re-read, re-decided and patched up from 0', async () => {
    await sandbox.createDeployment('mid-cycle', 2);
    let interfered = false;
    // The user's `kubectl scale --replicas=0` lands between the cycle's read and its PATCH.
    const kube: KubeClient = {
      ...client,
      async patchScale(target, replicas, resourceVersion) {
        if (!interfered) {
          interfered = true;
          const reply = await sandbox.api(
            'PATCH',
            '/apis/apps/v1/namespaces/default/deployments/mid-cycle/scale',
            { spec: { replicas: 0 } },
            'application/merge-patch+json',
          );
          assert.equal(reply.status, 200, reply.text);
        }
        return client.patchScale(target, replicas, resourceVersion);
      },
    };
    const events: LogEvent[] = [];
    const report = await runCycle(context('mid-cycle', kube, 4, events), {
      runType: 'scaler',
      stopAfter: 'scale',
    });
    assert.ok(interfered);
    assert.equal(report.error, undefined, JSON.stringify(report.error));
    assert.ok(
      events.some((e) => e.kind === 'info' && e.message.includes('409 Conflict')),
      'the conflict path ran',
    );
    assert.equal(await sandbox.replicas('mid-cycle'), 4);
  });
});

describe('a user scaling to 0 mid-cycle with minReplicas: 1 switches autoscaling off', () => {
  it('re-decides to disabled after the 409: no second patch, and no postScale hook (CPA §5.2)', async () => {
    const kube = new FakeKube(2);
    kube.conflicts = [0];
    const calls: { name: string; stdin: string }[] = [];
    const events: LogEvent[] = [];
    const ctx = context('web', kube, 4, events);
    ctx.config = { ...ctx.config, minReplicas: 1, hooks: { postScale: shellMethod('postScale') } };
    ctx.methods = {
      ...ctx.methods,
      runner: fakeRunner(
        {
          metric: () => ({ stdout: '1' }),
          evaluate: () => ({ stdout: '{"targetReplicas":4}' }),
          postScale: () => ({ stdout: 'ran' }),
        },
        calls,
      ),
    };
    const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
    assert.equal(report.error, undefined);
    assert.equal(report.decision?.action, 'disabled');
    assert.equal(report.scaled, false);
    assert.equal(kube.replicas, 0);
    assert.deepEqual(
      kube.calls.filter((c) => c.startsWith('patch')),
      ['patch 4'],
    );
    assert.deepEqual(
      calls.map((c) => c.name),
      ['metric', 'evaluate'],
      'postScale does not run when autoscaling is disabled',
    );
  });
});
