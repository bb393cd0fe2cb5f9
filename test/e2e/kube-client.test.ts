// The Kubernetes access layer against the real kube-apiserver: kubeconfig loading, discovery, the scale
// subresource of every built-in workload and of a CRD, optimistic concurrency (409), RBAC (403) and
// missing targets (404). Needs `npm run cluster:up` first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectKube } from '../../src/adapters/kube-connect.ts';
import type { CpaKubeClient } from '../../src/ports.ts';
import { useCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { parseTargetFlag } from '../../src/kube/target-flag.ts';
import type { ScaleTargetRef } from '../../src/config/types.ts';
import { KubeError } from '../../src/errors.ts';

const GROUP = 'kube-client.e2e.cpa.dev';

const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wdg]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {replicas: {type: integer}}}
          status: {type: object, properties: {replicas: {type: integer}, selector: {type: string}}}
`;

const podTemplate = (app: string) =>
  `template: {metadata: {labels: {app: ${app}}}, spec: {containers: [{name: c, image: registry.invalid/${app}:1}]}}`;

const workloads = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 1, selector: {matchLabels: {app: web}}, ${podTemplate('web')}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {replicas: 1, serviceName: db, selector: {matchLabels: {app: db}}, ${podTemplate('db')}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs1}
spec: {replicas: 1, selector: {matchLabels: {app: rs1}}, ${podTemplate('rs1')}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec: {replicas: 1, selector: {app: rc1}, ${podTemplate('rc1')}}
---
apiVersion: ${GROUP}/v1
kind: Widget
metadata: {name: w1}
spec: {replicas: 1}
`;

// alice may read the Deployment and its scale, and nothing else.
const readOnly = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: scale-reader}
rules: [{apiGroups: [apps], resources: [deployments, deployments/scale], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads-scale}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: scale-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`;

/** A `--target` value as the CLI will turn it into a ScaleTargetRef. */
async function refFor(client: CpaKubeClient, flag: string): Promise<ScaleTargetRef> {
  const parsed = parseTargetFlag(flag);
  if (parsed.form === 'ref') return parsed.ref;
  const found = await client.lookupResource(parsed.resource, {
    group: parsed.group,
    version: parsed.version,
  });
  return { ...found, name: parsed.name };
}

function kubeError(check: (err: KubeError) => void) {
  return (err: unknown) => {
    assert.ok(err instanceof KubeError, `expected a KubeError, got ${String(err)}`);
    check(err);
    return true;
  };
}

describe('kube client against the real API server', { timeout: 240_000 }, () => {
  let cluster: TestCluster;
  let client: CpaKubeClient;
  let ns = '';

  before(async () => {
    cluster = await useCluster();
    await cluster.apply(crd);
    await cluster.waitFor(
      async () => (await cluster.kubectl(['get', `widgets.${GROUP}`, '-A'])).exitCode === 0,
      60_000,
      'the Widget CRD to be served',
    );
    ns = await cluster.createNamespace('kube-client');
    await cluster.apply(workloads, ns);
    // Stand in for the Widget controller, which would publish the selector and the observed replicas.
    const status = { status: { replicas: 1, selector: 'app=w1' } };
    const path = `/apis/${GROUP}/v1/namespaces/${ns}/widgets/w1/status`;
    const reply = await cluster.api('PATCH', path, status, 'application/merge-patch+json');
    assert.equal(reply.status, 200, reply.body);
    client = (await connectKube({ namespace: ns }, { KUBECONFIG: cluster.adminKubeconfig }, undefined))
      .client;
  });
  after(() => client?.close());

  it('connects through KUBECONFIG like kubectl', async () => {
    const connected = await connectKube({}, { KUBECONFIG: cluster.adminKubeconfig }, undefined);
    connected.client.close();
    assert.equal(connected.server, cluster.server);
    assert.equal(connected.namespace, 'default');
    assert.ok(connected.context !== '');
  });

  const cases = [
    { flag: 'deploy/web', kind: 'Deployment', resource: 'deployments', group: 'apps', selector: 'app=web' },
    { flag: 'sts/db', kind: 'StatefulSet', resource: 'statefulsets', group: 'apps', selector: 'app=db' },
    { flag: 'rs/rs1', kind: 'ReplicaSet', resource: 'replicasets', group: 'apps', selector: 'app=rs1' },
    {
      flag: 'rc/rc1',
      kind: 'ReplicationController',
      resource: 'replicationcontrollers',
      group: '',
      selector: 'app=rc1',
    },
    { flag: `wdg.${GROUP}/w1`, kind: 'Widget', resource: 'widgets', group: GROUP, selector: 'app=w1' },
  ];
  for (const c of cases) {
    it(`resolves, reads and patches the scale of ${c.kind} (${c.flag})`, async () => {
      const target = await client.resolveTarget(await refFor(client, c.flag), ns);
      assert.deepEqual(
        { kind: target.kind, resource: target.resource, group: target.group, hasScale: target.hasScale },
        { kind: c.kind, resource: c.resource, group: c.group, hasScale: true },
      );
      const object = await client.getObject(target);
      assert.equal(object.kind, c.kind);
      const before = await client.getScale(target);
      assert.equal(before.replicas, 1);
      assert.equal(before.selector, c.selector);
      assert.match(before.resourceVersion, /^\d+$/);
      const after = await client.patchScale(target, 3);
      assert.equal(after.replicas, 3);
      const stored = (await client.getObject(target)) as { spec?: { replicas?: number } };
      assert.equal(stored.spec?.replicas, 3);
    });
  }

  for (const c of cases) {
    it(`a ${c.kind} scale patch carrying a stale resourceVersion fails with 409 and changes nothing`, async () => {
      const target = await client.resolveTarget(await refFor(client, c.flag), ns);
      const read = await client.getScale(target);
      // Any write bumps the resourceVersion; a label is one no controller reverts.
      const gr = c.group === '' ? c.resource : `${c.resource}.${c.group}`;
      const label = await cluster.kubectl([
        'label',
        `${gr}/${target.name}`,
        '-n',
        ns,
        `touched=${Date.now()}`,
        '--overwrite',
      ]);
      assert.equal(label.exitCode, 0, label.stderr);
      await assert.rejects(
        client.patchScale(target, read.replicas + 2, read.resourceVersion),
        kubeError((err) => {
          assert.equal(err.details.status, 409);
          assert.equal(err.details.reason, 'Conflict');
          const object = `${gr}/scale "${target.name}" in namespace "${ns}"`;
          assert.equal(
            err.message.startsWith(`failed to patch ${object}: conflict: the object has been modified`),
            true,
            err.message,
          );
        }),
      );
      assert.equal((await client.getScale(target)).replicas, read.replicas);
    });
  }

  it('a patch carrying the current resourceVersion succeeds (CRD: no controller writes to it)', async () => {
    const target = await client.resolveTarget({ apiVersion: `${GROUP}/v1`, kind: 'widget', name: 'w1' }, ns);
    const read = await client.getScale(target);
    const written = await client.patchScale(target, read.replicas + 1, read.resourceVersion);
    assert.equal(written.replicas, read.replicas + 1);
    assert.notEqual(written.resourceVersion, read.resourceVersion);
  });

  it('lists the pods a selector matches, and every pod for an empty selector', async () => {
    const pods = await cluster.waitFor(
      async () => {
        const found = await client.listPods(ns, 'app=web');
        return found.length === 3 ? found : undefined;
      },
      60_000,
      'three web pods from the Deployment controller',
    );
    assert.ok(pods.every((p) => p.metadata?.labels?.app === 'web'));
    const all = await client.listPods(ns, '');
    assert.ok(all.length > pods.length, `${all.length} pods in total`);
    assert.deepEqual(await client.listPods(ns, 'app=nothing'), []);
  });

  it('names the missing target on 404', async () => {
    const target = await client.resolveTarget(
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' },
      ns,
    );
    await assert.rejects(
      client.getObject(target),
      kubeError((err) => {
        assert.equal(err.message, `deployments.apps "missing" not found in namespace "${ns}"`);
        assert.equal(err.details.status, 404);
      }),
    );
    await assert.rejects(
      client.patchScale(target, 1),
      /^KubeError: deployments\.apps "missing" not found in namespace/,
    );
  });

  it('explains a kind the group does not serve, from real discovery', async () => {
    await assert.rejects(
      client.resolveTarget({ apiVersion: 'apps/v1', kind: 'Foo', name: 'x' }, ns),
      /^KubeError: no kind "Foo" in apps\/v1; kinds with a scale subresource there: Deployment, ReplicaSet, StatefulSet$/,
    );
    await assert.rejects(
      client.resolveTarget({ apiVersion: 'apps/v2', kind: 'Deployment', name: 'x' }, ns),
      /the server has no API version "apps\/v2"; group "apps" serves: v1$/,
    );
  });

  it('a Pod resolves without scale and getScale says so', async () => {
    const target = await client.resolveTarget({ apiVersion: 'v1', kind: 'Pod', name: 'x' }, ns);
    assert.equal(target.hasScale, false);
    await assert.rejects(client.getScale(target), /pods "x" has no scale subresource/);
  });

  it('the restricted user gets a 403 naming the missing RBAC rule', async () => {
    await cluster.apply(readOnly, ns);
    const alice = await connectKube(
      { kubeconfig: cluster.restrictedKubeconfig, namespace: ns },
      {},
      undefined,
    );
    try {
      const target = await alice.client.resolveTarget(
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        ns,
      );
      const scale = await cluster.waitFor(
        () => alice.client.getScale(target).catch(() => null),
        30_000,
        'the Role to take effect',
      );
      await assert.rejects(
        alice.client.patchScale(target, scale.replicas + 1),
        kubeError((err) => {
          assert.equal(err.details.status, 403);
          assert.equal(
            err.message,
            `failed to patch deployments.apps/scale "web" in namespace "${ns}": forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "${ns}"`,
          );
          assert.equal(
            err.hint,
            `needs \`patch\` on \`deployments/scale\` (apiGroup "apps") in namespace "${ns}"; ` +
              `check with: kubectl auth can-i patch deployments.apps --subresource=scale -n ${ns}`,
          );
        }),
      );
      await assert.rejects(
        alice.client.listPods(ns, ''),
        /^KubeError: failed to list pods in namespace ".*": forbidden: User "alice" cannot list resource "pods"/,
      );
    } finally {
      alice.client.close();
    }
  });
});
