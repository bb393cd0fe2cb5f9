// `kubectl cpa status -o jsonpath=…|custom-columns=…` against the real kubectl: the same template over the
// same objects must print the same bytes. Three annotated Deployments are read both ways — by kubectl as
// Deployments (`kubectl get deploy`) and by `status` as autoscalers whose name, namespace and replicas are
// the Deployment's — with templates that differ only in the field paths (metadata.name ↔ target.name,
// spec.replicas ↔ currentReplicas). Real control plane only: kubectl is the reference.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, shellProject } from '../support/cpa.ts';
import { encodeState } from '../../src/status/schema.ts';
import { recorded } from '../unit/status/fixtures.ts';

const NAMES = ['alpha', 'beta', 'gamma'];

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubectl-cpa.io/status: '${encodeState(recorded({ name, since: new Date().toISOString() }))}'
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: registry.invalid/x:1}]}
`;

/** [status template, kubectl template over Deployments] pairs. */
const JSONPATHS: [string, string][] = [
  ['{.items[*].target.name}', '{.items[*].metadata.name}'],
  [
    '{range .items[*]}{.target.name}{"\\t"}{.currentReplicas}{"\\n"}{end}',
    '{range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}',
  ],
  ['{.items[?(@.currentReplicas>1)].name}', '{.items[?(@.spec.replicas>1)].metadata.name}'],
  ['{.items[?(@.name=="beta")].namespace}', '{.items[?(@.metadata.name=="beta")].metadata.namespace}'],
  ['{.items[1:].name}|{.items[-1].currentReplicas}', '{.items[1:].metadata.name}|{.items[-1].spec.replicas}'],
  ['x{.items[0].missing}y', 'x{.items[0].missing}y'],
];

/** The same for custom-columns (headers included). */
const COLUMNS: [string, string][] = [
  [
    'NAME:.target.name,REPLICAS:.currentReplicas,NAMESPACE:.namespace',
    'NAME:.metadata.name,REPLICAS:.spec.replicas,NAMESPACE:.metadata.namespace',
  ],
  ['N:{.name},X:.nothing,R:currentReplicas', 'N:{.metadata.name},X:.nothing,R:spec.replicas'],
];

describe('status -o jsonpath / custom-columns print what kubectl prints for the same template', () => {
  let cluster: TestCluster;
  let ns: string;
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('status-kubectl');
    await cluster.apply(NAMES.map((n, i) => deployment(n, i + 1)).join('---\n'), ns);
  });

  const both = async (ours: string[], theirs: string[]) => {
    const mine = await cpa(cluster, ['status', '-n', ns, ...ours], { kubeconfig: cluster.adminKubeconfig });
    const kubectl = await cluster.kubectl(['get', 'deployments', '-n', ns, ...theirs]);
    assert.equal(kubectl.exitCode, 0, kubectl.stderr);
    assert.equal(mine.exitCode, 0, mine.stderr);
    return { mine: mine.stdout, kubectl: kubectl.stdout };
  };

  for (const [ours, theirs] of JSONPATHS)
    it(`-o jsonpath=${ours}`, async () => {
      const { mine, kubectl } = await both(['-o', `jsonpath=${ours}`], ['-o', `jsonpath=${theirs}`]);
      assert.notEqual(kubectl, '');
      assert.equal(mine, kubectl);
    });

  for (const [ours, theirs] of COLUMNS)
    it(`-o custom-columns=${ours}`, async () => {
      const { mine, kubectl } = await both(
        ['-o', `custom-columns=${ours}`],
        ['-o', `custom-columns=${theirs}`],
      );
      assert.equal(mine, kubectl);
    });

  it('an empty namespace: the template over the empty list, the header alone', async () => {
    const empty = await cluster.createNamespace('status-kubectl-empty');
    for (const [ours, theirs] of [
      ['jsonpath={.items[*].name}x{"\\n"}', 'jsonpath={.items[*].metadata.name}x{"\\n"}'],
      ['custom-columns=N:.name', 'custom-columns=N:.metadata.name'],
    ]) {
      const mine = await cpa(cluster, ['status', '-n', empty, '-o', ours!], {
        kubeconfig: cluster.adminKubeconfig,
      });
      const kubectl = await cluster.kubectl(['get', 'deployments', '-n', empty, '-o', theirs!]);
      assert.equal(mine.stdout, kubectl.stdout, ours);
      assert.equal(mine.exitCode, 0);
    }
  });

  it('a template that cannot run is an error naming it, as kubectl says', async () => {
    const mine = await cpa(cluster, ['status', '-n', ns, '-o', 'jsonpath={.items[7].name}'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    const kubectl = await cluster.kubectl([
      'get',
      'deployments',
      '-n',
      ns,
      '-o',
      'jsonpath={.items[7].name}',
    ]);
    assert.notEqual(kubectl.exitCode, 0);
    assert.match(kubectl.stderr, /array index out of bounds: index 7, length 3/);
    assert.equal(mine.exitCode, 1);
    assert.match(
      mine.stderr,
      /^error: error executing jsonpath "\{\.items\[7\]\.name\}": array index out of bounds: index 7, length 3\n/,
    );
  });

  it('the table has kubectl get hpa columns, AGE from the first record', async () => {
    const r = await cpa(cluster, ['status', '-n', ns], { kubeconfig: cluster.adminKubeconfig });
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^NAME {3,}REFERENCE {3,}LAST EVALUATION {3}MINPODS {3}MAXPODS {3}REPLICAS {3}AGE$/,
    );
    assert.match(lines[1] ?? '', /^alpha +Deployment\/alpha +3 +1 +5 +1 +\d+s$/);
  });
});

const GROUP = 'status-typed.e2e.cpa.dev';
const SPROCKETS = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: sprockets.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: Sprocket, plural: sprockets, singular: sprocket, shortNames: [spk]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {replicas: {type: integer}}}
          status: {type: object, properties: {replicas: {type: integer}}}
`;
const PROJECT = `
runMode: per-resource
minReplicas: 1
maxReplicas: 5
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo 3"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 3}'"]}}
`;

describe('status TYPE/NAME for a custom resource that run --target annotated', () => {
  it('run --target spk/s1 records on the Sprocket; status sprocket/s1 and spk/s1 show it', async () => {
    const cluster = await useCluster();
    await cluster.apply(SPROCKETS);
    await cluster.waitFor(
      async () => (await cluster.kubectl(['get', `sprockets.${GROUP}`, '-A'])).exitCode === 0,
      60_000,
      'the Sprocket CRD to be served',
    );
    const ns = await cluster.createNamespace('status-typed');
    await cluster.apply(
      `apiVersion: ${GROUP}/v1\nkind: Sprocket\nmetadata: {name: s1}\nspec: {replicas: 1}\n`,
      ns,
    );
    const project = shellProject(PROJECT);
    try {
      const admin = { kubeconfig: cluster.adminKubeconfig };
      const ran = await cpa(cluster, ['run', project.dir, '--once', '--target', 'spk/s1', '-n', ns], admin);
      assert.equal(ran.exitCode, 0, ran.stderr);
      for (const name of ['sprocket/s1', 'spk/s1', `sprockets.${GROUP}/s1`]) {
        const r = await cpa(cluster, ['status', name, '-n', ns], admin);
        assert.equal(r.exitCode, 0, `${name}: ${r.stderr}`);
        assert.match(r.stdout, /^Reference: +Sprocket\/s1$/m, name);
      }
      const listed = await cpa(
        cluster,
        ['status', 'sprocket/s1', '-n', ns, '-o', 'jsonpath={.currentReplicas}'],
        admin,
      );
      assert.equal(listed.stdout, '3');
    } finally {
      project.cleanup();
    }
  });
});
