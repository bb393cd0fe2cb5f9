import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, type Fixture } from '../support.ts';

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, annotations: Record<string, string> = {}, containers = ['c']) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations },
  spec: { containers: containers.map((c) => ({ name: c, image: 'i:1' })) },
});

async function running(annotations: Record<string, string> = {}, containers = ['c']): Promise<Fixture> {
  const f = fixture({ startDelayMs: 1000 });
  await f.request('POST', PODS, { body: pod('p', annotations, containers) });
  f.env.advance(1000);
  return f;
}

describe('pods/log', () => {
  const script = {
    'sandbox.kubectl-cpa.dev/log': '+0 boot\n+2 ready\n+10 round {n}',
    'sandbox.kubectl-cpa.dev/log-every': '',
  };

  it('prints what the script has written since the container started', async () => {
    const f = await running(script);
    f.env.advance(3000);
    assert.equal((await f.request('GET', `${PODS}/p/log`)).text, 'boot\nready\n');
  });

  const cases: { name: string; query: string; want: string }[] = [
    { name: 'tailLines', query: 'tailLines=1', want: 'round 1\n' },
    { name: 'sinceSeconds', query: 'sinceSeconds=9', want: 'round 1\n' },
    {
      name: 'timestamps (kubelet fixed-width)',
      query: 'timestamps=true&tailLines=1',
      want: '2026-01-02T03:04:16.000000000Z round 1\n',
    },
    { name: 'limitBytes', query: 'limitBytes=3', want: 'boo' },
  ];
  for (const c of cases) {
    it(`honours ${c.name}`, async () => {
      const f = await running(script);
      f.env.advance(12_000);
      assert.equal((await f.request('GET', `${PODS}/p/log?${c.query}`)).text, c.want);
    });
  }

  it('follows: writes each line when its time comes, and ends when the pod is deleted', async () => {
    const f = await running({
      'sandbox.kubectl-cpa.dev/log': '+0 tick {n}',
      'sandbox.kubectl-cpa.dev/log-every': '5',
    });
    const follow = await f.stream(`${PODS}/p/log?follow=true`);
    assert.deepEqual(follow.chunks, ['tick 1\n']);
    f.env.advance(4999);
    assert.equal(follow.chunks.length, 1);
    f.env.advance(1);
    f.env.advance(5000);
    assert.deepEqual(follow.chunks, ['tick 1\n', 'tick 2\n', 'tick 3\n']);
    await f.request('DELETE', `${PODS}/p`);
    await follow.done;
    assert.equal(f.env.pending, 0, 'no timer left behind');
  });

  it('uses the default script when the pod has none', async () => {
    const f = await running();
    f.env.advance(5000);
    assert.equal(
      (await f.request('GET', `${PODS}/p/log`)).text,
      'container c started in the kubectl-cpa sandbox\ntick 1\n',
    );
  });

  it('answers 400 for a pod still starting, and asks for a container when there are several', async () => {
    const f = fixture({ startDelayMs: 1000 });
    await f.request('POST', PODS, { body: pod('p') });
    f.env.flush();
    assert.equal(
      (await f.request('GET', `${PODS}/p/log`)).body.message,
      'container "c" in pod "p" is waiting to start: ContainerCreating',
    );
    const two = await running({}, ['a', 'b']);
    assert.equal(
      (await two.request('GET', `${PODS}/p/log`)).body.message,
      'a container name must be specified for pod p, choose one of: [a b]',
    );
    assert.equal((await two.request('GET', `${PODS}/p/log?container=b`)).status, 200);
  });
});

describe('metrics.k8s.io', () => {
  it('serves pod usage from the scripted series, stepping with time', async () => {
    const f = await running({
      'sandbox.kubectl-cpa.dev/cpu': '100m,300m',
      'sandbox.kubectl-cpa.dev/memory': '64Mi',
      'sandbox.kubectl-cpa.dev/metrics-every': '10',
    });
    const usage = async () =>
      (await f.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/p')).body.containers[0]
        .usage;
    assert.deepEqual(await usage(), { cpu: '100000000n', memory: '65536Ki' });
    f.env.advance(10_000);
    assert.deepEqual(await usage(), { cpu: '300000000n', memory: '65536Ki' });
    f.env.advance(10_000);
    assert.equal((await usage()).cpu, '100000000n');
  });

  it('lists only running pods, and sums node usage from them', async () => {
    const f = await running({ 'sandbox.kubectl-cpa.dev/cpu': '1' });
    await f.request('POST', PODS, { body: pod('pending') });
    const list = (await f.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).body;
    assert.deepEqual(
      [list.kind, list.items.map((i: { metadata: { name: string } }) => i.metadata.name)],
      ['PodMetricsList', ['p']],
    );
    const node = (await f.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/sandbox')).body;
    assert.equal(node.usage.cpu, '1100000000n');
  });
});
