import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deletionOrder } from '../../../../src/sandbox/controllers/replicas.ts';
import { resolveIntOrPercent } from '../../../../src/sandbox/controllers/deployments.ts';
import { templateHash } from '../../../../src/sandbox/controllers/owners.ts';
import { deploymentManifest, fixture, type Fixture, type Json } from '../support.ts';

const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';
const NAME_CHARS = '[bcdfghjklmnpqrstvwxz2456789]';

async function pods(f: Fixture, selector: string): Promise<Json[]> {
  return (await f.request('GET', `${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items;
}
const ready = (p: { status: { conditions?: { type: string; status: string }[] } }) =>
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const merge = 'application/merge-patch+json';

describe('built-in controller: Deployments', () => {
  it('creates a ReplicaSet <deploy>-<hash> and pods <rs>-<5 chars>, bound at once and Ready after the delay', async () => {
    const f = fixture({ startDelayMs: 1000 });
    await f.request('POST', `${APPS}/deployments`, { body: deploymentManifest('web', 2) });
    f.env.flush();
    const [rs] = (await f.request('GET', `${APPS}/replicasets`)).body.items;
    assert.match(rs.metadata.name, new RegExp(`^web-${NAME_CHARS}{9,10}$`));
    assert.equal(rs.metadata.labels['pod-template-hash'], rs.metadata.name.slice(4));
    assert.deepEqual(
      rs.metadata.ownerReferences.map((o: { kind: string; controller: boolean }) => [o.kind, o.controller]),
      [['Deployment', true]],
    );
    let list = await pods(f, 'app=web');
    assert.equal(list.length, 2);
    for (const p of list) {
      assert.match(p.metadata.name, new RegExp(`^${rs.metadata.name}-${NAME_CHARS}{5}$`));
      assert.deepEqual(
        [p.spec.nodeName, p.status.phase, p.status.containerStatuses[0].state.waiting.reason],
        ['sandbox', 'Pending', 'ContainerCreating'],
      );
    }
    f.env.advance(999);
    assert.equal((await pods(f, 'app=web')).filter(ready).length, 0);
    f.env.advance(1);
    list = await pods(f, 'app=web');
    assert.deepEqual(
      list.map((p) => [p.status.phase, ready(p)]),
      [
        ['Running', true],
        ['Running', true],
      ],
    );
    const d = (await f.request('GET', `${APPS}/deployments/web`)).body;
    assert.deepEqual(
      [
        d.status.observedGeneration,
        d.status.replicas,
        d.status.readyReplicas,
        d.status.availableReplicas,
        d.status.unavailableReplicas,
      ],
      [1, 2, 2, 2, undefined],
    );
    assert.deepEqual(
      d.status.conditions.map(
        (c: { type: string; status: string; reason: string }) => `${c.type}=${c.status}/${c.reason}`,
      ),
      ['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable'],
    );
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
  });

  it('scales through the scale subresource: status.replicas and selector follow, extra pods go (not-ready first)', async () => {
    const f = fixture({ startDelayMs: 1000 });
    await f.request('POST', `${APPS}/deployments`, { body: deploymentManifest('web', 1) });
    f.env.advance(1000);
    const patched = await f.request('PATCH', `${APPS}/deployments/web/scale`, {
      body: { spec: { replicas: 3 } },
      contentType: merge,
    });
    assert.deepEqual(
      [patched.body.spec.replicas, patched.body.status.replicas],
      [3, 1],
      'the answer comes before the controller acts',
    );
    f.env.flush();
    const scale = (await f.request('GET', `${APPS}/deployments/web/scale`)).body;
    assert.deepEqual(scale.status, { replicas: 3, selector: 'app=web' });
    const oldest = (await pods(f, 'app=web')).find(ready).metadata.name;
    await f.request('PATCH', `${APPS}/deployments/web/scale`, {
      body: { spec: { replicas: 1 } },
      contentType: merge,
    });
    f.env.flush();
    assert.deepEqual(
      (await pods(f, 'app=web')).map((p) => p.metadata.name),
      [oldest],
    );
    const events = (await f.request('GET', `${NS}/events`)).body.items.map(
      (e: { reason: string; message: string }) => `${e.reason}: ${e.message}`,
    );
    assert.ok(
      events.some((e: string) => /^ScalingReplicaSet: Scaled up replica set web-\S+ from 1 to 3$/.test(e)),
      events.join('\n'),
    );
    assert.ok(
      events.some((e: string) => /^ScalingReplicaSet: Scaled down replica set web-\S+ from 3 to 1$/.test(e)),
    );
    assert.ok(events.some((e: string) => /^SuccessfulDelete: Deleted pod: web-/.test(e)));
  });

  it('rolls a new template out as a new ReplicaSet with the next revision, the old one scaled to 0', async () => {
    const f = fixture({ startDelayMs: 10 });
    await f.request('POST', `${APPS}/deployments`, { body: deploymentManifest('web', 2) });
    f.env.advance(10);
    await f.request('PATCH', `${APPS}/deployments/web`, {
      body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    f.env.advance(10);
    const sets = (await f.request('GET', `${APPS}/replicasets`)).body.items.map((rs: Json) => [
      rs.spec.replicas,
      rs.metadata.annotations['deployment.kubernetes.io/revision'],
      rs.spec.template.spec.containers[0].image,
    ]);
    assert.deepEqual(
      sets.sort((a: number[], b: number[]) => Number(a[1]) - Number(b[1])),
      [
        [0, '1', 'registry.invalid/web:1'],
        [2, '2', 'web:2'],
      ],
    );
    const list = await pods(f, 'app=web');
    assert.deepEqual(
      list.map((p) => p.spec.containers[0].image),
      ['web:2', 'web:2'],
    );
    const d = (await f.request('GET', `${APPS}/deployments/web`)).body;
    assert.deepEqual(
      [d.metadata.generation, d.status.observedGeneration, d.status.updatedReplicas],
      [2, 2, 2],
    );
  });

  it('deletes ReplicaSets and pods with their Deployment', async () => {
    const f = fixture();
    await f.request('POST', `${APPS}/deployments`, { body: deploymentManifest('web', 2) });
    f.env.flush();
    assert.equal((await f.request('DELETE', `${APPS}/deployments/web`)).body.status, 'Success');
    assert.deepEqual((await f.request('GET', `${APPS}/replicasets`)).body.items, []);
    assert.deepEqual(await pods(f, 'app=web'), []);
  });
});

describe('built-in controller: other workloads and pods', () => {
  it('creates StatefulSet pods in order, each after the previous is Ready, and removes the highest first', async () => {
    const f = fixture({ startDelayMs: 1000 });
    const sts = { ...deploymentManifest('db', 3), apiVersion: 'apps/v1', kind: 'StatefulSet' };
    await f.request('POST', `${APPS}/statefulsets`, { body: sts });
    f.env.flush();
    assert.deepEqual(
      (await pods(f, 'app=db')).map((p) => p.metadata.name),
      ['db-0'],
    );
    f.env.advance(1000);
    assert.deepEqual(
      (await pods(f, 'app=db')).map((p) => p.metadata.name),
      ['db-0', 'db-1'],
    );
    f.env.advance(2000);
    const list = await pods(f, 'app=db');
    assert.deepEqual(
      list.map((p) => [p.metadata.name, p.metadata.labels['apps.kubernetes.io/pod-index'], p.spec.hostname]),
      [
        ['db-0', '0', 'db-0'],
        ['db-1', '1', 'db-1'],
        ['db-2', '2', 'db-2'],
      ],
    );
    await f.request('PATCH', `${APPS}/statefulsets/db/scale`, {
      body: { spec: { replicas: 1 } },
      contentType: merge,
    });
    f.env.flush();
    assert.deepEqual(
      (await pods(f, 'app=db')).map((p) => p.metadata.name),
      ['db-0'],
    );
    assert.equal((await f.request('GET', `${APPS}/statefulsets/db/scale`)).body.status.replicas, 1);
  });

  it('runs ReplicationControllers with their map selector', async () => {
    const f = fixture();
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'rc' } },
          spec: { containers: [{ name: 'c', image: 'i:1' }] },
        },
      },
    };
    await f.request('POST', `${NS}/replicationcontrollers`, { body: rc });
    f.env.flush();
    assert.equal((await pods(f, 'app=rc')).length, 2);
    assert.deepEqual((await f.request('GET', `${NS}/replicationcontrollers/rc/scale`)).body.status, {
      replicas: 2,
      selector: 'app=rc',
    });
  });

  it('runs the example Widget CRD: pods labelled widget=<name>, scale status with selector', async () => {
    const f = fixture();
    const path = '/apis/sandbox.kubectl-cpa.dev/v1/namespaces/default/widgets';
    await f.request('POST', path, {
      body: {
        apiVersion: 'sandbox.kubectl-cpa.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { replicas: 2 },
      },
    });
    f.env.flush();
    assert.equal((await pods(f, 'widget=w')).length, 2);
    assert.deepEqual((await f.request('GET', `${path}/w/scale`)).body.status, {
      replicas: 2,
      selector: 'widget=w',
    });
  });

  it('keeps a pod annotated ready=false Running but not Ready, and honours start-delay', async () => {
    const f = fixture({ startDelayMs: 1000 });
    const pod = (name: string, annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, annotations },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    await f.request('POST', `${NS}/pods`, {
      body: pod('slow', { 'sandbox.kubectl-cpa.dev/start-delay': '5' }),
    });
    await f.request('POST', `${NS}/pods`, {
      body: pod('never', { 'sandbox.kubectl-cpa.dev/ready': 'false' }),
    });
    f.env.advance(1000);
    const get = async (n: string) => (await f.request('GET', `${NS}/pods/${n}`)).body;
    assert.deepEqual([(await get('never')).status.phase, ready(await get('never'))], ['Running', false]);
    assert.equal((await get('slow')).status.phase, 'Pending');
    f.env.advance(4000);
    assert.equal(ready(await get('slow')), true);
  });

  it('deletes everything in a namespace with it', async () => {
    const f = fixture();
    await f.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
    });
    await f.request('POST', '/apis/apps/v1/namespaces/team/deployments', {
      body: deploymentManifest('web', 1),
    });
    f.env.flush();
    const deleted = await f.request('DELETE', '/api/v1/namespaces/team');
    assert.equal(deleted.body.status.phase, 'Terminating');
    assert.deepEqual((await f.request('GET', '/api/v1/namespaces/team/pods')).body.items, []);
    assert.equal((await f.request('GET', '/api/v1/namespaces/team')).status, 404);
  });
});

describe('controller helpers', () => {
  it('hashes pod templates stably with the name alphabet, whatever the key order', () => {
    const a = templateHash({ metadata: { labels: { a: '1' } }, spec: { containers: [] } });
    assert.equal(a, templateHash({ spec: { containers: [] }, metadata: { labels: { a: '1' } } }));
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.notEqual(a, templateHash({ metadata: { labels: { a: '2' } }, spec: { containers: [] } }));
  });

  const pct: { given: [unknown, number, boolean]; want: number }[] = [
    { given: ['25%', 10, true], want: 3 },
    { given: ['25%', 10, false], want: 2 },
    { given: [1, 10, false], want: 1 },
    { given: ['0%', 4, true], want: 0 },
  ];
  for (const c of pct)
    it(`resolves ${String(c.given[0])} of ${c.given[1]} (${c.given[2] ? 'up' : 'down'}) to ${c.want}`, () =>
      assert.equal(resolveIntOrPercent(...c.given), c.want));

  it('deletes not-ready pods first, then the newest', () => {
    const pod = (name: string, created: string, isReady: boolean) => ({
      metadata: { name, creationTimestamp: created },
      status: { conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }] },
    });
    const order = deletionOrder([
      pod('old', '2026-01-01T00:00:00Z', true),
      pod('new', '2026-01-02T00:00:00Z', true),
      pod('unready', '2026-01-01T00:00:00Z', false),
    ]);
    assert.deepEqual(
      order.map((p) => (p.metadata as { name: string }).name),
      ['unready', 'new', 'old'],
    );
  });
});
