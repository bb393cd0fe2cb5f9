import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentManifest, fixture } from '../support.ts';

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

describe('server-side dry run (dryRun=All)', () => {
  it('answers a create as it would be stored, but stores nothing and tells no watcher', async () => {
    const f = fixture();
    const watch = await f.stream(`${DEPLOYS}?watch=true`);
    const created = await f.request('POST', `${DEPLOYS}?dryRun=All`, { body: deploymentManifest('web', 1) });
    assert.equal(created.status, 201);
    assert.equal(created.body.spec.revisionHistoryLimit, 10);
    assert.equal((await f.request('GET', `${DEPLOYS}/web`)).status, 404);
    watch.stop();
    await watch.done;
    assert.deepEqual(watch.chunks, []);
  });

  it('validates and checks preconditions like a real write, then changes nothing', async () => {
    const f = fixture();
    await f.request('POST', DEPLOYS, { body: deploymentManifest('web', 1) });
    const merge = 'application/merge-patch+json';
    const scaled = await f.request('PATCH', `${DEPLOYS}/web/scale?dryRun=All`, {
      body: { spec: { replicas: 5 } },
      contentType: merge,
    });
    assert.equal(scaled.body.spec.replicas, 5);
    assert.equal(
      (
        await f.request('PATCH', `${DEPLOYS}/web/scale?dryRun=All`, {
          body: { spec: { replicas: -1 } },
          contentType: merge,
        })
      ).status,
      422,
    );
    assert.equal((await f.request('DELETE', `${DEPLOYS}/web?dryRun=All`)).status, 200);
    const stored = (await f.request('GET', `${DEPLOYS}/web`)).body;
    assert.deepEqual([stored.spec.replicas, stored.metadata.generation], [1, 1]);
  });

  it('refuses an unknown dryRun value with 400', async () => {
    const f = fixture();
    const reply = await f.request('POST', `${DEPLOYS}?dryRun=Some`, { body: deploymentManifest('web', 1) });
    assert.deepEqual([reply.status, reply.body.message], [400, 'Invalid dry run value: Some']);
  });
});
