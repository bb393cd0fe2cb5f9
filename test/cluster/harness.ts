// A real Kubernetes control plane for the e2e tests: etcd, kube-apiserver (RBAC, static tokens, its own
// self-signed serving cert) and kube-controller-manager with only the workload controllers, all on
// 127.0.0.1, built from upstream sources by build.sh. No kubelet: tests make pods Ready by patching status.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeFrontProxy, writeKubeconfig, writeSecrets } from './files.ts';
import type { FrontProxy, Secrets } from './files.ts';
import { apiRequest, httpGetText } from './http.ts';
import { commandLine, freePort, spawnLogged, stopComponent, stopPid, tail, waitUntil } from './procs.ts';
import type { Component } from './procs.ts';

/** Everything a test or `cluster:down` needs to use or stop a running cluster; written to `dir/cluster.json`. */
export interface ClusterInfo {
  server: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  binDir: string;
  /** Component name → pid, in stop order (controller manager, apiserver, etcd). */
  pids: Record<string, number>;
  dir: string;
  adminToken: string;
  restrictedToken: string;
  /** The apiserver's self-signed serving cert followed by its CA; trust anchor for every client. */
  caFile: string;
  logsDir: string;
  /**
   * The aggregation layer's front-proxy CA: kube-apiserver proxies to aggregated APIs (the metrics adapter of
   * test/support/metrics-adapter.ts) with a client certificate of this CA. Absent on clusters started before.
   */
  frontProxyCaFile?: string;
}

/** Options of startCluster. */
export interface StartOptions {
  /** Working directory: data, certificates, secrets, kubeconfigs and `logs/<component>.log` go here. */
  dir: string;
  /** Receives build progress and start-up milestones, one line at a time. */
  log?: (line: string) => void;
  /** Called when a component exits on its own after start-up (never during stopCluster). */
  onCrash?: (name: string, how: string) => void;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
// What stopCluster deletes; logs/ stays for post-mortems.
const DATA = ['etcd', 'pki', 'secrets', 'admin.kubeconfig', 'restricted.kubeconfig', 'cluster.json'];
const BUILD_SCRIPT = fileURLToPath(new URL('./build.sh', import.meta.url));

interface Running {
  components: Component[];
  stopping: boolean;
}
// Handles of the clusters this process started, so stopCluster can wait on 'exit' instead of polling.
const running = new Map<string, Running>();

/** Runs build.sh (a cache hit after the first build) and returns the directory holding the binaries. */
export async function buildBinaries(log: (line: string) => void): Promise<string> {
  const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    lastLines.push(line);
    if (lastLines.length > 40) lastLines.shift();
    log(line);
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  const binDir = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !existsSync(join(binDir, 'kube-apiserver'))) {
    throw new Error(`failed to build the cluster binaries (build.sh exit ${code}):\n${lastLines.join('\n')}`);
  }
  return binDir;
}

/** Builds (or reuses) the binaries, starts etcd → kube-apiserver → kube-controller-manager and waits for /readyz. */
export async function startCluster(opts: StartOptions): Promise<ClusterInfo> {
  const log = opts.log ?? (() => {});
  const dir = resolve(opts.dir);
  const binDir = await buildBinaries(log);
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  // Leftovers of an earlier run in the same dir (stale etcd membership, old certs) would break start-up.
  for (const name of DATA) rmSync(join(dir, name), { recursive: true, force: true });
  const startedMs = Date.now();
  const record: Running = { components: [], stopping: false };
  running.set(dir, record);
  try {
    const etcdUrl = await startEtcd(record, binDir, dir, logsDir);
    log(`etcd ready at ${etcdUrl}`);
    const secrets = writeSecrets(join(dir, 'secrets'));
    const frontProxy = writeFrontProxy(join(dir, 'secrets', 'front-proxy'));
    const { server, caFile } = await startApiserver(
      record,
      binDir,
      dir,
      etcdUrl,
      { secrets, frontProxy },
      log,
    );
    const adminKubeconfig = join(dir, 'admin.kubeconfig');
    const restrictedKubeconfig = join(dir, 'restricted.kubeconfig');
    writeKubeconfig(adminKubeconfig, server, caFile, 'admin', secrets.adminToken);
    writeKubeconfig(restrictedKubeconfig, server, caFile, 'alice', secrets.restrictedToken);
    startControllerManager(record, binDir, adminKubeconfig, logsDir);
    const pids: Record<string, number> = {};
    for (const c of [...record.components].reverse()) pids[c.name] = c.child.pid ?? 0;
    const info: ClusterInfo = {
      ...{ server, adminKubeconfig, restrictedKubeconfig, binDir, pids, dir, caFile, logsDir },
      ...{ adminToken: secrets.adminToken, restrictedToken: secrets.restrictedToken },
      frontProxyCaFile: frontProxy.caFile,
    };
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    watchCrashes(record, opts.onCrash);
    log(`cluster ready at ${server} in ${((Date.now() - startedMs) / 1000).toFixed(1)}s (logs: ${logsDir})`);
    return info;
  } catch (err) {
    await stopRecord(record);
    running.delete(dir);
    throw err;
  }
}

/** Stops controller manager, apiserver and etcd (SIGTERM, SIGKILL after a grace period) and removes their data. */
export async function stopCluster(info: ClusterInfo): Promise<void> {
  const record = running.get(info.dir);
  if (record) {
    await stopRecord(record);
    running.delete(info.dir);
  } else {
    // Not started by this process (cluster:down): stop by pid, but only processes that run our binaries,
    // so a recycled pid never hits an unrelated program.
    for (const pid of Object.values(info.pids)) {
      if (commandLine(pid).includes(info.binDir)) await stopPid(pid, STOP_GRACE_MS);
    }
  }
  for (const name of DATA) {
    rmSync(join(info.dir, name), { recursive: true, force: true });
  }
}

async function stopRecord(record: Running): Promise<void> {
  record.stopping = true;
  for (const component of [...record.components].reverse()) await stopComponent(component, STOP_GRACE_MS);
}

function watchCrashes(record: Running, onCrash: StartOptions['onCrash']): void {
  for (const component of record.components) {
    void component.exited.then((how) => {
      if (!record.stopping) onCrash?.(component.name, `${how}; last log lines:\n${tail(component.logFile)}`);
    });
  }
}

async function startEtcd(record: Running, binDir: string, dir: string, logsDir: string): Promise<string> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const etcd = spawnLogged(
    'etcd',
    join(binDir, 'etcd'),
    [
      '--name=e2e',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      // Test data is thrown away after every run, so durability buys nothing and fsync costs seconds.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    join(logsDir, 'etcd.log'),
  );
  record.components.push(etcd);
  await waitUntil(etcd, 30_000, async () =>
    (await httpGetText(`${clientUrl}/health`)).includes('"health":"true"'),
  );
  return clientUrl;
}

function apiserverArgs(
  dir: string,
  port: number,
  etcdUrl: string,
  pki: { secrets: Secrets; frontProxy: FrontProxy },
  advertise: boolean,
): string[] {
  const { secrets, frontProxy } = pki;
  return [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    // A loopback advertise address cannot go into the `kubernetes` Endpoints, so no endpoint reconciler.
    ...(advertise ? ['--advertise-address=127.0.0.1'] : []),
    '--endpoint-reconciler-type=none',
    // kube-apiserver writes a self-signed CA and a serving cert for 127.0.0.1 here (apiserver.crt = leaf + CA).
    `--cert-dir=${join(dir, 'pki')}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${secrets.saPublicKey}`,
    `--service-account-signing-key-file=${secrets.saPrivateKey}`,
    '--authorization-mode=RBAC',
    `--token-auth-file=${secrets.tokenFile}`,
    // Without a serviceaccount controller no `default` ServiceAccount exists, and this plugin would reject
    // every Pod the ReplicaSet controller creates.
    '--disable-admission-plugins=ServiceAccount',
    // Compact etcd history often (default 5 min) and serve lease watches from etcd rather than the watch
    // cache, so that a lease watch from an old resourceVersion gets 410 Gone soon after start, as on a
    // long-running cluster; the sandbox contract tests compare exactly that.
    '--etcd-compaction-interval=10s',
    '--watch-cache-sizes=leases.coordination.k8s.io#0',
    // The aggregation layer (metrics.k8s.io, custom and external metrics): requests proxied to an aggregated
    // API carry the user in X-Remote-* headers, authenticated by this client certificate. Aggregator routing
    // stays off, so an APIService may point at an ExternalName Service for localhost (research §5.2).
    `--requestheader-client-ca-file=${frontProxy.caFile}`,
    `--requestheader-allowed-names=${frontProxy.clientName}`,
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${frontProxy.clientCertFile}`,
    `--proxy-client-key-file=${frontProxy.clientKeyFile}`,
    '--profiling=false',
    '--v=1',
  ];
}

async function startApiserver(
  record: Running,
  binDir: string,
  dir: string,
  etcdUrl: string,
  pki: { secrets: Secrets; frontProxy: FrontProxy },
  log: (line: string) => void,
): Promise<{ server: string; caFile: string }> {
  const { secrets } = pki;
  const caFile = join(dir, 'pki', 'apiserver.crt');
  for (const advertise of [true, false]) {
    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const logFile = join(dir, 'logs', 'kube-apiserver.log');
    const apiserver = spawnLogged(
      'kube-apiserver',
      join(binDir, 'kube-apiserver'),
      apiserverArgs(dir, port, etcdUrl, pki, advertise),
      logFile,
    );
    record.components.push(apiserver);
    const target = { server, caFile, token: secrets.adminToken };
    const ready = async () =>
      existsSync(caFile) && (await apiRequest(target, 'GET', '/readyz', undefined, 5000)).status === 200;
    try {
      await waitUntil(apiserver, READY_TIMEOUT_MS, ready);
      log(`kube-apiserver ready at ${server}${advertise ? '' : ' (without --advertise-address)'}`);
      return { server, caFile };
    } catch (err) {
      // Fallback from the recipe: if this release refuses a loopback advertise address, advertise the
      // default-route interface instead (it still listens on 127.0.0.1 only).
      const exited = apiserver.child.exitCode !== null;
      if (!advertise || !exited || !/advertise/i.test(tail(logFile, 40))) throw err;
      record.components.pop();
      log('kube-apiserver refused --advertise-address=127.0.0.1; retrying without it');
    }
  }
  throw new Error('unreachable');
}

function startControllerManager(record: Running, binDir: string, kubeconfig: string, logsDir: string): void {
  const kcm = spawnLogged(
    'kube-controller-manager',
    join(binDir, 'kube-controller-manager'),
    [
      `--kubeconfig=${kubeconfig}`,
      // Only what turns Deployments into Pods and cleans up after deletes; no scheduler, no nodes.
      '--controllers=deployment-controller,replicaset-controller,garbage-collector-controller',
      '--leader-elect=false',
      // 0 = serve no HTTPS at all: nothing to allocate and no delegated authn/authz lookups.
      '--secure-port=0',
      '--v=1',
    ],
    join(logsDir, 'kube-controller-manager.log'),
  );
  record.components.push(kcm);
}
