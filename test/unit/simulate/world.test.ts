// The simulated world: replicas follow PATCHes, new pods turn Ready after the delay, newest go first; the
// trace answers the metric method's reserved address and nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpRequestSpec } from '../../../src/ports.ts';
import {
  metricText,
  resourceNameOf,
  TRACE_METRIC_URL,
  traceRequester,
} from '../../../src/simulate/trace-metric.ts';
import { SimulatedWorld, VirtualClock } from '../../../src/simulate/world.ts';

const OBJECT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { tier: 'front' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', track: 'stable' }, annotations: { 'load/x': '150' } },
      spec: { containers: [{ name: 'app', image: 'pause' }] },
    },
  },
};

function world(startReplicas: number, readyDelayMs: number): { clock: VirtualClock; world: SimulatedWorld } {
  const clock = new VirtualClock(1_000_000);
  return {
    clock,
    world: new SimulatedWorld({ clock, object: OBJECT, namespace: 'ns', startReplicas, readyDelayMs }),
  };
}

const TARGET = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  name: 'web',
  namespace: 'ns',
  hasScale: true,
};

describe('SimulatedWorld', () => {
  it('starts with Ready pods and the selector of the object', async () => {
    const { world: w } = world(2, 30_000);
    assert.equal(w.readyPods(), 2);
    assert.deepEqual(await w.getScale(), {
      replicas: 2,
      selector: 'app=web',
      statusReplicas: 2,
      resourceVersion: '2.2',
    });
  });
  it('every change moves the resourceVersion, a pod turning Ready too, and object and scale agree', async () => {
    const { clock, world: w } = world(1, 30_000);
    const version = async (): Promise<string> => (await w.getScale()).resourceVersion;
    const objectVersion = async (): Promise<unknown> =>
      ((await w.getObject()).metadata as { resourceVersion?: unknown }).resourceVersion;
    const start = await version();
    assert.equal(await version(), start, 'nothing changed');
    await w.patchScale(TARGET, 2);
    const scaled = await version();
    assert.notEqual(scaled, start);
    await clock.sleep(30_000);
    assert.notEqual(await version(), scaled, 'the new pod turned Ready');
    assert.equal(await objectVersion(), await version());
  });
  it('new pods turn Ready only after the delay', async () => {
    const { clock, world: w } = world(1, 30_000);
    await w.patchScale(TARGET, 3);
    assert.equal(w.replicas, 3);
    assert.equal(w.readyPods(), 1);
    const pods = await w.listPods();
    assert.deepEqual(
      pods.map((p) => (p.status as { phase: string }).phase),
      ['Running', 'Pending', 'Pending'],
    );
    await clock.sleep(29_999);
    assert.equal(w.readyPods(), 1);
    await clock.sleep(1);
    assert.equal(w.readyPods(), 3);
  });
  it("pods carry the template's labels, annotations and spec, as a real pod would", async () => {
    const [pod] = await world(1, 0).world.listPods();
    assert.deepEqual(pod?.metadata?.labels, { app: 'web', track: 'stable' });
    assert.deepEqual(pod?.metadata?.annotations, { 'load/x': '150' });
    assert.deepEqual(pod?.spec, { containers: [{ name: 'app', image: 'pause' }] });
  });
  it('scale-down removes the newest pods first', async () => {
    const { world: w } = world(1, 0);
    await w.patchScale(TARGET, 3);
    await w.patchScale(TARGET, 2);
    assert.deepEqual(
      (await w.listPods()).map((p) => p.metadata?.name),
      ['web-1', 'web-2'],
    );
    assert.equal(w.podIndex('web-2'), 1);
    assert.equal(w.podIndex('web-3'), -1);
  });
  it('the object carries the replicas and the Ready count, the original untouched', async () => {
    const { world: w } = world(1, 10);
    await w.patchScale(TARGET, 4);
    const object = await w.getObject();
    assert.equal((object.spec as { replicas: number }).replicas, 4);
    assert.deepEqual(object.status, {
      replicas: 4,
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 4,
    });
    assert.equal(object.metadata?.labels?.tier, 'front');
    assert.equal((OBJECT.spec as { replicas?: number }).replicas, undefined);
  });
  it('resolves a target without discovery', async () => {
    const got = await w0().resolveTarget({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, 'ns');
    assert.deepEqual(got, {
      group: 'apps',
      version: 'v1',
      resource: 'statefulsets',
      kind: 'StatefulSet',
      name: 'db',
      namespace: 'ns',
      hasScale: true,
    });
  });
});

function w0(): SimulatedWorld {
  return world(1, 0).world;
}

describe('the trace as the metric method', () => {
  it('reads the resource name from v2 and seed payloads', () => {
    assert.equal(resourceNameOf('{"resource":{"metadata":{"name":"web-2"}},"runType":"scaler"}'), 'web-2');
    assert.equal(resourceNameOf('{"metadata":{"name":"web"}}'), 'web');
    assert.equal(resourceNameOf('not json'), '');
  });
  const rows: { name: string; given: Parameters<typeof metricText>; want: string }[] = [
    { name: 'the single value', given: [{ timeMs: 0, value: '7' }, -1, 0], want: '7' },
    {
      name: 'as many pods as recorded: each its own value',
      given: [{ timeMs: 0, pods: ['1', '2'] }, 1, 2],
      want: '2',
    },
    {
      name: 'more pods than recorded: the total spread evenly',
      given: [{ timeMs: 0, pods: ['100', '200'] }, 2, 3],
      want: '100',
    },
    {
      name: 'fewer pods than recorded: the total spread evenly',
      given: [{ timeMs: 0, pods: ['100', '200', '300'] }, 0, 2],
      want: '300',
    },
    {
      name: 'documents cannot be spread: they repeat',
      given: [{ timeMs: 0, pods: ['{}', '[]'] }, 2, 3],
      want: '{}',
    },
    {
      name: 'per-pod mode with one value: every pod has it',
      given: [{ timeMs: 0, value: '5' }, 3, 4],
      want: '5',
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(metricText(...row.given), row.want));

  it('answers the reserved address and passes other requests on', async () => {
    const passed: string[] = [];
    const request = traceRequester(
      async (spec: HttpRequestSpec) => {
        passed.push(spec.url);
        return { kind: 'response', status: 200, body: Buffer.from('{"targetReplicas":1}'), durationMs: 1 };
      },
      () => ({ timeMs: 0, pods: ['a', 'b'] }),
      { index: (name) => (name === 'web-2' ? 1 : -1), count: () => 2 },
    );
    const base = { method: 'POST', headers: {}, timeoutMs: 1000, maxBodyBytes: 1000 };
    const got = await request({
      ...base,
      url: TRACE_METRIC_URL,
      body: '{"resource":{"metadata":{"name":"web-2"}}}',
    });
    assert.equal(got.kind === 'response' && got.body.toString(), 'b');
    await request({ ...base, url: 'http://127.0.0.1:1/evaluate', body: '{}' });
    assert.deepEqual(passed, ['http://127.0.0.1:1/evaluate']);
  });
});
