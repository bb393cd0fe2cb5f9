// The deployed pods, proven without a kubelet (the test cluster has none): two processes started exactly as
// the pods of `kubectl cpa deploy` would run — the Deployment's command, args and env as the API server
// stored them, the ConfigMaps' files laid out as the kubelet's atomic writer lays out a projected volume,
// the in-cluster environment (KUBERNETES_SERVICE_HOST/PORT, a ServiceAccount token from the TokenRequest
// API, ca.crt, namespace) — with only the generated Role. Exactly one leads and scales the target by the
// hooks from the ConfigMap (status shows it in-cluster with the leader pod; logs NAME points at that pod);
// SIGKILL it and the other leads within the lease duration and scales; remove a verb from the Role and the
// failure names it; undeploy leaves nothing, the Lease included.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, distDir } from '../support/cpa.ts';
import { WEB, webScaler } from '../support/deploy-project.ts';

interface Container {
  command: string[];
  args: string[];
  env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
}
interface DeploymentSpec {
  spec: {
    template: {
      spec: {
        containers: Container[];
        volumes: {
          name: string;
          projected?: { sources: { configMap: { name: string; items: { key: string; path: string }[] } }[] };
        }[];
      };
    };
  };
}
interface Lease {
  spec: { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
}

/** One "pod": a process started from the container spec, its stderr collected. */
interface FakePod {
  name: string;
  child: ChildProcess;
  stderr: () => string;
  metricsPort: number;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('the deployed pods, without a kubelet', () => {
  let cluster: TestCluster;
  let ns: string;
  const project = webScaler();
  const work = mkdtempSync(join(tmpdir(), 'cpa-pods-'));
  const pods: FakePod[] = [];
  let container: Container;
  let mountDir: string;
  let saDir: string;

  const get = async <T>(path: string): Promise<T> => {
    const reply = await cluster.api('GET', path);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as T;
  };
  const replicas = async () =>
    (await get<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${ns}/deployments/web/scale`)).spec
      .replicas;
  const lease = () => get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/cpa`);
  const setReplicas = (n: number) =>
    cluster.api(
      'PATCH',
      `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`,
      [{ op: 'replace', path: '/spec/replicas', value: n }],
      'application/json-patch+json',
    );

  /** Starts a "pod" named `name`: the container's command and args, MOUNT_DIR at our mount, its own port. */
  async function startPod(name: string): Promise<FakePod> {
    const metricsPort = await freePort();
    const args = container.args.map((a) =>
      a
        .replace(/^\/etc\/kubectl-cpa$/, mountDir)
        // Each pod has its own IP; on one machine each "pod" gets its own port instead.
        .replace(/^--metrics-addr=0\.0\.0\.0:\d+$/, `--metrics-addr=127.0.0.1:${metricsPort}`),
    );
    const fieldRefs: Record<string, string> = { 'metadata.name': name, 'metadata.namespace': ns };
    const podEnv: Record<string, string> = {};
    for (const e of container.env) {
      const ref = e.valueFrom?.fieldRef?.fieldPath;
      if (ref !== undefined) podEnv[e.name] = fieldRefs[ref] ?? '';
    }
    const server = new URL(cluster.server);
    const child = spawn(container.command[0] ?? '', [...container.command.slice(1), ...args], {
      env: {
        PATH: `${distDir}:/usr/local/bin:/usr/bin:/bin`,
        HOME: join(work, 'home'),
        HOSTNAME: name,
        KUBERNETES_SERVICE_HOST: server.hostname,
        KUBERNETES_SERVICE_PORT: server.port,
        KUBECTL_CPA_SERVICE_ACCOUNT_DIR: saDir,
        ...podEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const pod = { name, child, stderr: () => stderr, metricsPort, exited };
    pods.push(pod);
    return pod;
  }

  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('deploy-pods');
    await cluster.apply(WEB, ns);
    const deployed = await cpa(cluster, ['deploy', project.dir, '-n', ns, '--name', 'cpa'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(deployed.exitCode, 0, deployed.stderr);
    const d = await get<DeploymentSpec>(`/apis/apps/v1/namespaces/${ns}/deployments/cpa`);
    const found = d.spec.template.spec.containers[0];
    assert.ok(found);
    container = found;
    // The projected volume as the kubelet's atomic writer makes it: the files in a timestamped directory,
    // `..data` pointing at it, and each top-level entry a link through `..data`.
    mountDir = join(work, 'etc-kubectl-cpa');
    const stamp = join(mountDir, '..2026_12_06_05_00_00.000000001');
    const volume = d.spec.template.spec.volumes.find((v) => v.projected !== undefined);
    const tops = new Set<string>();
    for (const source of volume?.projected?.sources ?? []) {
      const cm = await get<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/configmaps/${source.configMap.name}`,
      );
      for (const item of source.configMap.items) {
        const file = join(stamp, item.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, cm.data?.[item.key] ?? '');
        chmodSync(file, 0o555);
        tops.add(item.path.split('/')[0] ?? '');
      }
    }
    symlinkSync(stamp.split('/').pop() ?? '', join(mountDir, '..data'));
    for (const top of tops) symlinkSync(join('..data', top), join(mountDir, top));
    // The service account files a pod gets: a token from the TokenRequest API, the CA, the namespace.
    saDir = join(work, 'serviceaccount');
    mkdirSync(saDir, { recursive: true });
    mkdirSync(join(work, 'home'), { recursive: true });
    const tokenReply = await cluster.api('POST', `/api/v1/namespaces/${ns}/serviceaccounts/cpa/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    assert.equal(tokenReply.status, 201, tokenReply.body);
    writeFileSync(
      join(saDir, 'token'),
      (JSON.parse(tokenReply.body) as { status: { token: string } }).status.token,
    );
    copyFileSync(cluster.caFile, join(saDir, 'ca.crt'));
    writeFileSync(join(saDir, 'namespace'), ns);
  });

  /** The pods' last log lines, for a failure message. */
  const podLogs = () =>
    pods.map((p) => `--- ${p.name} (pid ${p.child.pid}):\n${p.stderr().slice(-1500)}`).join('\n');
  /** Runs `fn`; a failure carries the pods' logs. */
  async function withLogs<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${podLogs()}`, { cause: err });
    }
  }

  after(async () => {
    for (const pod of pods) pod.child.kill('SIGKILL');
    await Promise.all(pods.map((p) => p.exited));
    rmSync(work, { recursive: true, force: true });
    project.cleanup();
  });

  let leader: FakePod;
  let standby: FakePod;

  it('two pods: exactly one leads and scales the target by the hooks from the ConfigMap', () =>
    withLogs(async () => {
      const a = await startPod('cpa-5d8f9-aaaaa');
      const b = await startPod('cpa-5d8f9-bbbbb');
      const holder = await cluster.waitFor(
        async () => (await lease()).spec.holderIdentity,
        30_000,
        'a Lease holder',
      );
      const byPid = new Map(pods.map((p) => [`${p.name}_${p.child.pid}`, p]));
      const found = byPid.get(holder);
      assert.ok(found, `holder ${holder} is one of ${[...byPid.keys()].join(', ')}`);
      leader = found;
      standby = leader === a ? b : a;
      await cluster.waitFor(async () => (await replicas()) === 3, 30_000, 'the leader to scale web to 3');
      await cluster.waitFor(
        () => standby.stderr().includes('standing by'),
        10_000,
        'the standby to stand by',
      );
      assert.doesNotMatch(standby.stderr(), /became the leader/);
      assert.match(leader.stderr(), /became the leader/);
      // The standby is alive and ready (its probes pass while it waits).
      for (const path of ['/healthz', '/readyz']) {
        const res = await fetch(`http://127.0.0.1:${standby.metricsPort}${path}`);
        assert.equal(res.status, 200, `standby ${path}`);
      }
    }));

  it('status shows the deployed autoscaler as in-cluster, led by the leader pod', () =>
    withLogs(async () => {
      const run = (args: string[]) =>
        cpa(cluster, ['status', '-n', ns, ...args], { kubeconfig: cluster.adminKubeconfig });
      const wide = await run(['-o', 'wide']);
      assert.equal(wide.exitCode, 0, wide.stderr);
      const row = wide.stdout.split('\n').find((l) => l.startsWith('web-scaler '));
      assert.match(row ?? '', new RegExp(`\\sin-cluster\\s.*\\s${leader.name}$`), wide.stdout);
      const json = await run(['-o', 'json']);
      assert.equal(json.exitCode, 0, json.stderr);
      const items = (JSON.parse(json.stdout) as { items: { source: string; leader?: string }[] }).items;
      assert.deepEqual(
        items.map((i) => [i.source, i.leader]),
        [['in-cluster', leader.name]],
      );
      const logs = await cpa(cluster, ['logs', 'web-scaler', '-n', ns], {
        kubeconfig: cluster.adminKubeconfig,
      });
      assert.equal(logs.exitCode, 1, logs.stderr);
      assert.match(logs.stderr, new RegExp(`runs in pod ${leader.name} .*\\n.*logs pod/${leader.name}`));
    }));

  it('SIGKILL the leader: the other leads within the lease duration and scales', (t) =>
    withLogs(async () => {
      const before = (await lease()).spec;
      leader.child.kill('SIGKILL');
      await leader.exited;
      const killedAt = Date.now();
      await setReplicas(1);
      const want = `${standby.name}_${standby.child.pid}`;
      await cluster.waitFor(
        async () => (await lease()).spec.holderIdentity === want,
        30_000,
        'the standby to lead',
      );
      const tookMs = Date.now() - killedAt;
      const leaseMs = (before.leaseDurationSeconds ?? 0) * 1000;
      t.diagnostic(`took over ${tookMs}ms after the SIGKILL (lease ${leaseMs}ms)`);
      // The lease duration counts from when the standby SAW the last renewal (up to one retry period after
      // it), then up to one more retry period until its next try; a second of slack for the test's polling.
      assert.ok(tookMs <= leaseMs + 2 * 2_000 + 1_000, `took over after ${tookMs}ms (lease ${leaseMs}ms)`);
      assert.equal((await lease()).spec.leaseTransitions, (before.leaseTransitions ?? 0) + 1);
      await cluster.waitFor(async () => (await replicas()) === 3, 30_000, 'the new leader to scale web to 3');
      [leader, standby] = [standby, leader];
    }));

  it('the Role is exactly enough: without patch on deployments/scale the cycle fails naming it', () =>
    withLogs(async () => {
      const path = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/kubectl-cpa-cpa`;
      const role = await get<{ rules: { resources: string[]; verbs: string[] }[] }>(path);
      const rule = role.rules.find((r) => r.resources.includes('deployments/scale'));
      assert.deepEqual(rule?.verbs, ['get', 'patch']);
      if (rule) rule.verbs = ['get'];
      const put = await cluster.api('PUT', path, role);
      assert.equal(put.status, 200, put.body);
      const mark = leader.stderr().length;
      await setReplicas(1);
      const failure = await cluster.waitFor(
        () =>
          leader
            .stderr()
            .slice(mark)
            .split('\n')
            .find((l) => l.includes('"cycle-error"') && l.includes('deployments/scale')),
        30_000,
        'a cycle error naming the missing right',
      );
      assert.match(failure, /"patch"/);
      assert.match(failure, new RegExp(`namespace \\\\?"${ns}`));
      assert.equal(await replicas(), 1, 'nothing scaled without the right');
    }));

  it('SIGTERM releases the Lease; undeploy leaves nothing, the Lease included', () =>
    withLogs(async () => {
      leader.child.kill('SIGTERM');
      assert.equal(await leader.exited, 0, leader.stderr().slice(-2000));
      // Released (no holder), or already taken by the standby, which may take it at once.
      const holder = (await lease()).spec.holderIdentity;
      assert.ok(
        holder === '' || holder === `${standby.name}_${standby.child.pid}`,
        `holder after SIGTERM: ${holder}`,
      );
      standby.child.kill('SIGTERM');
      await standby.exited;
      const result = await cpa(cluster, ['undeploy', 'cpa', '-n', ns], {
        kubeconfig: cluster.adminKubeconfig,
      });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /lease\.coordination\.k8s\.io\/cpa deleted/);
      for (const resource of ['leases', 'roles', 'rolebindings'])
        await cluster.waitFor(
          async () => {
            const group = resource === 'leases' ? 'coordination.k8s.io' : 'rbac.authorization.k8s.io';
            const list = await get<{ items: unknown[] }>(`/apis/${group}/v1/namespaces/${ns}/${resource}`);
            return list.items.length === 0;
          },
          30_000,
          `no ${resource} left`,
        );
    }));
});
