// Every kind with a scale subresource, resolved through discovery on the real API server: StatefulSet,
// ReplicaSet, ReplicationController (core v1) and a CRD of our own with a scale subresource.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, jsonEvents, shellProject } from '../support/cpa.ts';

const CONFIG = `
runMode: per-resource
metric:
  type: shell
  timeout: 5000
  shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo 4"]}
evaluate:
  type: shell
  timeout: 5000
  shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 4}'"]}
`;

const pod = (app: string) =>
  `{metadata: {labels: {app: ${app}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}`;

const WORKLOADS = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {replicas: 1, serviceName: db, selector: {matchLabels: {app: db}}, template: ${pod('db')}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec: {replicas: 1, selector: {matchLabels: {app: rs}}, template: ${pod('rs')}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {replicas: 1, selector: {app: rc}, template: ${pod('rc')}}
`;

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: workers.e2e.cpa.dev}
spec:
  group: e2e.cpa.dev
  scope: Namespaced
  names: {plural: workers, singular: worker, kind: Worker, shortNames: [wk]}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {replicas: {type: integer}}}
            status: {type: object, properties: {replicas: {type: integer}, selector: {type: string}}}
      subresources:
        status: {}
        scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
`;

describe('scale targets through discovery', () => {
  let cluster: TestCluster;
  let ns: string;
  const project = shellProject(CONFIG);
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('targets');
    await cluster.apply(WORKLOADS, ns);
    await cluster.apply(CRD);
    await cluster.waitFor(
      async () => (await cluster.api('GET', '/apis/e2e.cpa.dev/v1')).status === 200,
      30_000,
      'the Worker CRD to be served',
    );
    await cluster.apply(
      'apiVersion: e2e.cpa.dev/v1\nkind: Worker\nmetadata: {name: w}\nspec: {replicas: 1}\n',
      ns,
    );
  });
  after(() => project.cleanup());

  const rows = [
    { target: 'sts/db', path: `apps/v1/namespaces/NS/statefulsets/db` },
    { target: 'replicaset/rs', path: `apps/v1/namespaces/NS/replicasets/rs` },
    { target: 'rc/rc', path: `v1/namespaces/NS/replicationcontrollers/rc` },
    { target: 'e2e.cpa.dev/v1/Worker/w', path: `e2e.cpa.dev/v1/namespaces/NS/workers/w` },
    { target: 'wk/w', path: `e2e.cpa.dev/v1/namespaces/NS/workers/w` },
  ];
  for (const row of rows) {
    it(`scales ${row.target} to 4`, async () => {
      const path = (row.path.startsWith('v1/') ? '/api/' : '/apis/') + row.path.replace('NS', ns);
      await cluster.api(
        'PATCH',
        `${path}/scale`,
        [{ op: 'replace', path: '/spec/replicas', value: 1 }],
        'application/json-patch+json',
      );
      const result = await cpa(
        cluster,
        ['run', project.dir, '--once', '--target', row.target, '-n', ns, '--log-format', 'json'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      assert.equal(result.exitCode, 0, result.stderr);
      const scale = JSON.parse((await cluster.api('GET', `${path}/scale`)).body) as {
        spec: { replicas: number };
      };
      assert.equal(scale.spec.replicas, 4);
      assert.equal(jsonEvents(result.stderr).find((e) => e.event === 'decision')?.to, 4);
    });
  }

  it('a kind without a scale subresource is refused with a clear message', async () => {
    await cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n', ns);
    const result = await cpa(
      cluster,
      ['run', project.dir, '--once', '--target', 'v1/ConfigMap/cm', '-n', ns],
      { kubeconfig: cluster.adminKubeconfig },
    );
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /scale subresource/);
  });
});
