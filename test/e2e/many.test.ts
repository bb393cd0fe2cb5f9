// Many autoscalers in one process and one writer per target, on the real API server (and the sandbox):
// `run DIR1 DIR2 DIR3` scales three targets and serves one REST API, /metrics (parsed with a Prometheus
// text-format parser), /healthz and /readyz; two processes on one target → exactly one writes, the other
// names the holder; SIGKILL the holder → the other takes over once the lease (--lease-duration) lapses.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { clusterKinds, useClusterOf } from '../support/clusters.ts';
import { cpa, cpaBinary, distDir, jsonEvents, shellProject } from '../support/cpa.ts';
import { parsePrometheusText, sampleValue } from '../support/prom-text.ts';

const deployment = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}
`;

/** A v2 autoscaler named `name` on deployment `target` whose evaluation is always `replicas`. */
const config = (name: string, ns: string, target: string, replicas: number) => `
name: ${name}
namespace: ${ns}
interval: 500
runMode: per-resource
scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; printf 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo '{\\"targetReplicas\\": ${replicas}}'"]}}
`;

/** dist/kubectl-cpa in the background, killable with any signal; stderr grows as it logs. */
function background(cluster: TestCluster, args: string[]) {
  const child: ChildProcess = spawn(cpaBinary, args, {
    env: {
      ...process.env,
      PATH: `${distDir}:${cluster.binDir}:${process.env['PATH'] ?? ''}`,
      KUBECONFIG: cluster.adminKubeconfig,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    pid: child.pid,
    stderr: () => stderr,
    kill: async (signal: NodeJS.Signals): Promise<number | string> => {
      child.kill(signal);
      const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(guard);
      return code;
    },
  };
}

async function replicas(cluster: TestCluster, ns: string, name: string): Promise<number> {
  const body = JSON.parse(
    (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body,
  );
  return body.spec.replicas as number;
}

async function httpGet(url: string): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

for (const kind of clusterKinds())
  describe(`many autoscalers in one process (${kind})`, () => {
    let cluster: TestCluster;
    let ns: string;
    const cleanups: (() => void | Promise<unknown>)[] = [];
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('many');
    });
    after(async () => {
      for (const c of cleanups) await c();
    });
    const project = (text: string) => {
      const p = shellProject(text);
      cleanups.push(p.cleanup);
      return p.dir;
    };

    it('run DIR1 DIR2 DIR3 scales three targets, with one REST API, /metrics, /healthz and /readyz', async () => {
      for (const n of ['m1', 'm2', 'm3']) await cluster.apply(deployment(n), ns);
      const dirs = [1, 2, 3].map((i) => project(config(`auto-${i}`, ns, `m${i}`, i + 1)));
      const run = background(cluster, ['run', ...dirs, '--api-addr', '127.0.0.1:0', '--log-format', 'json']);
      cleanups.push(() => run.kill('SIGKILL'));
      await cluster.waitFor(
        async () =>
          (await replicas(cluster, ns, 'm1')) === 2 &&
          (await replicas(cluster, ns, 'm2')) === 3 &&
          (await replicas(cluster, ns, 'm3')) === 4,
        30_000,
        'm1, m2, m3 scaled to 2, 3, 4',
      );
      const events = jsonEvents(run.stderr());
      const listening = events.find((e) => String(e.message).startsWith('REST API listening on'));
      const base = /http:\/\/(\S+?)\/autoscalers/.exec(String(listening?.message))?.[1];
      assert.ok(base, run.stderr());
      // Every line about an autoscaler names it.
      const decisions = events.filter((e) => e.event === 'decision');
      assert.deepEqual(new Set(decisions.map((e) => e.autoscaler)), new Set(['auto-1', 'auto-2', 'auto-3']));

      const metricsOf2 = await httpGet(`http://${base}/autoscalers/auto-2/api/v1/metrics`);
      assert.equal(metricsOf2.status, 200, metricsOf2.body);
      assert.deepEqual(JSON.parse(metricsOf2.body), [{ resource: 'm2', value: '1' }]);
      const plain = await httpGet(`http://${base}/api/v1/metrics`);
      assert.equal(plain.status, 404, 'the plain path is kept only for a single autoscaler');
      assert.match(plain.body, /autoscalers\/NAME/);

      assert.equal((await httpGet(`http://${base}/healthz`)).status, 200);
      await cluster.waitFor(
        async () => (await httpGet(`http://${base}/readyz`)).status === 200,
        10_000,
        '/readyz',
      );
      const scraped = await httpGet(`http://${base}/metrics`);
      assert.equal(scraped.status, 200);
      assert.match(scraped.type, /^text\/plain; version=0\.0\.4/);
      const families = parsePrometheusText(scraped.body);
      for (const [i, name] of ['auto-1', 'auto-2', 'auto-3'].entries()) {
        const id = { autoscaler: name, namespace: ns };
        const ok = sampleValue(families, 'kubectl_cpa_cycles_total', { ...id, result: 'success' }) ?? 0;
        assert.ok(ok >= 1, `${name} cycles`);
        assert.equal(sampleValue(families, 'kubectl_cpa_desired_replicas', id), i + 2);
        assert.equal(sampleValue(families, 'kubectl_cpa_target_held', id), 1);
        assert.ok(
          (sampleValue(families, 'kubectl_cpa_hook_duration_seconds_count', { ...id, hook: 'evaluate' }) ??
            0) >= 1,
        );
      }
      assert.equal(families.get('process_resident_memory_bytes')?.type, 'gauge');
      assert.equal(await run.kill('SIGTERM'), 0);
    });

    it('two autoscalers on one target in one process: refused before anything runs', async () => {
      await cluster.apply(deployment('dup'), ns);
      const a = project(config('dup-a', ns, 'dup', 5));
      const b = project(config('dup-b', ns, 'dup', 6));
      const result = await cpa(cluster, ['run', a, b, '--once'], { kubeconfig: cluster.adminKubeconfig });
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /"dup-b" and "dup-a" both scale deployment\/[a-z0-9-]+\/dup/);
      assert.equal(await replicas(cluster, ns, 'dup'), 1);
    });

    it('two processes on one target: exactly one writes, the other names it; SIGKILL it and the other takes over', async () => {
      await cluster.apply(deployment('shared'), ns);
      const flags = ['--no-api', '--lease-duration', '3s', '--log-format', 'json'];
      const first = background(cluster, ['run', project(config('web', ns, 'shared', 2)), ...flags]);
      cleanups.push(() => first.kill('SIGKILL'));
      await cluster.waitFor(
        async () => (await replicas(cluster, ns, 'shared')) === 2,
        30_000,
        'first scales to 2',
      );
      const second = background(cluster, ['run', project(config('web', ns, 'shared', 4)), ...flags]);
      cleanups.push(() => second.kill('SIGKILL'));
      const held = await cluster.waitFor(
        () => {
          const d = jsonEvents(second.stderr()).filter((e) => e.event === 'decision');
          return d.length >= 3 ? d : undefined;
        },
        30_000,
        'three decisions of the second process',
      );
      // The second decides 4 every cycle but never writes: the target stays at the first's 2.
      for (const d of held) {
        assert.equal(d.action, 'held-by-other');
        assert.equal(d.to, 4);
        assert.match(String(d.heldBy), new RegExp(`^web on \\S+ \\(pid ${first.pid}\\)$`));
      }
      assert.equal(await replicas(cluster, ns, 'shared'), 2);
      const eventList = JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/events`)).body) as {
        items: { reason: string; message: string; involvedObject: { name: string } }[];
      };
      const heldEvent = eventList.items.find((e) => e.reason === 'TargetHeldByOther');
      assert.equal(heldEvent?.involvedObject.name, 'shared');
      assert.match(heldEvent?.message ?? '', new RegExp(`held by web on \\S+ \\(pid ${first.pid}\\)`));
      assert.ok(
        !jsonEvents(first.stderr()).some((e) => e.event === 'decision' && e.action === 'held-by-other'),
        'the holder is never held',
      );
      const status = await cpa(cluster, ['status', '-n', ns, '-o', 'wide'], {
        kubeconfig: cluster.adminKubeconfig,
      });
      assert.equal(status.exitCode, 0, status.stderr);
      const row = status.stdout.split('\n').find((line) => / deployment\/shared /i.test(` ${line} `));
      assert.match(row ?? status.stdout, new RegExp(`\\sweb on \\S+ \\(pid ${first.pid}\\)(\\s|$)`));

      const killedAt = Date.now();
      await first.kill('SIGKILL');
      await cluster.waitFor(
        async () => (await replicas(cluster, ns, 'shared')) === 4,
        30_000,
        'the second takes over',
      );
      const tookMs = Date.now() - killedAt;
      const claimed = jsonEvents(second.stderr()).find((e) => String(e.message).startsWith('claimed '));
      assert.match(
        String(claimed?.message),
        new RegExp(`whose claim by web on \\S+ \\(pid ${first.pid}\\) lapsed`),
      );
      // Generous bound that catches a hang; the lease is 3 s.
      assert.ok(tookMs < 20_000, `took ${tookMs} ms`);
      assert.equal(await second.kill('SIGTERM'), 0);
    });
  });
