import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Discovery,
  asResourceList,
  findKind,
  findResourceWord,
  kindNotFoundMessage,
  parseApiVersion,
  scaleKinds,
  type ApiResourceList,
} from '../../../src/kube/discovery.ts';
import { kubeErrorFrom } from '../../../src/kube/api-errors.ts';
import { KubeError } from '../../../src/errors.ts';
import type { KubeRequest, KubeResponse } from '../../../src/ports.ts';

const fixture = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as unknown;

const apps = asResourceList(fixture('apps-v1.json'), { group: 'apps', version: 'v1' });
const core = asResourceList(fixture('core-v1.json'), { group: '', version: 'v1' });
const argo = asResourceList(fixture('argoproj-v1alpha1.json'), { group: 'argoproj.io', version: 'v1alpha1' });
const lists: Record<string, ApiResourceList> = { apps, core, argo };

describe('findKind', () => {
  const rows: { name: string; given: { list: string; kind: string }; want: string | undefined }[] = [
    { name: 'exact kind', given: { list: 'apps', kind: 'Deployment' }, want: 'deployments' },
    { name: 'lower-case kind', given: { list: 'apps', kind: 'statefulset' }, want: 'statefulsets' },
    { name: 'odd case kind', given: { list: 'apps', kind: 'REPLICASET' }, want: 'replicasets' },
    {
      name: 'core kind',
      given: { list: 'core', kind: 'ReplicationController' },
      want: 'replicationcontrollers',
    },
    { name: 'CRD kind', given: { list: 'argo', kind: 'Rollout' }, want: 'rollouts' },
    // `deployments/scale` has kind Scale; a subresource must never be taken for the target.
    { name: 'Scale is only a subresource', given: { list: 'apps', kind: 'Scale' }, want: undefined },
    { name: 'plural is not a kind', given: { list: 'apps', kind: 'deployments' }, want: undefined },
    { name: 'kind of another group', given: { list: 'apps', kind: 'Rollout' }, want: undefined },
  ];
  for (const row of rows) {
    it(row.name, () => assert.equal(findKind(lists[row.given.list]!, row.given.kind)?.name, row.want));
  }
});

describe('findResourceWord', () => {
  const rows: { name: string; given: { list: string; word: string }; want: string | undefined }[] = [
    { name: 'plural', given: { list: 'argo', word: 'rollouts' }, want: 'Rollout' },
    { name: 'singular', given: { list: 'argo', word: 'rollout' }, want: 'Rollout' },
    { name: 'short name', given: { list: 'argo', word: 'ro' }, want: 'Rollout' },
    { name: 'upper case word', given: { list: 'argo', word: 'RO' }, want: 'Rollout' },
    { name: 'core short name', given: { list: 'core', word: 'rc' }, want: 'ReplicationController' },
    { name: 'subresource word is not a resource', given: { list: 'apps', word: 'scale' }, want: undefined },
    { name: 'unknown word', given: { list: 'apps', word: 'foo' }, want: undefined },
  ];
  for (const row of rows) {
    it(row.name, () =>
      assert.equal(findResourceWord(lists[row.given.list]!, row.given.word)?.kind, row.want),
    );
  }
});

describe('scale subresource listing', () => {
  it('lists the kinds with /scale, sorted', () => {
    assert.deepEqual(scaleKinds(apps), ['Deployment', 'ReplicaSet', 'StatefulSet']);
    assert.deepEqual(scaleKinds(core), ['ReplicationController']);
  });
  it('a missing kind names the group/version and what could be scaled there', () => {
    assert.equal(
      kindNotFoundMessage(apps, 'Foo'),
      'no kind "Foo" in apps/v1; kinds with a scale subresource there: Deployment, ReplicaSet, StatefulSet',
    );
  });
  it('a group/version without scalable kinds says so', () => {
    const noScale = {
      groupVersion: 'batch/v1',
      resources: [{ name: 'jobs', kind: 'Job', namespaced: true }],
    };
    assert.equal(
      kindNotFoundMessage(noScale, 'Foo'),
      'no kind "Foo" in batch/v1; batch/v1 has no kinds with a scale subresource',
    );
  });
});

describe('parseApiVersion', () => {
  const rows: { name: string; given: string; want: { group: string; version: string } | RegExp }[] = [
    { name: 'group/version', given: 'apps/v1', want: { group: 'apps', version: 'v1' } },
    { name: 'core', given: 'v1', want: { group: '', version: 'v1' } },
    { name: 'CRD group', given: 'argoproj.io/v1alpha1', want: { group: 'argoproj.io', version: 'v1alpha1' } },
    { name: 'empty', given: '', want: /unexpected GroupVersion string: ""/ },
    { name: 'three parts', given: 'a/b/c', want: /unexpected GroupVersion string: "a\/b\/c"/ },
    { name: 'empty version', given: 'apps/', want: /unexpected GroupVersion string/ },
  ];
  for (const row of rows) {
    it(row.name, () => {
      if (row.want instanceof RegExp) assert.throws(() => parseApiVersion(row.given), row.want);
      else assert.deepEqual(parseApiVersion(row.given), row.want);
    });
  }
});

/** Serves fixture discovery documents by path; anything else is a 404 Status, like the API server. */
class FakeDiscoveryServer {
  readonly calls: string[] = [];
  readonly docs: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/api/v1': fixture('core-v1.json'),
    '/apis': fixture('apis.json'),
    '/apis/apps/v1': fixture('apps-v1.json'),
    '/apis/argoproj.io/v1alpha1': fixture('argoproj-v1alpha1.json'),
    '/apis/autoscaling/v2': { groupVersion: 'autoscaling/v2', resources: [] },
  };

  request = async (req: KubeRequest): Promise<KubeResponse> => {
    this.calls.push(req.path);
    const doc = this.docs[req.path];
    if (doc !== undefined) return { status: 200, body: doc };
    const notFound = {
      kind: 'Status',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    };
    throw kubeErrorFrom({
      call: { verb: 'get', group: '', resource: req.path },
      status: 404,
      statusBody: notFound,
    });
  };
}

describe('Discovery against a fake server', () => {
  it('resolves a kind to its plural and caches the group/version list', async () => {
    const server = new FakeDiscoveryServer();
    const discovery = new Discovery(server.request);
    const first = await discovery.resolve(
      { apiVersion: 'apps/v1', kind: 'deployment', name: 'web' },
      'team-a',
    );
    await discovery.resolve({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, 'team-a');
    assert.deepEqual(first, {
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      kind: 'Deployment',
      name: 'web',
      namespace: 'team-a',
      hasScale: true,
    });
    assert.deepEqual(server.calls, ['/apis/apps/v1']);
  });

  it('reports hasScale false for a kind without /scale', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    const target = await discovery.resolve({ apiVersion: 'v1', kind: 'Pod', name: 'p' }, 'ns');
    assert.equal(target.resource, 'pods');
    assert.equal(target.hasScale, false);
  });

  it('refuses a cluster-scoped kind', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    await assert.rejects(
      discovery.resolve({ apiVersion: 'v1', kind: 'Node', name: 'n' }, 'ns'),
      /Node \(v1\) is cluster-scoped/,
    );
  });

  it('a missing kind lists the scalable kinds and refetches next time (a CRD may appear)', async () => {
    const server = new FakeDiscoveryServer();
    const discovery = new Discovery(server.request);
    const ref = { apiVersion: 'apps/v1', kind: 'Foo', name: 'x' };
    await assert.rejects(discovery.resolve(ref, 'ns'), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.equal(
        err.message,
        'no kind "Foo" in apps/v1; kinds with a scale subresource there: Deployment, ReplicaSet, StatefulSet',
      );
      return true;
    });
    await assert.rejects(discovery.resolve(ref, 'ns'));
    assert.deepEqual(server.calls, ['/apis/apps/v1', '/apis/apps/v1']);
  });

  it('an unknown version of a known group lists the versions it serves', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    await assert.rejects(
      discovery.resolve({ apiVersion: 'apps/v2', kind: 'Deployment', name: 'x' }, 'ns'),
      /^KubeError: the server has no API version "apps\/v2"; group "apps" serves: v1$/,
    );
  });

  it('an unknown group is named, with a CRD hint', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    await assert.rejects(
      discovery.resolve({ apiVersion: 'example.com/v1', kind: 'Foo', name: 'x' }, 'ns'),
      (err: unknown) => {
        assert.ok(err instanceof KubeError);
        assert.equal(
          err.message,
          'the server has no API version "example.com/v1": no API group "example.com" is served',
        );
        assert.match(err.hint ?? '', /CustomResourceDefinition/);
        return true;
      },
    );
  });

  it('an unknown core version lists the core versions', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    await assert.rejects(
      discovery.resolve({ apiVersion: 'v2', kind: 'Pod', name: 'x' }, 'ns'),
      /the server has no API version "v2"; the core group serves: v1/,
    );
  });

  it('looks up a kubectl word across groups, core first', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    assert.deepEqual(await discovery.lookup('ro'), { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' });
    assert.deepEqual(await discovery.lookup('rc'), { apiVersion: 'v1', kind: 'ReplicationController' });
    assert.deepEqual(await discovery.lookup('rollouts', { group: 'argoproj.io' }), {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
    });
  });

  it('a word that no group serves is an error naming it', async () => {
    const discovery = new Discovery(new FakeDiscoveryServer().request);
    await assert.rejects(discovery.lookup('foo'), /the server has no resource type "foo"$/);
    await assert.rejects(
      discovery.lookup('rollouts', { group: 'apps' }),
      /no resource type "rollouts" in API group "apps"/,
    );
  });
});
