// The REST API of a running `kubectl cpa run` against the real cluster and the sandbox, served by the same
// pipeline as the loop, and a clean stop on SIGTERM while a hook is still running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { clusterKinds, useClusterOf } from '../support/clusters.ts';
import { shellProject, startCpa, type BackgroundCpa } from '../support/cpa.ts';

const CONFIG = `
runMode: per-resource
interval: 600000
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo 6"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 6}'"]}}
`;

const SLOW = `
runMode: per-resource
startTime: 0
metric: {type: shell, timeout: 60000, shell: {entrypoint: /bin/sh, command: ["-c", "sleep 50 & sleep 50; echo 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "echo '{\\"targetReplicas\\": 1}'"]}}
`;

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec: {replicas: 1, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}}
`;

async function apiAddress(cluster: TestCluster, loop: BackgroundCpa): Promise<string> {
  return cluster.waitFor(
    () => /REST API listening on (http:\/\/[^/\s]+)/.exec(loop.stderr())?.[1],
    30_000,
    'the REST API address',
  );
}

for (const kind of clusterKinds())
  describe(`REST API (${kind})`, () => {
    let cluster: TestCluster;
    let ns: string;
    const project = shellProject(CONFIG);
    const slow = shellProject(SLOW);
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('api');
      await cluster.apply(DEPLOYMENT, ns);
    });
    after(() => {
      project.cleanup();
      slow.cleanup();
    });

    it('serves metrics and evaluations; only a non-dry-run evaluation scales', async () => {
      const loop = startCpa(
        cluster,
        ['run', project.dir, '--target', 'deploy/api', '-n', ns, '--api-addr', '127.0.0.1:0'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      try {
        const base = await apiAddress(cluster, loop);
        const metrics = await fetch(`${base}/api/v1/metrics`);
        assert.equal(metrics.status, 200);
        assert.deepEqual(await metrics.json(), [{ resource: 'api', value: '6\n' }]);
        const dry = await fetch(`${base}/api/v1/evaluation?dry_run=true`, { method: 'POST' });
        assert.deepEqual([dry.status, await dry.text()], [200, '{"targetReplicas":6}']);
        const replicasAfterDry = JSON.parse(
          (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/api`)).body,
        ).spec.replicas;
        assert.equal(replicasAfterDry, 1);
        const real = await fetch(`${base}/api/v1/evaluation`, { method: 'POST' });
        assert.deepEqual([real.status, await real.text()], [200, '{"targetReplicas":6}']);
        const replicas = JSON.parse(
          (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/api`)).body,
        ).spec.replicas;
        assert.equal(replicas, 6);
        const bad = await fetch(`${base}/api/v1/evaluation?dry_run=maybe`, { method: 'POST' });
        assert.equal(bad.status, 400);
        assert.deepEqual(await bad.json(), {
          message: "Invalid format for 'dry_run' query parameter; 'maybe' is not a valid boolean value",
          code: 400,
        });
      } finally {
        assert.equal(await loop.stop(), 0);
      }
    });

    it('SIGTERM during a running hook kills it (with its children) and exits 0', async () => {
      const loop = startCpa(
        cluster,
        ['run', slow.dir, '--target', 'deploy/api', '-n', ns, '--interval', '200ms', '--no-api', '-v', '4'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      await cluster.waitFor(
        () => loop.stderr().includes('calling metric'),
        30_000,
        'the metric hook to start',
      );
      const started = performance.now();
      assert.equal(await loop.stop(), 0, loop.stderr());
      assert.ok(performance.now() - started < 9_000, 'stopped without waiting for the 50 s hook');
    });
  });
