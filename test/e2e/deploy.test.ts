// `kubectl cpa deploy` / `undeploy` against the real kube-apiserver: the generated objects pass the server's
// own validation and admission (--dry-run=server), exist after the apply with the files of the autoscaler
// directory, a second deploy is an update, and undeploy leaves nothing of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa } from '../support/cpa.ts';
import { CONFIG, WEB, webScaler } from '../support/deploy-project.ts';

const KINDS = [
  ['v1', 'serviceaccounts', 'cpa'],
  ['rbac.authorization.k8s.io/v1', 'roles', 'kubectl-cpa-cpa'],
  ['rbac.authorization.k8s.io/v1', 'rolebindings', 'kubectl-cpa-cpa'],
  ['v1', 'configmaps', 'cpa-web-scaler'],
  ['apps/v1', 'deployments', 'cpa'],
  ['policy/v1', 'poddisruptionbudgets', 'cpa'],
] as const;

function path(apiVersion: string, resource: string, ns: string, name = ''): string {
  const root = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  return `${root}/namespaces/${ns}/${resource}${name ? `/${name}` : ''}`;
}

describe('deploy and undeploy on the real apiserver', () => {
  let cluster: TestCluster;
  let ns: string;
  const project = webScaler();
  const deployArgs = () => [
    'deploy',
    project.dir,
    '-n',
    ns,
    '--name',
    'cpa',
    '--image',
    'example.test/cpa:1',
  ];
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('deploy');
    await cluster.apply(WEB, ns);
  });
  after(() => project.cleanup());

  it('-o yaml prints the objects without sending them', async () => {
    const result = await cpa(cluster, [...deployArgs(), '-o', 'yaml'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const kinds = parseAllDocuments(result.stdout).map((d) => (d.toJSON() as { kind: string }).kind);
    assert.deepEqual(kinds, [
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
    ]);
    assert.equal((await cluster.api('GET', path('apps/v1', 'deployments', ns, 'cpa'))).status, 404);
  });

  it('--dry-run=server: the API server validates and admits every object and stores none', async () => {
    const result = await cpa(cluster, [...deployArgs(), '--dry-run=server'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout.match(/serverside-applied \(server dry run\)/g)?.length, 6, result.stdout);
    for (const [apiVersion, resource, name] of KINDS)
      assert.equal((await cluster.api('GET', path(apiVersion, resource, ns, name))).status, 404, resource);
  });

  it('deploy creates the objects, with the directory files in the ConfigMap; deploying again updates them', async () => {
    const first = await cpa(cluster, deployArgs(), { kubeconfig: cluster.adminKubeconfig });
    assert.equal(first.exitCode, 0, first.stderr);
    for (const [apiVersion, resource, name] of KINDS) {
      const reply = await cluster.api('GET', path(apiVersion, resource, ns, name));
      assert.equal(reply.status, 200, `${resource}/${name}: ${reply.body}`);
      const managers = (JSON.parse(reply.body) as { metadata: { managedFields?: { manager: string }[] } })
        .metadata.managedFields;
      assert.ok(
        managers?.some((m) => m.manager === 'kubectl-cpa'),
        `${resource} applied by field manager kubectl-cpa`,
      );
    }
    const cm = JSON.parse(
      (await cluster.api('GET', path('v1', 'configmaps', ns, 'cpa-web-scaler'))).body,
    ) as {
      data: Record<string, string>;
    };
    assert.equal(cm.data['hooks_evaluate.sh'], `cat > /dev/null\necho '{"targetReplicas": 3}'\n`);
    assert.equal(cm.data['config.yaml'], CONFIG);
    const second = await cpa(cluster, [...deployArgs(), '--replicas', '3'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(second.exitCode, 0, second.stderr);
    const d = JSON.parse((await cluster.api('GET', path('apps/v1', 'deployments', ns, 'cpa'))).body) as {
      spec: { replicas: number };
    };
    assert.equal(d.spec.replicas, 3);
  });

  it('undeploy removes exactly the installation: nothing with its labels is left, the target stays', async () => {
    // Something of ours that deploy did not create stays: the target Deployment.
    const result = await cpa(cluster, ['undeploy', 'cpa', '-n', ns], { kubeconfig: cluster.adminKubeconfig });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /deployment\.apps\/cpa deleted/);
    for (const [apiVersion, resource, name] of KINDS)
      await cluster.waitFor(
        async () => (await cluster.api('GET', path(apiVersion, resource, ns, name))).status === 404,
        30_000,
        `${resource}/${name} to be gone`,
      );
    // The ReplicaSets the Deployment controller made go with it (garbage collector).
    await cluster.waitFor(
      async () => {
        const reply = await cluster.api(
          'GET',
          `${path('apps/v1', 'replicasets', ns)}?labelSelector=app.kubernetes.io/instance%3Dcpa`,
        );
        return (JSON.parse(reply.body) as { items: unknown[] }).items.length === 0;
      },
      30_000,
      'the ReplicaSets of the installation to be gone',
    );
    assert.equal((await cluster.api('GET', path('apps/v1', 'deployments', ns, 'web'))).status, 200);
    const again = await cpa(cluster, ['undeploy', 'cpa', '-n', ns], { kubeconfig: cluster.adminKubeconfig });
    assert.equal(again.exitCode, 0);
    assert.match(again.stderr, /no objects of installation "cpa"/);
  });
});
