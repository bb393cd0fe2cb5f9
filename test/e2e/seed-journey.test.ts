// The getting-started guide's journey with examples/python-custom-autoscaler, unmodified, through real
// `kubectl cpa` plugin dispatch, against the real kube-apiserver and controllers and against the sandbox.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { clusterKinds, useClusterOf } from '../support/clusters.ts';
import { copyProject, jsonEvents, kubectlCpa, repoRoot } from '../support/cpa.ts';

const example = join(repoRoot, 'examples', 'python-custom-autoscaler');

async function replicas(cluster: TestCluster, ns: string): Promise<number> {
  const reply = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/hello-kubernetes`);
  return (JSON.parse(reply.body) as { spec: { replicas: number } }).spec.replicas;
}

async function podCount(cluster: TestCluster, ns: string): Promise<number> {
  const reply = await cluster.api(
    'GET',
    `/api/v1/namespaces/${ns}/pods?labelSelector=run%3Dhello-kubernetes`,
  );
  return (JSON.parse(reply.body) as { items: { metadata: { deletionTimestamp?: string } }[] }).items.filter(
    (p) => !p.metadata.deletionTimestamp,
  ).length;
}

for (const kind of clusterKinds())
  describe(`the seed guide journey (python-custom-autoscaler) (${kind})`, () => {
    let cluster: TestCluster;
    let ns: string;
    const project = copyProject(example);
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('seed');
      await cluster.apply(
        await import('node:fs').then((fs) => fs.readFileSync(join(example, 'deployment.yaml'), 'utf8')),
        ns,
      );
    });
    after(() => project.cleanup());

    const runOnce = (extra: string[] = [], env: Record<string, string> = {}) =>
      kubectlCpa(cluster, ['run', project.dir, '--once', '-n', ns, '--log-format', 'json', ...extra], {
        kubeconfig: cluster.adminKubeconfig,
        env,
      });

    it('scales 1 → 3 from the numPods label, and the controllers create the pods', async () => {
      assert.equal(await replicas(cluster, ns), 1);
      const result = await runOnce(['-v', '1']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(await replicas(cluster, ns), 3);
      const decision = jsonEvents(result.stderr).find((e) => e.event === 'decision');
      assert.deepEqual([decision?.from, decision?.to, decision?.action], [1, 3, 'scaled']);
      assert.match(result.stderr, /\/metric\.py/, 'the Dockerfile mapping is reported at -v 1');
      await cluster.waitFor(
        async () => (await podCount(cluster, ns)) === 3,
        60_000,
        '3 pods from the controllers',
      );
    });

    it('relabelled to 5 → 5', async () => {
      const label = await cluster.kubectl([
        'label',
        'deployment',
        'hello-kubernetes',
        'numPods=5',
        '--overwrite',
        '-n',
        ns,
      ]);
      assert.equal(label.exitCode, 0, label.stderr);
      const result = await runOnce();
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(await replicas(cluster, ns), 5);
    });

    it('the doubling evaluator → 10, and a lower maxReplicas clamps it', async () => {
      copyFileSync(join(project.dir, 'evaluate_double.py'), join(project.dir, 'evaluate.py'));
      const result = await runOnce();
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(await replicas(cluster, ns), 10);
      const clamped = await runOnce([], { maxReplicas: '8' });
      assert.equal(clamped.exitCode, 0, clamped.stderr);
      assert.equal(await replicas(cluster, ns), 8);
      const decision = jsonEvents(clamped.stderr).find((e) => e.event === 'decision');
      assert.deepEqual(decision?.reasons, ['ClampedToMax', 'Scaled']);
    });

    it("label 3 with the doubling evaluator → 6 (the guide's last step)", async () => {
      await cluster.kubectl([
        'label',
        'deployment',
        'hello-kubernetes',
        'numPods=3',
        '--overwrite',
        '-n',
        ns,
      ]);
      const result = await runOnce();
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(await replicas(cluster, ns), 6);
    });

    it("the guide's first evaluator (indexes the dict with [0]) fails naming the step, exit code and traceback", async () => {
      const broken =
        'import json, sys\nmetrics = json.loads(sys.stdin.read())\nprint(json.dumps({"target_replicas": int(metrics[0]["value"])}))\n';
      await import('node:fs').then((fs) => fs.writeFileSync(join(project.dir, 'evaluate.py'), broken));
      const before6 = await replicas(cluster, ns);
      const result = await runOnce();
      assert.equal(result.exitCode, 1);
      const error = jsonEvents(result.stderr).find((e) => e.event === 'cycle-error');
      assert.equal(error?.stage, 'evaluate');
      assert.match(String(error?.message), /evaluate.*exit status 1/s);
      assert.match(String(error?.message), /KeyError: 0/);
      assert.equal(await replicas(cluster, ns), before6, 'a failed cycle never scales');
    });
  });
