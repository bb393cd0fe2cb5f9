// kubernetesMetricSpecs against the sandbox (built binary, no cluster): metrics.k8s.io from the pods' CPU
// series, custom.metrics.k8s.io from `metric.<name>` annotations on pods and objects, external.metrics.k8s.io
// from the namespace's `external.<name>` annotation; RBAC of the sandbox applies as on kube-apiserver.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { cpaBinary, repoRoot } from '../support/cpa.ts';
import { kubernetesMetricsBytes } from '../support/k8s-metrics-scenario.ts';
import { call, type Endpoint } from './sandbox-support.ts';

function start(args: string[]): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
} {
  const child = spawn(cpaBinary, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 124)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function endpointOf(kubeconfig: string): Endpoint {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  return { name: 'sandbox', server: cluster.server, ca, token: config.users[0]!.user.token };
}

const A = 'sandbox.kubectl-cpa.dev';
const SPECS = `  - {type: Resource, resource: {name: cpu, target: {type: Utilization}}}
  - {type: Pods, pods: {metric: {name: requests_per_second}, target: {type: AverageValue}}}
  - {type: Object, object: {describedObject: {apiVersion: apps/v1, kind: Deployment, name: php-apache}, metric: {name: hits}, target: {type: Value}}}
  - {type: External, external: {metric: {name: queue_messages_ready, selector: {matchLabels: {queue: worker_tasks}}}, target: {type: AverageValue}}}
`;

describe('Kubernetes metrics in the sandbox (built binary)', { timeout: 120_000 }, () => {
  let dir: string;
  let kubeconfig: string;
  let sandbox: ReturnType<typeof start>;
  let ep: Endpoint;
  let pods: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-metrics-sandbox-'));
    kubeconfig = join(dir, 'kubeconfig');
    sandbox = start([
      'sandbox',
      '--example',
      'cpu-utilization',
      '--kubeconfig-out',
      kubeconfig,
      '--ready-delay',
      '100ms',
    ]);
    await until(() => (sandbox.stdout().includes(kubeconfig) ? true : undefined), 'the sandbox kubeconfig');
    ep = endpointOf(kubeconfig);
    pods = await until(async () => {
      const list = (await call(ep, 'GET', '/api/v1/namespaces/default/pods?labelSelector=run%3Dphp-apache'))
        .json as {
        items: { metadata: { name: string }; status: { phase?: string } }[];
      };
      const running = list.items.filter((p) => p.status.phase === 'Running');
      return running.length === 2 ? running.map((p) => p.metadata.name).sort() : undefined;
    }, 'two running pods');
    const annotate = (path: string, annotations: Record<string, string>) =>
      call(ep, 'PATCH', path, {
        body: { metadata: { annotations } },
        contentType: 'application/merge-patch+json',
      });
    for (const [i, pod] of pods.entries()) {
      await annotate(`/api/v1/namespaces/default/pods/${pod}`, {
        [`${A}/cpu`]: i === 0 ? '300m' : '100m',
        [`${A}/metric.requests_per_second`]: i === 0 ? '1500m' : '2',
      });
    }
    await annotate('/apis/apps/v1/namespaces/default/deployments/php-apache', {
      [`${A}/metric.hits`]: '2500m',
    });
    await annotate('/api/v1/namespaces/default', {
      [`${A}/external.queue_messages_ready`]: '15',
      [`${A}/external.queue_messages_ready.labels`]: 'queue=worker_tasks',
    });
  });

  after(async () => {
    sandbox?.child.kill('SIGTERM');
    await sandbox?.exited;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('all four sources reach the metric step with the scripted values', async () => {
    const out = join(dir, 'payload.json');
    mkdtempSync(join(dir, 'p-'));
    const project = join(dir, 'project');
    rmSync(project, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(project));
    writeFileSync(
      join(project, 'config.yaml'),
      `runMode: per-resource
requireKubernetesMetrics: true
cpuInitializationPeriod: 0
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > '${out}'; echo 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 2}'"]}}
kubernetesMetricSpecs:
${SPECS}`,
    );
    const run = start([
      'run',
      project,
      '--once',
      '--dry-run',
      '--no-api',
      '--target',
      'deployment/php-apache',
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(await run.exited, 0, run.stderr());
    const k8s = JSON.parse(kubernetesMetricsBytes(readFileSync(out, 'utf8'))) as Record<
      string,
      Record<string, unknown>
    >[];
    const [a, b] = pods as [string, string];
    const value = (m: Record<string, unknown>, pod: string) =>
      (m['pod_metrics_info'] as Record<string, { Value: number }>)[pod]?.Value;
    assert.deepEqual([value(k8s[0]!['resource']!, a), value(k8s[0]!['resource']!, b)], [300, 100]);
    assert.deepEqual(k8s[0]!['resource']!['requests'], { [a]: 200, [b]: 200 });
    assert.deepEqual([value(k8s[1]!['pods']!, a), value(k8s[1]!['pods']!, b)], [1500, 2000]);
    assert.deepEqual(k8s[2]!['object']!['current'], { value: 2500 });
    assert.equal(k8s[2]!['object']!['ready_pod_count'], 2);
    assert.deepEqual(k8s[3]!['external']!['current'], { average_value: 15000 });
  });

  it('a selector that matches no external series: CPA`s "no metrics returned" text', async () => {
    const reply = await call(
      ep,
      'GET',
      '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready?labelSelector=queue%3Dother',
    );
    assert.equal(reply.status, 200);
    assert.deepEqual((reply.json as { items: unknown[] }).items, []);
    const custom = await call(
      ep,
      'GET',
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/deployments.apps/php-apache/absent',
    );
    assert.equal(custom.status, 404);
  });
});
