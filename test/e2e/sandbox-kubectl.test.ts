// The real kubectl v1.37.2 (built by the e2e harness) against the sandbox: get, apply (client- and
// server-side), label, scale, watch, logs, top, delete with cascade, custom resources. Needs the harness's
// binaries (`npm run cluster:up`); the real cluster itself is not used.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster, type KubectlResult, type TestCluster } from '../support/cluster.ts';
import { repoRoot } from '../support/cpa.ts';
import type { SandboxHandle } from '../../src/sandbox/server/server.ts';
import { call, sandboxEndpoint, type Endpoint } from './sandbox-support.ts';

const example = join(repoRoot, 'examples', 'python-custom-autoscaler');

describe('real kubectl against the sandbox', { timeout: 180_000 }, () => {
  let cluster: TestCluster;
  let sandbox: SandboxHandle;
  let ep: Endpoint;
  let dir: string;
  let kubeconfig: string;

  const kubectl = (args: string[], input?: string, timeoutMs?: number): Promise<KubectlResult> =>
    cluster.kubectl(args, { kubeconfig, input, timeoutMs, env: { KUBECACHEDIR: join(dir, 'cache') } });

  async function ok(args: string[], input?: string): Promise<string> {
    const result = await kubectl(args, input);
    assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  async function podNames(selector: string): Promise<string[]> {
    const list = JSON.parse(await ok(['get', 'pods', '-l', selector, '-o', 'json'])) as {
      items: { metadata: { name: string } }[];
    };
    return list.items.map((p) => p.metadata.name).sort();
  }

  before(async () => {
    cluster = await useCluster();
    dir = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-'));
    kubeconfig = join(dir, 'sandbox.kubeconfig');
    ({ sandbox, ep } = await sandboxEndpoint({ kubeconfigOut: kubeconfig, startDelayMs: 200 }));
  });

  after(async () => {
    await sandbox?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the sandbox CA from the kubeconfig (no insecure-skip-tls-verify) and reports the server version', async () => {
    assert.doesNotMatch(readFileSync(kubeconfig, 'utf8'), /insecure-skip-tls-verify/);
    const version = JSON.parse(await ok(['version', '-o', 'json'])) as {
      serverVersion: { major: string; minor: string };
    };
    assert.deepEqual([version.serverVersion.major, version.serverVersion.minor], ['1', '37']);
  });

  it('applies the example deployment (created, configured, unchanged) and records last-applied', async () => {
    const manifest = readFileSync(join(example, 'deployment.yaml'), 'utf8');
    assert.match(await ok(['apply', '-f', '-'], manifest), /deployment.apps\/hello-kubernetes created/);
    assert.match(await ok(['apply', '-f', '-'], manifest), /deployment.apps\/hello-kubernetes unchanged/);
    assert.match(
      await ok(['apply', '-f', '-'], manifest.replace('replicas: 1', 'replicas: 2')),
      /configured/,
    );
    const deploy = JSON.parse(await ok(['get', 'deploy', 'hello-kubernetes', '-o', 'json'])) as {
      metadata: { annotations: Record<string, string> };
      spec: { replicas: number };
    };
    assert.equal(deploy.spec.replicas, 2);
    assert.match(
      deploy.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] ?? '',
      /"replicas":2/,
    );
  });

  it('shows deployments and pods named like the real controllers, Running and Ready', async () => {
    await cluster.waitFor(
      async () => (await ok(['get', 'deploy', 'hello-kubernetes'])).includes(' 2/2 '),
      20_000,
      'deployment 2/2',
    );
    const out = await ok(['get', 'deploy,pods']);
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    assert.match(out, /^deployment.apps\/hello-kubernetes\s+2\/2\s+2\s+2\s+\d+s$/m);
    const pods = out.match(
      /^pod\/hello-kubernetes-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1\/1\s+Running\s+0\s+\d+s$/gm,
    );
    assert.equal(pods?.length, 2, out);
  });

  it('labels with --overwrite (merge patch) and refuses to change a label without it', async () => {
    assert.match(await ok(['label', 'deploy', 'hello-kubernetes', 'numPods=5', '--overwrite']), /labeled/);
    const refused = await kubectl(['label', 'deploy', 'hello-kubernetes', 'numPods=6']);
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.stderr, /already has a value \(5\)/);
    assert.equal(
      (await ok(['get', 'deploy', 'hello-kubernetes', '-o', 'jsonpath={.metadata.labels.numPods}'])).trim(),
      '5',
    );
  });

  it('scales through the scale subresource and watches the change arrive', async () => {
    const watching = kubectl(
      ['get', 'deploy', 'hello-kubernetes', '--watch-only', '-o', 'jsonpath={.spec.replicas}{"\\n"}'],
      undefined,
      6_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    assert.match(await ok(['scale', 'deploy/hello-kubernetes', '--replicas=3']), /scaled/);
    const watched = await watching;
    assert.match(watched.stdout, /^3$/m, `watch output: ${watched.stdout} ${watched.stderr}`);
    await cluster.waitFor(
      async () => (await podNames('run=hello-kubernetes')).length === 3,
      20_000,
      '3 pods',
    );
  });

  it('creates StatefulSet pods by ordinal and ReplicationController pods with random suffixes', async () => {
    const manifests = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {replicas: 2, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: registry.invalid/db:1}]}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec: {replicas: 2, selector: {app: rc1}, template: {metadata: {labels: {app: rc1}}, spec: {containers: [{name: c, image: registry.invalid/rc1:1}]}}}
`;
    await ok(['apply', '-f', '-'], manifests);
    await cluster.waitFor(async () => (await podNames('app=db')).length === 2, 20_000, 'db pods');
    assert.deepEqual(await podNames('app=db'), ['db-0', 'db-1']);
    await cluster.waitFor(async () => (await podNames('app=rc1')).length === 2, 20_000, 'rc pods');
    for (const name of await podNames('app=rc1'))
      assert.match(name, /^rc1-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(await ok(['scale', 'sts/db', '--replicas=1']), /scaled/);
    await cluster.waitFor(async () => (await podNames('app=db')).join() === 'db-0', 20_000, 'db-1 removed');
  });

  it('prints scripted pod logs with --tail and --timestamps', async () => {
    const [pod] = await podNames('run=hello-kubernetes');
    const logs = await ok(['logs', pod!]);
    assert.match(logs, /container hello-kubernetes started/);
    const tail = await ok(['logs', pod!, '--tail=1', '--timestamps']);
    assert.match(tail, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .+\n$/);
  });

  it('shows pod and node metrics with kubectl top', async () => {
    assert.match(
      await ok(['top', 'pod', '-l', 'run=hello-kubernetes']),
      /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m,
    );
    assert.match(await ok(['top', 'node']), /^sandbox\s+\d+m\s+\d+%/m);
  });

  it('serves the CustomPodAutoscaler CRD and the example scalable CRD', async () => {
    assert.match(
      await ok(['apply', '-f', join(example, 'cpa.yaml')]),
      /custompodautoscaler.custompodautoscaler.com\/python-custom-autoscaler created/,
    );
    assert.match(await ok(['get', 'cpa']), /python-custom-autoscaler/);
    const widget =
      'apiVersion: sandbox.kubectl-cpa.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: 2}\n';
    await ok(['apply', '-f', '-'], widget);
    await cluster.waitFor(async () => (await podNames('widget=w')).length === 2, 20_000, 'widget pods');
    assert.match(await ok(['scale', 'widget/w', '--replicas=1']), /scaled/);
    await cluster.waitFor(
      async () => (await podNames('widget=w')).length === 1,
      20_000,
      'widget scaled down',
    );
    const resources = await ok(['api-resources']);
    for (const line of [
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
      /^widgets\s+wdg\s+sandbox.kubectl-cpa.dev\/v1\s+true\s+Widget$/m,
    ])
      assert.match(resources, line);
  });

  it('applies server-side and deletes with cascade (ReplicaSets and pods go too)', async () => {
    const manifest = readFileSync(join(example, 'deployment.yaml'), 'utf8').replace(
      'hello-kubernetes',
      'ssa',
    );
    assert.match(await ok(['apply', '--server-side', '-f', '-'], manifest), /serverside-applied/);
    await cluster.waitFor(
      async () => (await podNames('run=hello-kubernetes')).length >= 4,
      20_000,
      'ssa pod',
    );
    assert.match(await ok(['delete', 'deploy', 'hello-kubernetes', 'ssa']), /deleted/);
    const rs = await call(
      ep,
      'GET',
      '/apis/apps/v1/namespaces/default/replicasets?labelSelector=run%3Dhello-kubernetes',
    );
    assert.deepEqual(rs.json.items, []);
    assert.deepEqual(await podNames('run=hello-kubernetes'), []);
  });

  it('creates a namespace and a deployment with kubectl create (protobuf bodies) and dry-runs on the server', async () => {
    assert.match(await ok(['create', 'namespace', 'team']), /namespace\/team created/);
    assert.match(
      await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', 'team']),
      /created/,
    );
    await cluster.waitFor(
      async () =>
        (await ok(['get', 'pods', '-n', 'team', '-l', 'app=web']))
          .split('\n')
          .filter((l) => / 1\/1 +Running/.test(l)).length === 2,
      20_000,
      '2 Running pods in team',
    );
    assert.match(
      await ok(['create', 'deployment', 'dry', '--image=x', '-n', 'team', '--dry-run=server']),
      /created \(server dry run\)/,
    );
    assert.equal((await kubectl(['get', 'deploy', 'dry', '-n', 'team'])).exitCode, 1);
  });

  it('writes a kubeconfig kubectl can switch to by context name', async () => {
    const copy = join(dir, 'copy.kubeconfig');
    writeFileSync(copy, readFileSync(kubeconfig));
    const result = await cluster.kubectl(['config', 'current-context'], { kubeconfig: copy });
    assert.equal(result.stdout.trim(), 'kubectl-cpa-sandbox');
  });
});
