// Cycle behaviour on the real API server and on the sandbox: per-pod mode over real pods, dry run, a
// concurrent writer (409), downscale stabilization over real time (real cluster only: it tests our own
// stabilization, not the API, and takes seconds), and a target deleted while the loop runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { NEVER_STARTS, clusterKinds, useClusterOf } from '../support/clusters.ts';
import { cpa, jsonEvents, shellProject, startCpa } from '../support/cpa.ts';

const deployment = (name: string, replicas: number, labels = '', podAnnotations: object = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}${labels}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}, annotations: ${JSON.stringify(podAnnotations)}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}
`;

/** A v2 config with shell one-liners; `metric` and `evaluate` are sh scripts reading the payload on stdin. */
const config = (metric: string, evaluate: string, extra = '') => `
${extra}
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(metric)}]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(evaluate)}]}}
`;

/** Reads the label `want` from the payload with python-free tools: the label value is the replica count. */
const LABEL_METRIC = `sed -n 's/.*"want":"\\([0-9]*\\)".*/\\1/p'`;
const ECHO_EVALUATE = `v=$(sed -n 's/.*"value":"\\([0-9]*\\)".*/\\1/p'); echo "{\\"targetReplicas\\": $v}"`;

async function spec(
  cluster: TestCluster,
  ns: string,
  name: string,
): Promise<{ replicas: number; resourceVersion: string }> {
  const body = JSON.parse(
    (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body,
  );
  return { replicas: body.spec.replicas, resourceVersion: body.metadata.resourceVersion };
}

/** Waits until the controllers stop writing the Deployment (same resourceVersion over a second). */
async function settled(
  cluster: TestCluster,
  ns: string,
  name: string,
): Promise<{ replicas: number; resourceVersion: string }> {
  let last = await spec(cluster, ns, name);
  return cluster.waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await spec(cluster, ns, name);
      const same = now.resourceVersion === last.resourceVersion;
      last = now;
      return same ? now : undefined;
    },
    30_000,
    `deployment ${name} to settle`,
  );
}

for (const kind of clusterKinds())
  describe(`cycle behaviour (${kind})`, () => {
    let cluster: TestCluster;
    let ns: string;
    const cleanups: (() => void)[] = [];
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('behaviour');
    });
    after(() => cleanups.forEach((c) => c()));
    const project = (text: string) => {
      const p = shellProject(text);
      cleanups.push(p.cleanup);
      return p.dir;
    };

    it('per-pod mode runs the metric for every pod of the selector, Ready or not, in API order', async () => {
      // No pod starts by itself (no kubelet on the real harness; the sandbox's is told to wait).
      await cluster.apply(deployment('pp', 3, '', NEVER_STARTS), ns);
      await cluster.waitFor(
        async () =>
          JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dpp`)).body)
            .items.length === 3,
        60_000,
        '3 pods',
      );
      const pods = JSON.parse(
        (await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dpp`)).body,
      ).items as { metadata: { name: string } }[];
      // Two pods Ready, one left Pending: CPA hands every pod to the metric step and lets the user decide.
      for (const p of pods.slice(0, 2)) {
        await cluster.api(
          'PATCH',
          `/api/v1/namespaces/${ns}/pods/${p.metadata.name}/status`,
          { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
          'application/strategic-merge-patch+json',
        );
      }
      const metric = `grep -q '"status":"True","type":"Ready"' && echo ready || echo notready`;
      const evaluate = `n=$(grep -o '"value":"ready' | wc -l); echo "{\\"targetReplicas\\": $((n + 2))}"`;
      const dir = project(config(metric, evaluate, 'runMode: per-pod'));
      const result = await cpa(
        cluster,
        ['run', dir, '--once', '--target', 'deploy/pp', '-n', ns, '--log-format', 'json', '-v', '3'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal((await spec(cluster, ns, 'pp')).replicas, 4, 'two ready pods + 2');
      assert.equal((result.stderr.match(/metric gathered for pp-/g) ?? []).length, 3);
    });

    it('--dry-run never patches: the resourceVersion of the target is unchanged', async () => {
      await cluster.apply(deployment('dry', 1, ', want: "7"'), ns);
      const before = await settled(cluster, ns, 'dry');
      const dir = project(config(LABEL_METRIC, ECHO_EVALUATE, 'runMode: per-resource'));
      const result = await cpa(
        cluster,
        ['run', dir, '--once', '--dry-run', '--target', 'deploy/dry', '-n', ns, '--log-format', 'json'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      assert.equal(result.exitCode, 0, result.stderr);
      const decision = jsonEvents(result.stderr).find((e) => e.event === 'decision');
      assert.deepEqual([decision?.from, decision?.to, decision?.action], [1, 7, 'would-scale']);
      assert.deepEqual(await spec(cluster, ns, 'dry'), before);
    });

    it('a writer that changes the target between read and patch (409) still ends at the decided count', async () => {
      await cluster.apply(deployment('race', 1, ', want: "3"'), ns);
      await settled(cluster, ns, 'race');
      // The preScale hook runs after the scale was read and before the PATCH: it plays the other writer.
      const other = `cat > /dev/null; kubectl scale deployment race --replicas=9 -n ${ns} >/dev/null`;
      const extra = `runMode: per-resource\npreScale: {type: shell, timeout: 20000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(other)}]}}`;
      const dir = project(config(LABEL_METRIC, ECHO_EVALUATE, extra));
      const result = await cpa(
        cluster,
        ['run', dir, '--once', '--target', 'deploy/race', '-n', ns, '--log-format', 'json', '-v', '1'],
        { kubeconfig: cluster.adminKubeconfig },
      );
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stderr, /409 Conflict/);
      assert.equal((await spec(cluster, ns, 'race')).replicas, 3);
      const decision = jsonEvents(result.stderr).find((e) => e.event === 'decision');
      assert.deepEqual([decision?.from, decision?.to], [9, 3]);
    });

    if (kind === 'real')
      it('downscale stabilization holds a lower evaluation for the window, then applies it', async () => {
        await cluster.apply(deployment('stab', 5, ', want: "5"'), ns);
        const dir = project(
          config(
            LABEL_METRIC,
            ECHO_EVALUATE,
            'runMode: per-resource\ndownscaleStabilization: 4\nstartTime: 0',
          ),
        );
        const loop = startCpa(
          cluster,
          [
            'run',
            dir,
            '--target',
            'deploy/stab',
            '-n',
            ns,
            '--interval',
            '500ms',
            '--no-api',
            '--log-format',
            'json',
          ],
          { kubeconfig: cluster.adminKubeconfig },
        );
        try {
          await cluster.waitFor(
            () => jsonEvents(loop.stderr()).some((e) => e.event === 'decision'),
            30_000,
            'a first decision',
          );
          await cluster.kubectl(['label', 'deployment', 'stab', 'want=2', '--overwrite', '-n', ns]);
          await cluster.waitFor(
            () =>
              jsonEvents(loop.stderr()).some((e) =>
                (e.reasons as string[] | undefined)?.includes('ScaleDownStabilized'),
              ),
            30_000,
            'a stabilized decision',
          );
          assert.equal((await spec(cluster, ns, 'stab')).replicas, 5, 'held at 5 inside the window');
          await cluster.waitFor(
            async () => (await spec(cluster, ns, 'stab')).replicas === 2,
            30_000,
            'the downscale after the window',
          );
        } finally {
          assert.equal(await loop.stop(), 0, 'SIGTERM stops the loop with exit 0');
        }
      });

    it('a target deleted while running gives a clear error each cycle and resumes when re-created', async () => {
      await cluster.apply(deployment('gone', 1, ', want: "2"'), ns);
      const dir = project(config(LABEL_METRIC, ECHO_EVALUATE, 'runMode: per-resource\nstartTime: 0'));
      const loop = startCpa(
        cluster,
        [
          'run',
          dir,
          '--target',
          'deploy/gone',
          '-n',
          ns,
          '--interval',
          '500ms',
          '--no-api',
          '--log-format',
          'json',
        ],
        { kubeconfig: cluster.adminKubeconfig },
      );
      try {
        await cluster.waitFor(
          async () => (await spec(cluster, ns, 'gone')).replicas === 2,
          30_000,
          'the first scale',
        );
        await cluster.kubectl(['delete', 'deployment', 'gone', '-n', ns, '--wait=false']);
        await cluster.waitFor(
          () => jsonEvents(loop.stderr()).filter((e) => e.event === 'cycle-error').length >= 2,
          30_000,
          'two failed cycles',
        );
        const errors = jsonEvents(loop.stderr()).filter((e) => e.event === 'cycle-error');
        assert.match(String(errors[0]?.message), /not found/);
        await cluster.apply(deployment('gone', 1, ', want: "3"'), ns);
        await cluster.waitFor(
          async () =>
            (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/gone`)).status === 200 &&
            (await spec(cluster, ns, 'gone')).replicas === 3,
          30_000,
          'scaling after re-creation',
        );
      } finally {
        assert.equal(await loop.stop(), 0);
      }
    });
  });
