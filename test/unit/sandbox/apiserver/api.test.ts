import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGGREGATED_TYPE } from '../../../../src/sandbox/apiserver/discovery.ts';
import { deploymentManifest, fixture } from '../support.ts';

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const lease = (name: string, labels?: Record<string, string>) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: {},
});

describe('sandbox API: authentication and discovery', () => {
  it('refuses a missing or unknown token with 401 but answers /version and /healthz to anyone', async () => {
    const f = fixture();
    assert.equal((await f.request('GET', '/api/v1/pods', { token: 'nope' })).status, 401);
    assert.equal(
      (await f.request('GET', '/version', { token: 'nope' })).body.gitVersion,
      'v1.37.2-kubectl-cpa-sandbox',
    );
    assert.equal((await f.request('GET', '/healthz', { token: 'nope' })).text, 'ok');
  });

  it('answers aggregated discovery with its content type when asked, the legacy list otherwise', async () => {
    const f = fixture();
    const aggregated = await f.request('GET', '/apis', { accept: `${AGGREGATED_TYPE},application/json` });
    assert.equal(aggregated.headers['Content-Type'], AGGREGATED_TYPE);
    assert.equal(aggregated.body.kind, 'APIGroupDiscoveryList');
    assert.equal((await f.request('GET', '/apis')).body.kind, 'APIGroupList');
    assert.equal(
      (await f.request('GET', '/api')).body.serverAddressByClientCIDRs[0].serverAddress,
      '127.0.0.1:6443',
    );
  });

  it('lets a user with rules do only what the rules allow (403 otherwise)', async () => {
    const f = fixture({
      users: [
        {
          name: 'alice',
          token: 'alice',
          rules: [{ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get'] }],
        },
      ],
    });
    await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) });
    assert.equal((await f.request('GET', `${DEPLOYS}/web/scale`, { token: 'alice' })).status, 200);
    const denied = await f.request('PATCH', `${DEPLOYS}/web/scale`, {
      token: 'alice',
      body: { spec: { replicas: 2 } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(denied.status, 403);
    assert.equal(
      denied.body.message,
      'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"',
    );
  });
});

describe('sandbox API: objects', () => {
  it('creates with system metadata, defaults and an empty status; reads it back', async () => {
    const f = fixture();
    const created = await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.deepEqual(created.body.status, {});
    assert.equal(created.body.metadata.generation, 1);
    assert.equal(created.body.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
    assert.equal(created.body.spec.revisionHistoryLimit, 10);
    assert.deepEqual((await f.request('GET', `${DEPLOYS}/web`)).body.metadata, created.body.metadata);
  });

  it('answers 404 for an unknown namespace on create, 409 for a taken name, 400 for a resourceVersion on create', async () => {
    const f = fixture();
    assert.equal(
      (
        await f.request('POST', '/apis/apps/v1/namespaces/nope/deployments', {
          body: deploymentManifest('web', 1),
        })
      ).body.message,
      'namespaces "nope" not found',
    );
    await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) });
    assert.equal(
      (await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) })).body.reason,
      'AlreadyExists',
    );
    const withRv = { ...deploymentManifest('x', 1), metadata: { name: 'x', resourceVersion: '5' } };
    assert.equal((await f.request('POST', DEPLOYS, { body: withRv })).status, 400);
  });

  it('generates names from generateName', async () => {
    const f = fixture();
    const created = await f.request('POST', LEASES, {
      body: { ...lease(''), metadata: { generateName: 'l-' } },
    });
    assert.match(created.body.metadata.name, /^l-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('updates with a resourceVersion precondition (409 when stale) and bumps generation only on spec changes', async () => {
    const f = fixture();
    const created = (await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) })).body;
    const labelled = await f.request('PATCH', `${DEPLOYS}/web`, {
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(labelled.body.metadata.generation, 1);
    const stale = await f.request('PUT', `${DEPLOYS}/web`, {
      body: { ...created, spec: { ...created.spec, replicas: 4 } },
    });
    assert.equal(stale.status, 409);
    const fresh = (await f.request('GET', `${DEPLOYS}/web`)).body;
    const put = await f.request('PUT', `${DEPLOYS}/web`, {
      body: { ...fresh, spec: { ...fresh.spec, replicas: 4 } },
    });
    assert.equal(put.body.metadata.generation, 2);
    const renamed = await f.request('PUT', `${DEPLOYS}/web`, {
      body: { ...fresh, metadata: { ...fresh.metadata, name: 'other' } },
    });
    assert.equal(
      renamed.body.message,
      'the name of the object (other) does not match the name on the URL (web)',
    );
  });

  it('keeps status out of main-resource writes and spec out of status writes', async () => {
    const f = fixture();
    await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) });
    const viaMain = await f.request('PATCH', `${DEPLOYS}/web`, {
      body: { status: { replicas: 9 } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(viaMain.body.status.replicas, undefined);
    const viaStatus = await f.request('PATCH', `${DEPLOYS}/web/status`, {
      body: { spec: { replicas: 9 }, status: { replicas: 9 } },
      contentType: 'application/merge-patch+json',
    });
    assert.deepEqual([viaStatus.body.spec.replicas, viaStatus.body.status.replicas], [1, 9]);
  });

  it('refuses strategic merge on a custom resource (415) and unknown patch types (415)', async () => {
    const f = fixture();
    const widgets = '/apis/sandbox.kubectl-cpa.dev/v1/namespaces/default/widgets';
    await f.request('POST', widgets, {
      body: {
        apiVersion: 'sandbox.kubectl-cpa.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { replicas: 1 },
      },
    });
    assert.equal(
      (
        await f.request('PATCH', `${widgets}/w`, {
          body: {},
          contentType: 'application/strategic-merge-patch+json',
        })
      ).status,
      415,
    );
    assert.equal(
      (await f.request('PATCH', `${widgets}/w`, { body: {}, contentType: 'text/plain' })).status,
      415,
    );
  });

  it('applies server-side: creates a missing object, then merges the applied configuration', async () => {
    const f = fixture();
    const yaml =
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: l}\nspec: {holderIdentity: a}\n';
    const created = await f.request('PATCH', `${LEASES}/l?fieldManager=test`, {
      body: yaml,
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(created.status, 201);
    const updated = await f.request('PATCH', `${LEASES}/l?fieldManager=test`, {
      body: yaml.replace('holderIdentity: a', 'leaseDurationSeconds: 5'),
      contentType: 'application/apply-patch+yaml',
    });
    assert.deepEqual(updated.body.spec, { holderIdentity: 'a', leaseDurationSeconds: 5 });
  });

  it('answers 405 for a verb the resource does not have (metrics are read-only)', async () => {
    const f = fixture();
    assert.equal((await f.request('DELETE', '/apis/metrics.k8s.io/v1beta1/nodes/sandbox')).status, 405);
  });
});

describe('sandbox API: lists and watches', () => {
  async function withLeases() {
    const f = fixture();
    for (const [name, app] of [
      ['a', 'x'],
      ['b', 'y'],
      ['c', undefined],
    ] as const)
      await f.request('POST', LEASES, { body: lease(name, app ? { app } : undefined) });
    return f;
  }
  const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((i) => i.metadata.name);

  it('lists with label and field selectors, items without kind (typed list)', async () => {
    const f = await withLeases();
    const list = (await f.request('GET', `${LEASES}?labelSelector=app`)).body;
    assert.deepEqual(
      [list.kind, list.apiVersion, names(list)],
      ['LeaseList', 'coordination.k8s.io/v1', ['a', 'b']],
    );
    assert.equal(list.items[0].kind, undefined);
    assert.deepEqual(names((await f.request('GET', `${LEASES}?fieldSelector=metadata.name%3Dc`)).body), [
      'c',
    ]);
    assert.deepEqual(
      names((await f.request('GET', '/apis/coordination.k8s.io/v1/leases?labelSelector=app%3Dy')).body),
      ['b'],
    );
  });

  it('pages with limit and continue', async () => {
    const f = await withLeases();
    const first = (await f.request('GET', `${LEASES}?limit=2`)).body;
    assert.deepEqual([names(first), first.metadata.remainingItemCount], [['a', 'b'], 1]);
    const rest = (await f.request('GET', `${LEASES}?limit=2&continue=${first.metadata.continue}`)).body;
    assert.deepEqual([names(rest), rest.metadata.continue], [['c'], undefined]);
    assert.equal((await f.request('GET', `${LEASES}?continue=garbage`)).status, 400);
  });

  it('streams changes after a list resourceVersion, with selector transitions as ADDED/DELETED', async () => {
    const f = await withLeases();
    const rv = (await f.request('GET', LEASES)).body.metadata.resourceVersion;
    const watch = await f.stream(`${LEASES}?watch=1&resourceVersion=${rv}&labelSelector=app%3Dx`);
    await f.request('PATCH', `${LEASES}/a`, {
      body: { spec: { holderIdentity: 'h' } },
      contentType: 'application/merge-patch+json',
    });
    await f.request('PATCH', `${LEASES}/a`, {
      body: { metadata: { labels: { app: 'z' } } },
      contentType: 'application/merge-patch+json',
    });
    await f.request('PATCH', `${LEASES}/c`, {
      body: { metadata: { labels: { app: 'x' } } },
      contentType: 'application/merge-patch+json',
    });
    await f.request('DELETE', `${LEASES}/c`);
    watch.stop();
    await watch.done;
    const events = watch.chunks.map(
      (c) =>
        JSON.parse(c) as {
          type: string;
          object: { metadata: { name: string; labels: Record<string, string> } };
        },
    );
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['MODIFIED a', 'DELETED a', 'ADDED c', 'DELETED c'],
    );
    assert.equal(
      events[1]!.object.metadata.labels.app,
      'x',
      'leaving the selector shows the object as it was',
    );
  });

  it('starts a watch without resourceVersion with ADDED for what exists, and ends it after timeoutSeconds', async () => {
    const f = await withLeases();
    const watch = await f.stream(`${LEASES}?watch=true&timeoutSeconds=5`);
    assert.equal(watch.chunks.length, 3);
    f.env.advance(5000);
    await watch.done;
  });

  it('sends one 410 ERROR event for a resourceVersion from before the server started', async () => {
    const f = await withLeases();
    const watch = await f.stream(`${LEASES}?watch=1&resourceVersion=1`);
    await watch.done;
    const [event] = watch.chunks.map((c) => JSON.parse(c));
    assert.deepEqual([event.type, event.object.code, event.object.reason], ['ERROR', 410, 'Expired']);
  });

  it('renders a Table with the printer columns of the kind', async () => {
    const f = fixture({ startDelayMs: 100 });
    await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 2) });
    f.env.advance(1000);
    const table = (
      await f.request('GET', DEPLOYS, {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      })
    ).body;
    assert.deepEqual(
      table.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    );
    assert.deepEqual(table.rows[0].cells, [
      'web',
      '2/2',
      2,
      2,
      '1s',
      'c',
      'registry.invalid/web:1',
      'app=web',
    ]);
    assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  });
});
