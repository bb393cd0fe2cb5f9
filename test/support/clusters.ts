// The two kinds of cluster the e2e suite runs against, behind one TestCluster interface: the real
// kube-apiserver of `npm run cluster:up`, and the sandbox (kubectl-cpa's embedded API) started once in the
// test process. A test written against TestCluster runs on both: `for (const kind of clusterKinds())`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { renderKubeconfig } from '../../src/sandbox/tls/kubeconfig.ts';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server/server.ts';
import type { ClusterInfo } from '../cluster/harness.ts';
import { sandboxDeps } from './sandbox-deps.ts';
import { apiJson, type ApiTarget } from '../cluster/http.ts';
import { clusterPaths } from '../cluster/paths.ts';
import { makeTestCluster, useCluster, waitFor, type TestCluster } from './cluster.ts';

/** The kinds of cluster an e2e test can run against. */
export type ClusterKind = 'real' | 'sandbox';

const KINDS: readonly ClusterKind[] = ['real', 'sandbox'];

/** Start delay of the sandbox's pods: long enough to see Pending, short enough not to slow tests down. */
export const SANDBOX_START_DELAY_MS = 150;

/** The sandbox's scripting annotations (see README "The sandbox and the demo"). */
export const SANDBOX_ANNOTATION = 'sandbox.kubectl-cpa.dev';

/**
 * Pod template annotations that keep pods Pending on both kinds: the real harness has no kubelet, and the
 * sandbox's kubelet is told to wait a day. The real API server ignores the annotation.
 */
export const NEVER_STARTS = { [`${SANDBOX_ANNOTATION}/start-delay`]: '86400' };

/** The kinds to run: all, or those listed in $CPA_E2E_KINDS (e.g. `sandbox` while iterating on it). */
export function clusterKinds(): ClusterKind[] {
  const asked = process.env['CPA_E2E_KINDS'];
  if (asked === undefined || asked.trim() === '') return [...KINDS];
  const kinds = asked.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !KINDS.includes(k as ClusterKind));
  if (unknown.length > 0)
    throw new Error(`CPA_E2E_KINDS: unknown kind ${unknown.join(', ')}; use ${KINDS.join(', ')}`);
  return kinds as ClusterKind[];
}

/** The cluster of that kind (shared by the whole test process). */
export function useClusterOf(kind: ClusterKind): Promise<TestCluster> {
  return kind === 'real' ? useCluster() : useSandboxCluster();
}

let sandbox: Promise<{ handle: SandboxHandle; cluster: TestCluster; dir: string }> | undefined;

// The sandbox keeps the process alive (its listener); close it once every test of the file has run.
after(async () => {
  const started = await sandbox?.catch(() => undefined);
  if (started === undefined) return;
  await started.handle.close();
  rmSync(started.dir, { recursive: true, force: true });
});

/** One sandbox per test process, started on first use, as a TestCluster; closed when the file's tests end. */
export async function useSandboxCluster(): Promise<TestCluster> {
  sandbox ??= startSandboxCluster();
  return (await sandbox).cluster;
}

/** The real harness's kubectl: the sandbox is driven with the same v1.37.2 client as the real cluster. */
function harnessBinDir(): string {
  const file = process.env['CPA_E2E_CLUSTER'] ?? clusterPaths.clusterJson;
  if (!existsSync(file))
    throw new Error(
      `the sandbox e2e runs use the harness's kubectl, but ${file} does not exist; run \`npm run cluster:up\``,
    );
  return (JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo).binDir;
}

async function startSandboxCluster() {
  const binDir = harnessBinDir();
  const restrictedToken = randomBytes(24).toString('hex');
  const handle = await startSandbox(sandboxDeps(), {
    startDelayMs: SANDBOX_START_DELAY_MS,
    // Like the harness's `alice` before any RoleBinding: authenticated, allowed nothing but discovery.
    users: [{ name: 'alice', token: restrictedToken, rules: [] }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'cpa-e2e-sandbox-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };
  const info: ClusterInfo = {
    server: handle.url,
    adminKubeconfig: write('admin.kubeconfig', handle.kubeconfig),
    restrictedKubeconfig: write(
      'restricted.kubeconfig',
      renderKubeconfig(handle.url, handle.caPem, restrictedToken),
    ),
    binDir,
    pids: {},
    dir,
    adminToken: handle.token,
    restrictedToken,
    caFile: write('ca.crt', handle.caPem),
    logsDir: dir,
  };
  return { handle, cluster: sandboxTestCluster(info), dir };
}

function sandboxTestCluster(info: ClusterInfo): TestCluster {
  const admin: ApiTarget = { server: info.server, caFile: info.caFile, token: info.adminToken };
  return makeTestCluster(info, admin, makePodsReady);
}

interface Pod {
  metadata: { name: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec: { containers: { name: string; image: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const isReady = (pod: Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * The sandbox's kubelet makes pods Running and Ready by itself after the start delay: wait for that (pods
 * with their own start-delay annotation excepted), then patch what it left not Ready (annotation
 * `ready: "false"`, or a pod told to start later) as the real harness does. Afterwards every matching pod
 * is Running and Ready on both kinds; returns how many were not Ready when called.
 */
async function makePodsReady(admin: ApiTarget, ns: string, labelSelector: string): Promise<number> {
  const query = new URLSearchParams({ labelSelector }).toString();
  const live = async () =>
    (await apiJson<{ items: Pod[] }>(admin, 'GET', `/api/v1/namespaces/${ns}/pods?${query}`)).items.filter(
      (p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
    );
  const notReady = (await live()).filter((p) => !isReady(p)).length;
  const ownDelay = (p: Pod) => p.metadata.annotations?.[`${SANDBOX_ANNOTATION}/start-delay`] !== undefined;
  await waitFor(
    async () => (await live()).every((p) => p.status?.phase !== 'Pending' || ownDelay(p)),
    15_000,
    `the sandbox kubelet to start the pods ${labelSelector} in ${ns}`,
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const pod of (await live()).filter((p) => !isReady(p))) {
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    });
    const status = {
      phase: 'Running',
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
      containerStatuses: pod.spec.containers.map((c) => ({
        ...{ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0 },
        state: { running: { startedAt: now } },
      })),
    };
    const path = `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`;
    const text = JSON.stringify({ status });
    await apiJson(admin, 'PATCH', path, { contentType: 'application/strategic-merge-patch+json', text });
  }
  return notReady;
}
