// Proves the e2e control plane is real: controllers turn a Deployment into Pods, status patches make them
// Ready, RBAC denies the restricted user until a Role is bound, and the binaries are the pinned release.
// Needs `npm run cluster:up` first.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';

const deployment = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.invalid/web:1}]
`;

const podReader = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads-pods}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`;

interface Owned {
  items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } }[];
}

async function getJson<T>(cluster: TestCluster, path: string): Promise<T> {
  const reply = await cluster.api('GET', path);
  assert.equal(reply.status, 200, `GET ${path}: ${reply.body}`);
  return JSON.parse(reply.body) as T;
}

describe('e2e cluster', { timeout: 180_000 }, () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await useCluster();
  });

  it('reports v1.37.2 for both the kubectl client and the apiserver', async () => {
    const result = await cluster.kubectl(['version', '-o', 'json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const version = JSON.parse(result.stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    assert.equal(version.clientVersion.gitVersion, 'v1.37.2');
    assert.equal(version.serverVersion.gitVersion, 'v1.37.2');
  });

  it('turns a Deployment into a ReplicaSet and Pods that become ready once patched, and collects them on delete', async () => {
    const ns = await cluster.createNamespace('smoke-deploy');
    await cluster.apply(deployment(2), ns);
    const replicaSets = await cluster.waitFor(
      async () => {
        const list = await getJson<Owned>(cluster, `/apis/apps/v1/namespaces/${ns}/replicasets`);
        return list.items.length > 0 && list.items;
      },
      30_000,
      'the deployment controller to create a ReplicaSet',
    );
    assert.deepEqual(
      replicaSets[0]?.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
      ['Deployment/web'],
    );
    await cluster.waitFor(
      async () =>
        (await getJson<Owned>(cluster, `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dweb`)).items
          .length === 2,
      30_000,
      'the replicaset controller to create 2 Pods',
    );

    assert.equal(await cluster.makePodsReady(ns, 'app=web'), 2);
    const status = await cluster.waitFor(
      async () => {
        const d = await getJson<{ status: { readyReplicas?: number; availableReplicas?: number } }>(
          cluster,
          `/apis/apps/v1/namespaces/${ns}/deployments/web`,
        );
        return d.status.readyReplicas === 2 && d.status;
      },
      30_000,
      'deployment web to report 2 ready replicas',
    );
    assert.equal(status.availableReplicas, 2);
    assert.equal(await cluster.makePodsReady(ns, 'app=web'), 0, 'ready pods are left alone');

    const deleted = await cluster.kubectl(['delete', 'deployment', 'web', '-n', ns, '--wait=false']);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    await cluster.waitFor(
      async () => (await getJson<Owned>(cluster, `/api/v1/namespaces/${ns}/pods`)).items.length === 0,
      60_000,
      'the garbage collector to delete the Pods of the deleted Deployment',
    );
  });

  it('forbids the restricted user to list pods until a Role and RoleBinding grant it', async () => {
    const ns = await cluster.createNamespace('smoke-rbac');
    const asAlice = ['get', 'pods', '-n', ns, '-o', 'json'];
    const denied = await cluster.kubectl(asAlice, { kubeconfig: cluster.restrictedKubeconfig });
    assert.equal(denied.exitCode, 1);
    assert.match(denied.stderr, /forbidden: User "alice" cannot list resource "pods"/);

    await cluster.apply(podReader, ns);
    const allowed = await cluster.waitFor(
      async () => {
        const result = await cluster.kubectl(asAlice, { kubeconfig: cluster.restrictedKubeconfig });
        return result.exitCode === 0 && result;
      },
      15_000,
      'the RoleBinding to take effect for alice',
    );
    assert.deepEqual((JSON.parse(allowed.stdout) as { items: unknown[] }).items, []);
    const otherNs = await cluster.kubectl(['get', 'pods', '-n', 'default'], {
      kubeconfig: cluster.restrictedKubeconfig,
    });
    assert.equal(otherNs.exitCode, 1, 'the Role grants nothing outside its namespace');
  });
});
