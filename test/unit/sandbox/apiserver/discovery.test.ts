import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  storageVersionHash,
  wantsAggregated,
} from '../../../../src/sandbox/apiserver/discovery.ts';
import { openApiDocument, openApiRoot } from '../../../../src/sandbox/apiserver/openapi.ts';

type Entry = { name: string; verbs: string[]; kind: string; group?: string };

describe('discovery documents', () => {
  it("computes kube-apiserver's storageVersionHash", () => {
    // Values read from a real kube-apiserver v1.37.2.
    assert.equal(storageVersionHash({ group: 'apps', version: 'v1', kind: 'Deployment' }), '8aSe+NMegvE=');
    assert.equal(storageVersionHash({ group: '', version: 'v1', kind: 'Pod' }), 'xPOwRZ+Yhw8=');
  });

  it('lists deployments with their scale subresource in autoscaling/v1', () => {
    const list = apiResourceList('apps', 'v1') as { resources: Entry[] };
    const scale = list.resources.find((r) => r.name === 'deployments/scale');
    assert.deepEqual(scale, {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    assert.deepEqual(
      list.resources.map((r) => r.name).filter((n) => !n.includes('/')),
      ['deployments', 'replicasets', 'statefulsets'],
    );
  });

  it('lists only what it serves: pods with log and status, not exec', () => {
    const names = (apiResourceList('', 'v1') as { resources: Entry[] }).resources.map((r) => r.name);
    assert.ok(
      names.includes('pods/log') &&
        names.includes('pods/status') &&
        names.includes('replicationcontrollers/scale'),
    );
    assert.ok(!names.includes('pods/exec'));
  });

  it('lists custom resources with apiextensions-apiserver verb order', () => {
    const widgets = (apiResourceList('sandbox.kubectl-cpa.dev', 'v1') as { resources: Entry[] })
      .resources[0]!;
    assert.deepEqual(widgets.verbs, [
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'create',
      'update',
      'watch',
    ]);
  });

  it('has no document for a group/version it does not serve', () => {
    assert.equal(apiResourceList('apps', 'v2'), undefined);
  });

  it('names every served group in /apis, metrics.k8s.io included', () => {
    const groups = (apiGroupList() as { groups: { name: string }[] }).groups.map((g) => g.name);
    assert.deepEqual(groups, [
      'apps',
      'coordination.k8s.io',
      'apiextensions.k8s.io',
      'custompodautoscaler.com',
      'sandbox.kubectl-cpa.dev',
      'metrics.k8s.io',
    ]);
  });

  it('answers aggregated discovery only when the Accept header asks for it', () => {
    assert.equal(
      wantsAggregated(
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      ),
      true,
    );
    assert.equal(wantsAggregated('application/json'), false);
    const core = aggregatedDiscovery(true) as {
      items: { metadata: object; versions: { resources: { resource: string }[] }[] }[];
    };
    assert.deepEqual(core.items[0]!.metadata, {});
    assert.ok(core.items[0]!.versions[0]!.resources.some((r) => r.resource === 'pods'));
  });

  it('describes PATCH with fieldValidation and without strategic merge in OpenAPI v3 (kubectl apply validates on the server)', () => {
    const root = openApiRoot() as { paths: Record<string, { serverRelativeURL: string }> };
    assert.match(
      root.paths['apis/apps/v1']!.serverRelativeURL,
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/,
    );
    const doc = openApiDocument('apis/apps/v1') as {
      paths: Record<string, { patch?: { parameters: { name: string }[]; requestBody: { content: object } } }>;
    };
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
    assert.ok(!Object.keys(patch.requestBody.content).includes('application/strategic-merge-patch+json'));
  });
});
