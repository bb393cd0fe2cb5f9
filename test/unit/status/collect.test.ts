// Reading the cluster for `status`: which calls are made (a constant number of lists), what a missing CRD
// or a forbidden list does, and how CustomPodAutoscaler pods and logs are found.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, KubeRequest, ResolvedTarget } from '../../../src/ports.ts';
import {
  collect,
  listAll,
  listTargetEvents,
  type ReadPodLog,
  type StatusClient,
} from '../../../src/status/collect.ts';
import { podLogReader } from '../../../src/status/pod-log.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { FakeApi, recorded, workload, type Answer } from './fixtures.ts';

const CPA_LIST = '/apis/custompodautoscaler.com/v1/namespaces/team-a/custompodautoscalers';
const LISTS = [
  '/apis/apps/v1/namespaces/team-a/deployments',
  '/apis/apps/v1/namespaces/team-a/statefulsets',
  '/apis/apps/v1/namespaces/team-a/replicasets',
  '/api/v1/namespaces/team-a/replicationcontrollers',
];

const cr = (name: string): KubeObject => ({
  metadata: { name, namespace: 'team-a' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    template: { spec: { containers: [{ name: 'c' }] } },
  },
});
const podOf = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace: 'team-a', labels },
  spec: { containers: [{ name: 'autoscaler' }] },
  status: { phase: 'Running' },
});

/** A fake cluster: `objects` maps a list path to its items; built-in kinds list empty, the CRD is 404 unless listed. */
function fakeCluster(
  objects: Record<string, KubeObject[]>,
  extra: (req: KubeRequest) => Answer | undefined = () => undefined,
): { api: FakeApi; client: StatusClient } {
  const builtIn = /\/(deployments|statefulsets|replicasets|replicationcontrollers|pods)$/;
  const api = new FakeApi((req) => {
    const items = objects[req.path] ?? (builtIn.test(req.path) ? [] : undefined);
    return extra(req) ?? (items === undefined ? undefined : { body: { items } });
  });
  const client: StatusClient = {
    request: api.request,
    resolveTarget: async (ref, namespace): Promise<ResolvedTarget> => ({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      kind: ref.kind,
      name: ref.name,
      namespace,
      hasScale: true,
    }),
    getScale: async (t) => {
      api.calls.push({
        method: 'GET',
        path: `/apis/apps/v1/namespaces/${t.namespace}/deployments/${t.name}/scale`,
      });
      return { replicas: 7, selector: '', statusReplicas: 7, resourceVersion: '1' };
    },
  };
  return { api, client };
}

const noLogs: ReadPodLog = async () => {
  throw new Error('no log expected');
};

describe('collect', () => {
  it('200 annotated workloads cost the same five list calls as one', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      workload('Deployment', `web-${i}`, { annotation: encodeState(recorded()) }),
    );
    const { api, client } = fakeCluster({ [LISTS[0] as string]: many, [CPA_LIST]: [] });
    const got = await collect(client, { namespace: 'team-a' }, noLogs);
    assert.equal(got.workloads.length, 200);
    assert.deepEqual(api.lines().sort(), [...LISTS, CPA_LIST].map((p) => `GET ${p}`).sort());
    assert.equal(got.workloads[0]?.kind, 'Deployment', 'list items get their kind');
  });

  it('-A lists cluster-wide and passes the label selector on', async () => {
    const { api, client } = fakeCluster({});
    await collect(client, { namespace: null, selector: 'team=a' }, noLogs);
    assert.ok(api.calls.some((c) => c.path === '/apis/apps/v1/deployments'));
    assert.ok(api.calls.every((c) => c.query?.labelSelector === 'team=a'));
  });

  it('a missing CustomPodAutoscaler CRD (404) is not an error', async () => {
    const { client } = fakeCluster({ [LISTS[0] as string]: [] });
    const got = await collect(client, { namespace: 'team-a' }, noLogs);
    assert.deepEqual([got.cpas, got.warnings], [[], []]);
  });

  it('a forbidden list is a warning and the rest is still shown', async () => {
    const forbidden = (req: KubeRequest): Answer | undefined =>
      req.path.endsWith('/statefulsets') ? { status: 403, reason: 'Forbidden' } : undefined;
    const { client } = fakeCluster({ [LISTS[0] as string]: [workload('Deployment', 'web')] }, forbidden);
    const got = await collect(client, { namespace: 'team-a' }, noLogs);
    assert.equal(got.workloads.length, 1);
    assert.equal(got.warnings.length, 1);
    assert.match(got.warnings[0] ?? '', /statefulsets: HTTP 403/);
  });

  it('follows continue tokens page by page', async () => {
    let page = 0;
    const api = new FakeApi(() =>
      page++ === 0
        ? { body: { items: [{}], metadata: { continue: 'next' } } }
        : { body: { items: [{}, {}] } },
    );
    const items = await listAll(api.request, {
      apiVersion: 'v1',
      kind: 'Pod',
      group: '',
      resource: 'pods',
      namespace: 'x',
    });
    assert.equal(items.length, 3);
    assert.deepEqual(
      api.calls.map((c) => c.query?.continue),
      [undefined, 'next'],
    );
  });

  it('CRs: one labelled pod list; the unlabelled list only when a CR has no labelled pod', async () => {
    const labelled = [podOf('a', { 'v1.custompodautoscaler.com/owned-by': 'a' })];
    const pods = '/api/v1/namespaces/team-a/pods';
    const { api, client } = fakeCluster(
      {
        [CPA_LIST]: [cr('a'), cr('b')],
        [LISTS[0] as string]: [workload('Deployment', 'web', { replicas: 2 })],
      },
      (req) => {
        if (req.path !== pods) return undefined;
        return { body: { items: req.query?.labelSelector === undefined ? [podOf('b')] : labelled } };
      },
    );
    const read: string[] = [];
    const got = await collect(client, { namespace: 'team-a' }, async (ns, pod, container) => {
      read.push(`${ns}/${pod}/${container}`);
      return `log of ${pod}`;
    });
    assert.equal(api.calls.filter((c) => c.path === pods).length, 2);
    assert.deepEqual(
      [...got.podsOf].map(([k, v]) => [k, v.map((p) => p.metadata?.name)]),
      [
        ['team-a/a', ['a']],
        ['team-a/b', ['b']],
      ],
    );
    assert.deepEqual(read.sort(), ['team-a/a/autoscaler', 'team-a/b/autoscaler']);
    assert.deepEqual(got.logs.get('team-a/a'), { text: 'log of a' });
    assert.equal(got.replicasOf.get('team-a/a'), 2, 'from the listed Deployment, no extra call');
    assert.ok(!api.lines().some((l) => l.endsWith('/scale')));
  });

  it('a target outside the lists is read through its scale; an unreadable log keeps its reason', async () => {
    const { api, client } = fakeCluster({
      [CPA_LIST]: [cr('a')],
      '/api/v1/namespaces/team-a/pods': [podOf('a', { 'v1.custompodautoscaler.com/owned-by': 'a' })],
    });
    const got = await collect(client, { namespace: 'team-a' }, async () => {
      throw new Error('pod "a" does not have a host assigned');
    });
    assert.equal(got.replicasOf.get('team-a/a'), 7);
    assert.ok(api.lines().includes('GET /apis/apps/v1/namespaces/team-a/deployments/web/scale'));
    assert.deepEqual(got.logs.get('team-a/a'), { error: 'pod "a" does not have a host assigned' });
  });
});

describe('podLogReader', () => {
  it('asks for the tail with kubelet timestamps and the container', async () => {
    const api = new FakeApi(() => ({ body: null, text: '2025-03-01T10:00:00Z I0301 ...\n' }));
    const text = await podLogReader(api.request, 200)('team-a', 'scaler', 'c');
    assert.equal(text, '2025-03-01T10:00:00Z I0301 ...\n');
    assert.equal(api.calls[0]?.path, '/api/v1/namespaces/team-a/pods/scaler/log');
    assert.deepEqual(api.calls[0]?.query, { timestamps: 'true', tailLines: '200', container: 'c' });
  });
  it('an answer without text is an error that says so', async () => {
    const api = new FakeApi(() => ({ body: null }));
    await assert.rejects(podLogReader(api.request, 10)('ns', 'p', undefined), /no readable text/);
  });
});

describe('listTargetEvents', () => {
  it('selects the Events of the target by kind and name', async () => {
    const api = new FakeApi(() => ({ body: { items: [{ reason: 'X' }] } }));
    const got = await listTargetEvents(api.request, { kind: 'Deployment', name: 'web', namespace: 'team-a' });
    assert.deepEqual(got, [{ reason: 'X' }]);
    assert.equal(
      api.calls[0]?.query?.fieldSelector,
      'involvedObject.kind=Deployment,involvedObject.name=web',
    );
  });
});
