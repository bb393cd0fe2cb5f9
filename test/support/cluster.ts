// The e2e tests' handle on the real control plane started by `npm run cluster:up`: the real kubectl built
// from source, raw HTTPS as the admin user, and the chores that replace a kubelet (making Pods Ready).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterInfo } from '../cluster/harness.ts';
import { apiJson, apiRequest } from '../cluster/http.ts';
import type { ApiReply, ApiTarget } from '../cluster/http.ts';
import { clusterPaths } from '../cluster/paths.ts';

/** Outcome of one kubectl run; a non-zero exit is a value, not an exception. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Per-call options of TestCluster.kubectl. */
export interface KubectlOptions {
  /** Defaults to the admin kubeconfig. */
  kubeconfig?: string;
  /** Written to kubectl's stdin. */
  input?: string;
  /** Extra environment, applied last (so it may override PATH or KUBECONFIG). */
  env?: Record<string, string>;
  /** Hang guard; the process is killed and exitCode is 124 when it runs longer. Default 60 s. */
  timeoutMs?: number;
}

/** A running test cluster as seen from an e2e test. */
export interface TestCluster {
  readonly server: string;
  readonly adminKubeconfig: string;
  readonly restrictedKubeconfig: string;
  readonly binDir: string;
  readonly caFile: string;
  readonly adminToken: string;
  readonly restrictedToken: string;
  /** Runs `binDir/kubectl args` (binDir first on PATH, so `kubectl <plugin>` dispatch works). */
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** `kubectl apply -f -` as admin; throws with kubectl's stderr when it fails. Returns kubectl's stdout. */
  apply(yamlText: string, ns?: string): Promise<string>;
  /** Creates a namespace `<prefix>-<random>` (one per test, never reused) and returns its name. */
  createNamespace(prefix: string): Promise<string>;
  /** Patches every matching Pod that is not Ready yet to Running + Ready (there is no kubelet); returns how many it patched. */
  makePodsReady(ns: string, labelSelector: string): Promise<number>;
  /** Polls `fn` until it returns a value other than undefined/null/false; throws naming `what` after `timeoutMs`. */
  waitFor<T>(
    fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  /** One raw request as the admin user (JSON body); any HTTP status is returned, not thrown. */
  api(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiReply>;
}

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    spec: { containers: { name: string; image: string }[] };
    status?: { phase?: string; conditions?: { type: string; status: string }[] };
  }[];
}

const clusters = new Map<string, Promise<TestCluster>>();

/** The cluster from `.cluster/cluster.json` (or $CPA_E2E_CLUSTER); throws telling how to start one when absent. */
export async function useCluster(): Promise<TestCluster> {
  const file = process.env['CPA_E2E_CLUSTER'] ?? clusterPaths.clusterJson;
  let cluster = clusters.get(file);
  if (!cluster) {
    cluster = connect(file);
    clusters.set(file, cluster);
  }
  return cluster;
}

async function connect(file: string): Promise<TestCluster> {
  if (!existsSync(file)) {
    throw new Error(
      `no test cluster: ${file} does not exist; start one with \`npm run cluster:up\` (stop it with \`npm run cluster:down\`)`,
    );
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
  const admin: ApiTarget = { server: info.server, caFile: info.caFile, token: info.adminToken };
  const readyz = await apiRequest(admin, 'GET', '/readyz', undefined, 10_000).catch((err: Error) => ({
    status: 0,
    body: err.message,
  }));
  if (readyz.status !== 200) {
    throw new Error(
      `the test cluster in ${file} is not ready (${readyz.status}: ${readyz.body.slice(0, 200)}); ` +
        'restart it with `npm run cluster:down && npm run cluster:up`',
    );
  }
  return makeTestCluster(info, admin);
}

/** How a cluster brings Pods to Running + Ready (there is no kubelet on the real one; the sandbox has its own). */
export type MakePodsReady = (admin: ApiTarget, ns: string, labelSelector: string) => Promise<number>;

/** The TestCluster over a started cluster: real kubectl from binDir, raw admin HTTPS, and chores. */
export function makeTestCluster(
  info: ClusterInfo,
  admin: ApiTarget,
  podsReady: MakePodsReady = makePodsReady,
): TestCluster {
  const kubectl = (args: string[], opts: KubectlOptions = {}) => runKubectl(info, args, opts);
  const api = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    apiRequest(
      admin,
      method,
      path,
      body === undefined ? undefined : { contentType, text: JSON.stringify(body) },
    );
  return {
    ...{
      server: info.server,
      adminKubeconfig: info.adminKubeconfig,
      restrictedKubeconfig: info.restrictedKubeconfig,
    },
    ...{
      binDir: info.binDir,
      caFile: info.caFile,
      adminToken: info.adminToken,
      restrictedToken: info.restrictedToken,
    },
    kubectl,
    api,
    waitFor,
    async apply(yamlText, ns) {
      const result = await kubectl(['apply', '-f', '-', ...(ns ? ['-n', ns] : [])], { input: yamlText });
      if (result.exitCode !== 0) throw new Error(`failed to apply manifest: ${result.stderr.trim()}`);
      return result.stdout;
    },
    async createNamespace(prefix) {
      const base =
        prefix
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 40) || 'e2e';
      const name = `${base}-${randomBytes(3).toString('hex')}`;
      const reply = await api('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
      if (reply.status !== 201)
        throw new Error(`failed to create namespace ${name}: HTTP ${reply.status}: ${reply.body}`);
      return name;
    },
    makePodsReady: (ns, labelSelector) => podsReady(admin, ns, labelSelector),
  };
}

async function runKubectl(info: ClusterInfo, args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    KUBECONFIG: opts.kubeconfig ?? info.adminKubeconfig,
    // Discovery cache per cluster run (the sandbox has a new port every start) instead of ~/.kube/cache,
    // which would fill up with random ports.
    KUBECACHEDIR: join(info.dir, 'kubectl-cache'),
    PATH: `${info.binDir}:${process.env['PATH'] ?? ''}`,
    ...opts.env,
  };
  const child = spawn(join(info.binDir, 'kubectl'), args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(opts.input ?? '');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('close', done));
  clearTimeout(timer);
  if (code === null)
    return { stdout, stderr: `${stderr}[test harness] kubectl killed after ${timeoutMs}ms\n`, exitCode: 124 };
  return { stdout, stderr, exitCode: code };
}

async function makePodsReady(admin: ApiTarget, ns: string, labelSelector: string): Promise<number> {
  const query = new URLSearchParams({ labelSelector }).toString();
  const pods = await apiJson<PodList>(admin, 'GET', `/api/v1/namespaces/${ns}/pods?${query}`);
  // metav1.Time has second precision; a current timestamp keeps minReadySeconds meaningful.
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let patched = 0;
  for (const pod of pods.items) {
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (
      ready ||
      pod.metadata.deletionTimestamp ||
      pod.status?.phase === 'Succeeded' ||
      pod.status?.phase === 'Failed'
    )
      continue;
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    });
    const status = {
      phase: 'Running',
      startTime: now,
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
      containerStatuses: pod.spec.containers.map((c) => ({
        ...{ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0 },
        state: { running: { startedAt: now } },
      })),
    };
    const path = `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`;
    await apiJson(admin, 'PATCH', path, {
      contentType: 'application/strategic-merge-patch+json',
      text: JSON.stringify({ status }),
    });
    patched++;
  }
  return patched;
}

/** Polls `fn` until it returns a value other than undefined/null/false; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let lastError = '';
  for (const end = Date.now() + timeoutMs; ; await sleep(250)) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= end) {
      throw new Error(
        `timed out after ${timeoutMs}ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
  }
}
