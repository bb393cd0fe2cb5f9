// Every kind with a scale subresource, resolved through discovery on the real API server and on the
// sandbox: StatefulSet, ReplicaSet, ReplicationController (core v1) and a CRD with a scale subresource (on
// the real server one of our own; the sandbox's CRDs are fixed, so there its example Widget).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { clusterKinds, useClusterOf, type ClusterKind } from '../support/clusters.ts';
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

/** What differs by cluster kind: the scalable CRD, and a served kind without a scale subresource. */
interface KindFixture {
  /** Installs the CRD; the sandbox serves its fixed CRDs from the start. */
  installCrd(cluster: TestCluster): Promise<void>;
  crd: { group: string; object: string; rows: { target: string; path: string }[] };
  /** A kind without a scale subresource: its manifest and the --target naming it. */
  noScale: { manifest: string; target: string };
}

const FIXTURES: Record<ClusterKind, KindFixture> = {
  real: {
    installCrd: async (cluster) => {
      await cluster.apply(CRD);
    },
    crd: {
      group: 'e2e.cpa.dev/v1',
      object: 'apiVersion: e2e.cpa.dev/v1\nkind: Worker\nmetadata: {name: w}\nspec: {replicas: 1}\n',
      rows: [
        { target: 'e2e.cpa.dev/v1/Worker/w', path: `e2e.cpa.dev/v1/namespaces/NS/workers/w` },
        { target: 'wk/w', path: `e2e.cpa.dev/v1/namespaces/NS/workers/w` },
      ],
    },
    noScale: {
      manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n',
      target: 'v1/ConfigMap/cm',
    },
  },
  sandbox: {
    installCrd: async () => {},
    crd: {
      group: 'sandbox.kubectl-cpa.dev/v1',
      object:
        'apiVersion: sandbox.kubectl-cpa.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: 1}\n',
      rows: [
        {
          target: 'sandbox.kubectl-cpa.dev/v1/Widget/w',
          path: `sandbox.kubectl-cpa.dev/v1/namespaces/NS/widgets/w`,
        },
        { target: 'wdg/w', path: `sandbox.kubectl-cpa.dev/v1/namespaces/NS/widgets/w` },
      ],
    },
    // No ConfigMaps in the sandbox: a Lease is as unscalable.
    noScale: {
      manifest: 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: lease}\n',
      target: 'coordination.k8s.io/v1/Lease/lease',
    },
  },
};

for (const kind of clusterKinds())
  describe(`scale targets through discovery (${kind})`, () => {
    const fixture = FIXTURES[kind];
    let cluster: TestCluster;
    let ns: string;
    const project = shellProject(CONFIG);
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('targets');
      await cluster.apply(WORKLOADS, ns);
      await fixture.installCrd(cluster);
      await cluster.waitFor(
        async () => (await cluster.api('GET', `/apis/${fixture.crd.group}`)).status === 200,
        30_000,
        'the CRD to be served',
      );
      await cluster.apply(fixture.crd.object, ns);
    });
    after(() => project.cleanup());

    const rows = [
      { target: 'sts/db', path: `apps/v1/namespaces/NS/statefulsets/db` },
      { target: 'replicaset/rs', path: `apps/v1/namespaces/NS/replicasets/rs` },
      { target: 'rc/rc', path: `v1/namespaces/NS/replicationcontrollers/rc` },
      ...fixture.crd.rows,
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
      await cluster.apply(fixture.noScale.manifest, ns);
      const result = await cpa(
        cluster,
        ['run', project.dir, '--once', '--target', fixture.noScale.target, '-n', ns],
        { kubeconfig: cluster.adminKubeconfig },
      );
      assert.notEqual(result.exitCode, 0);
      assert.match(result.stderr, /scale subresource/);
    });
  });
