// A real kube-apiserver killed (SIGKILL) and restarted under the built `kubectl cpa run` loop. The shared
// harness cluster is never touched: this test starts its own kube-apiserver against the harness's etcd
// (same data, its own port and serving certificate, which it keeps across the restart as kube-apiserver
// does with a cert-dir) and points the run at it; the replica history is watched through the shared
// apiserver, so it has no gap while ours is down. Failed cycles name the server and scale nothing; once
// it is back, the run scales.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ClusterInfo } from '../cluster/harness.ts';
import { apiRequest } from '../cluster/http.ts';
import { clusterPaths } from '../cluster/paths.ts';
import { commandLine, freePort, spawnLogged, stopComponent, type Component } from '../cluster/procs.ts';
import { openWatch, realEndpoint } from '../e2e/sandbox-support.ts';
import { useCluster } from '../support/cluster.ts';
import {
  assertOnlyEvaluated,
  cycleErrors,
  kubeconfigWithCaFile,
  ReplicaHistory,
  steered,
  until,
} from './support/chaos.ts';
import { killRuns, startCpa } from './support/runner.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cpa-chaos-apiserver-'));
let apiserver: Component | undefined;
after(async () => {
  killRuns();
  if (apiserver) await stopComponent(apiserver, 5_000);
  rmSync(scratch, { recursive: true, force: true });
});

/** The etcd URL of the shared cluster, read from its kube-apiserver's command line. */
function sharedEtcd(info: ClusterInfo): string {
  const line = commandLine(info.pids['kube-apiserver'] ?? 0);
  const url = /--etcd-servers=(\S+)/.exec(line)?.[1];
  assert.ok(url, `cannot find --etcd-servers in the shared kube-apiserver's command line: ${line}`);
  return url;
}

/** Starts our kube-apiserver on `port` and waits until /readyz answers 200. */
async function startOwnApiserver(info: ClusterInfo, port: number, certDir: string): Promise<Component> {
  const secrets = join(info.dir, 'secrets');
  const started = spawnLogged(
    'kube-apiserver',
    join(info.binDir, 'kube-apiserver'),
    [
      `--etcd-servers=${sharedEtcd(info)}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${certDir}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(secrets, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(secrets, 'sa.key')}`,
      '--authorization-mode=RBAC',
      `--token-auth-file=${join(secrets, 'tokens.csv')}`,
      '--disable-admission-plugins=ServiceAccount',
      '--profiling=false',
    ],
    join(scratch, 'kube-apiserver.log'),
  );
  const target = {
    server: `https://127.0.0.1:${port}`,
    caFile: join(certDir, 'apiserver.crt'),
    token: info.adminToken,
  };
  await until(
    async () =>
      started.child.exitCode === null &&
      existsSync(target.caFile) &&
      (await apiRequest(target, 'GET', '/readyz', undefined, 2_000).catch(() => ({ status: 0 }))).status ===
        200,
    60_000,
    `our kube-apiserver on port ${port} to be ready (log: ${join(scratch, 'kube-apiserver.log')})`,
  );
  return started;
}

test(
  '(b) a real kube-apiserver killed and restarted mid-loop: failures name it, then it scales',
  { timeout: 120_000 },
  async (t) => {
    const cluster = await useCluster();
    const info = JSON.parse(
      readFileSync(process.env['CPA_E2E_CLUSTER'] ?? clusterPaths.clusterJson, 'utf8'),
    ) as ClusterInfo;
    const port = await freePort();
    const certDir = join(scratch, 'pki');
    apiserver = await startOwnApiserver(info, port, certDir);
    const ns = await cluster.createNamespace('chaos-apiserver');
    const name = 'phoenix';
    await cluster.apply(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}
`,
      ns,
    );
    const history = new ReplicaHistory(name);
    const watch = openWatch(
      realEndpoint(cluster),
      `/apis/apps/v1/namespaces/${ns}/deployments?watch=true&fieldSelector=metadata.name%3D${name}`,
    );
    const follow = setInterval(() => {
      for (const e of watch.events.splice(0))
        if (e.type !== 'DELETED') history.push(Number(e.object.spec.replicas));
    }, 20);
    const server = `https://127.0.0.1:${port}`;
    const kubeconfig = kubeconfigWithCaFile(
      join(scratch, 'kubeconfig'),
      server,
      join(certDir, 'apiserver.crt'),
      info.adminToken,
    );
    const steer = steered(name, { intervalMs: 300, start: 2, namespace: ns, extra: 'runMode: per-resource' });
    const run = startCpa(['run', steer.dir, '--no-api', '--log-format', 'json'], { KUBECONFIG: kubeconfig });
    try {
      await until(() => history.now === 2, 30_000, 'the first scale to 2', run);
      apiserver.child.kill('SIGKILL');
      await apiserver.exited;
      steer.want(4);
      const before = cycleErrors(run).length;
      await until(
        () => cycleErrors(run).length >= before + 2,
        15_000,
        'two failed cycles while it is down',
        run,
      );
      const down = cycleErrors(run).slice(before);
      t.diagnostic(`while down: ${down[0]}`);
      for (const message of down)
        assert.match(message, new RegExp(`${server.replace(/\./g, '\\.')}\\b.*ECONNREFUSED`), message);
      assert.equal(history.now, 2, 'the target changed while our API server was down');
      const restartedMs = Date.now();
      apiserver = await startOwnApiserver(info, port, certDir);
      t.diagnostic(`restarted in ${Date.now() - restartedMs} ms`);
      await until(() => history.now === 4, 30_000, 'the scale to 4 after the restart', run);
      assertOnlyEvaluated(history, steer, 1);
    } finally {
      run.child.kill('SIGKILL');
      clearInterval(follow);
      watch.close();
      await cluster.api('DELETE', `/api/v1/namespaces/${ns}`);
    }
  },
);
