// One read per cycle: when the scale subresource shows the resourceVersion of the object read last cycle,
// the cycle reuses that object; any write (a new version) or failed read makes it read the object again,
// and a target that is gone still fails in the target stage, as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCycle } from '../../../src/autoscaler/cycle.ts';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import { KubeError } from '../../../src/errors.ts';
import type { KubeObject, ResolvedTarget } from '../../../src/ports.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeKube, fakeRunner, testConfig } from '../../support/fakes.ts';

/** A FakeKube whose object carries the resourceVersion its scale shows, as the apiserver's does. */
class VersionedKube extends FakeKube {
  gone = false;
  override async getObject(target: ResolvedTarget): Promise<KubeObject> {
    const object = await super.getObject(target);
    if (this.gone) throw new KubeError('deployments "web" not found', { status: 404 } as never);
    (object.metadata as Record<string, unknown>).resourceVersion = String(this.resourceVersion);
    return object;
  }
}

function harness(): { ctx: CycleContext; kube: VersionedKube; cycle: () => ReturnType<typeof runCycle> } {
  const kube = new VersionedKube(2, { numPods: '2' });
  const ctx: CycleContext = {
    config: testConfig({}),
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'default',
    kube,
    methods: {
      runner: fakeRunner(
        {
          metric: (stdin) => ({ stdout: JSON.parse(stdin).resource?.metadata?.labels?.numPods ?? '1' }),
          evaluate: (stdin) => ({
            stdout: `{"targetReplicas":${Number(JSON.parse(stdin).metrics?.[0]?.value ?? 0)}}\n`,
          }),
        },
        [],
      ),
      request: async () => ({ kind: 'error', message: 'no http', durationMs: 0 }),
      files: { readText: async () => null, exists: async () => false },
      cwd: '/tmp',
      env: {},
    },
    clock: new FakeClock(1_000_000),
    logger: { log: () => undefined, enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
  };
  return { ctx, kube, cycle: () => runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' }) };
}

const reads = (calls: string[]): string[] => calls.filter((c) => c === 'get' || c === 'getScale');

describe('one read per cycle', () => {
  it('reads only the scale while the object is unchanged, and the object again after a write', async () => {
    const h = harness();
    await h.cycle();
    assert.deepEqual(reads(h.kube.calls), ['get', 'getScale']);
    h.kube.calls.length = 0;
    await h.cycle();
    await h.cycle();
    assert.deepEqual(reads(h.kube.calls), ['getScale', 'getScale']);
    // Someone writes the object (a new label the metric reads): the version moves, the cycle sees it.
    h.kube.labels = { numPods: '4' };
    h.kube.resourceVersion++;
    h.kube.calls.length = 0;
    const report = await h.cycle();
    // (then the scale step reads the scale once more before patching it, as it always did)
    assert.deepEqual(reads(h.kube.calls), ['getScale', 'get', 'getScale']);
    assert.equal(report.metrics?.[0]?.value, '4');
    assert.equal(h.kube.replicas, 4);
  });

  it('a target that is gone still fails in the target stage, and the next cycle reads both again', async () => {
    const h = harness();
    await h.cycle();
    h.kube.gone = true;
    h.kube.resourceVersion++;
    const report = await h.cycle();
    assert.equal(report.error?.stage, 'target');
    assert.match(report.error?.message ?? '', /^failed to get managed resource: /);
    h.kube.gone = false;
    h.kube.calls.length = 0;
    await h.cycle();
    assert.deepEqual(reads(h.kube.calls), ['get', 'getScale']);
  });
});
