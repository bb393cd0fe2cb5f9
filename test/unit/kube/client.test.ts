import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeClientOver, parseScale, scalePatch } from '../../../src/kube/client.ts';
import { KubeError } from '../../../src/errors.ts';
import type { KubeRequest, KubeResponse, ResolvedTarget } from '../../../src/ports.ts';

/** Records requests and answers each from a queue of bodies. */
class FakeApi {
  readonly calls: KubeRequest[] = [];
  readonly answers: unknown[];
  constructor(...answers: unknown[]) {
    this.answers = answers;
  }
  request = async (req: KubeRequest): Promise<KubeResponse> => {
    this.calls.push(req);
    return { status: 200, body: this.answers.shift() ?? null };
  };
}

const deploy: ResolvedTarget = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  name: 'web',
  namespace: 'team-a',
  hasScale: true,
};
const rc: ResolvedTarget = {
  ...deploy,
  group: '',
  resource: 'replicationcontrollers',
  kind: 'ReplicationController',
};

const scaleBody = {
  kind: 'Scale',
  apiVersion: 'autoscaling/v1',
  metadata: { name: 'web', namespace: 'team-a', resourceVersion: '42' },
  spec: { replicas: 3 },
  status: { replicas: 2, selector: 'app=web' },
};

describe('parseScale', () => {
  const rows: { name: string; given: unknown; want: ReturnType<typeof parseScale> }[] = [
    {
      name: 'full scale',
      given: scaleBody,
      want: { replicas: 3, selector: 'app=web', statusReplicas: 2, resourceVersion: '42' },
    },
    {
      name: 'zero replicas and no selector are omitted by the server',
      given: { metadata: { resourceVersion: '7' }, spec: {}, status: {} },
      want: { replicas: 0, selector: '', statusReplicas: 0, resourceVersion: '7' },
    },
    {
      name: 'wrongly typed fields read as empty',
      given: { spec: { replicas: '3' }, status: { selector: { app: 'web' } } },
      want: { replicas: 0, selector: '', statusReplicas: 0, resourceVersion: '' },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(parseScale(row.given, deploy), row.want));

  it('a non-object answer is a KubeError', () => assert.throws(() => parseScale(null, deploy), KubeError));
});

describe('scalePatch', () => {
  const rows: { name: string; given: [number, string?]; want: string }[] = [
    {
      name: 'CPA’s exact body without a resourceVersion',
      given: [5],
      want: '[{"op":"replace","path":"/spec/replicas","value":5}]',
    },
    {
      name: 'empty resourceVersion adds nothing',
      given: [0, ''],
      want: '[{"op":"replace","path":"/spec/replicas","value":0}]',
    },
    {
      name: 'resourceVersion is set first so a stale write fails',
      given: [2, '42'],
      want: '[{"op":"replace","path":"/metadata/resourceVersion","value":"42"},{"op":"replace","path":"/spec/replicas","value":2}]',
    },
  ];
  for (const row of rows)
    it(row.name, () => assert.equal(JSON.stringify(scalePatch(...row.given)), row.want));
});

describe('kubeClientOver', () => {
  it('GETs the object under /apis for a group and /api for core', async () => {
    const api = new FakeApi({ kind: 'Deployment' }, { kind: 'ReplicationController' });
    const client = kubeClientOver(api.request);
    assert.deepEqual(await client.getObject(deploy), { kind: 'Deployment' });
    await client.getObject(rc);
    assert.deepEqual(
      api.calls.map((c) => `${c.method} ${c.path}`),
      [
        'GET /apis/apps/v1/namespaces/team-a/deployments/web',
        'GET /api/v1/namespaces/team-a/replicationcontrollers/web',
      ],
    );
  });

  it('reads the scale subresource', async () => {
    const api = new FakeApi(scaleBody);
    const scale = await kubeClientOver(api.request).getScale(deploy);
    assert.equal(scale.replicas, 3);
    assert.equal(api.calls[0]?.path, '/apis/apps/v1/namespaces/team-a/deployments/web/scale');
    assert.deepEqual(api.calls[0]?.call, {
      verb: 'get',
      group: 'apps',
      resource: 'deployments',
      namespace: 'team-a',
      name: 'web',
      subresource: 'scale',
    });
  });

  it('JSON-patches the scale with the resourceVersion precondition', async () => {
    const api = new FakeApi({ ...scaleBody, spec: { replicas: 4 } });
    const scale = await kubeClientOver(api.request).patchScale(rc, 4, '42');
    assert.equal(scale.replicas, 4);
    const [call] = api.calls;
    assert.equal(call?.method, 'PATCH');
    assert.equal(call?.path, '/api/v1/namespaces/team-a/replicationcontrollers/web/scale');
    assert.equal(call?.contentType, 'application/json-patch+json');
    assert.deepEqual(call?.body, scalePatch(4, '42'));
  });

  it('refuses a target without /scale before calling the server', async () => {
    const api = new FakeApi();
    const client = kubeClientOver(api.request);
    const pods = { ...deploy, group: '', resource: 'pods', kind: 'Pod', hasScale: false };
    await assert.rejects(
      client.getScale(pods),
      /^KubeError: pods "web" has no scale subresource \(discovery of v1 lists no pods\/scale\)$/,
    );
    await assert.rejects(client.patchScale(pods, 1), /has no scale subresource/);
    assert.equal(api.calls.length, 0);
  });

  it('rejects a replica count that is not a non-negative integer', async () => {
    const client = kubeClientOver(new FakeApi().request);
    await assert.rejects(client.patchScale(deploy, -1), RangeError);
    await assert.rejects(client.patchScale(deploy, 1.5), RangeError);
  });

  it('lists pods page by page with the selector', async () => {
    const api = new FakeApi(
      { items: [{ metadata: { name: 'a' } }], metadata: { continue: 'tok' } },
      { items: [{ metadata: { name: 'b' } }], metadata: {} },
    );
    const pods = await kubeClientOver(api.request).listPods('team-a', 'app=web');
    assert.deepEqual(
      pods.map((p) => p.metadata?.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      api.calls.map((c) => c.query),
      [
        { limit: '500', labelSelector: 'app=web' },
        { limit: '500', labelSelector: 'app=web', continue: 'tok' },
      ],
    );
    assert.equal(api.calls[0]?.path, '/api/v1/namespaces/team-a/pods');
  });

  it('an empty selector lists every pod in the namespace (no labelSelector sent)', async () => {
    const api = new FakeApi({ items: [] });
    await kubeClientOver(api.request).listPods('team-a', '');
    assert.deepEqual(api.calls[0]?.query, { limit: '500' });
  });
});
