// `kubectl cpa logs` and `kubectl cpa status` end to end against the sandbox, whose kubelet serves pod logs
// (the real test control plane has none): a CustomPodAutoscaler object and its operator-labelled pod,
// whose log is scripted (annotation sandbox.kubectl-cpa.dev/log) as Go CPA v2.12.2 glog lines — two
// decided cycles around a failed one — through real kubectl plugin dispatch, with kubelet timestamps.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { SANDBOX_ANNOTATION, useSandboxCluster } from '../support/clusters.ts';
import { distDir, kubectlCpa, repoRoot } from '../support/cpa.ts';

const OWNED_BY = 'v1.custompodautoscaler.com/owned-by';
const PICKED = 'scaling.go:111] Picked max evaluation over stabilization window of 0 seconds; replicas';

/** What the `web` autoscaler logged, by seconds after its container started. */
const WEB_LOG: { at: number; lines: string[] }[] = [
  {
    at: 0,
    lines: [
      'I0612 14:03:05.101010       1 main.go:140] Custom Pod Autoscaler version: v2.12.2',
      'I0612 14:03:05.102514       1 main.go:234] Starting autoscaler',
    ],
  },
  {
    at: 1,
    lines: [
      `I0612 14:03:15.310742       1 ${PICKED} 2`,
      'I0612 14:03:15.310801       1 scaling.go:158] No change in target replicas, maintaining 2 replicas',
    ],
  },
  {
    at: 2,
    lines: [
      'I0612 14:03:25.400031       1 shell.go:90] Shell command failed, stderr: Traceback (most recent call last):',
      '  File "/metric.py", line 9, in main',
      "KeyError: 'numPods'",
      'E0612 14:03:25.400177       1 main.go:266] Error while autoscaling: failed to get metrics: failed to gather metrics: exit status 1',
    ],
  },
  {
    at: 3,
    lines: [
      `I0612 14:03:35.310742       1 ${PICKED} 4`,
      'I0612 14:03:35.310801       1 scaling.go:134] Rescaling from 2 to 4 replicas',
    ],
  },
];
const script = (log: typeof WEB_LOG) =>
  log.flatMap(({ at, lines }) => [`+${at} ${lines[0]!}`, ...lines.slice(1)]).join('\n');
const webText = WEB_LOG.flatMap((c) => c.lines.map((l) => `${l}\n`)).join('');

/** A Go CPA scaling every second: round n rescales n0 → n1, so each round is told apart. */
const TICKER_SCRIPT = `+0 I0612 14:03:15.310742       1 ${PICKED} {n}1\nI0612 14:03:15.310801       1 scaling.go:134] Rescaling from {n}0 to {n}1 replicas`;

const cpaObject = (name: string) => ({
  apiVersion: 'custompodautoscaler.com/v1',
  kind: 'CustomPodAutoscaler',
  metadata: { name },
  spec: {
    template: { spec: { containers: [{ name, image: 'registry.invalid/cpa:1' }] } },
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    config: [
      { name: 'minReplicas', value: '2' },
      { name: 'maxReplicas', value: '6' },
      { name: 'interval', value: '10000' },
    ],
  },
});

const operatorPod = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    labels: { [OWNED_BY]: name, 'app.kubernetes.io/managed-by': 'custom-pod-autoscaler-operator' },
    annotations,
  },
  spec: { containers: [{ name, image: 'registry.invalid/cpa:1' }] },
});

const WEB_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'registry.invalid/x:1' }] },
    },
  },
};

async function create(cluster: TestCluster, path: string, body: unknown): Promise<void> {
  const reply = await cluster.api('POST', path, body);
  assert.equal(reply.status, 201, reply.body);
}

/** `kubectl cpa ARGS` through plugin dispatch in the background, until it is stopped with a signal. */
function follow(cluster: TestCluster, args: string[]) {
  const child = spawn(join(cluster.binDir, 'kubectl'), ['cpa', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KUBECONFIG: cluster.adminKubeconfig,
      PATH: `${distDir}:${cluster.binDir}:${process.env['PATH'] ?? ''}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve(code ?? 124);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The rounds of the ticker in a text, in order of appearance. */
const rounds = (text: string): number[] =>
  [...text.matchAll(/Rescaling from (\d+)0 to \1(?:1) replicas|(\d+)0 → \2(?:1) /g)].map((m) =>
    Number(m[1] ?? m[2]),
  );

describe('kubectl cpa logs and status against the sandbox (scripted Go CPA pod logs)', () => {
  let cluster: TestCluster;
  let ns: string;
  /** When the `web` container started (second precision, as the pod status says). */
  let startedMs: number;
  const run = async (args: string[]) => {
    const r = await kubectlCpa(cluster, [...args, '-n', ns], { kubeconfig: cluster.adminKubeconfig });
    return r;
  };
  /** `2026-…T…Z` of `web`'s line `at` seconds after its start, as --decisions shows it. */
  const at = (s: number) => new Date(startedMs + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

  before(async () => {
    cluster = await useSandboxCluster();
    ns = await cluster.createNamespace('logs-sandbox');
    await create(cluster, `/apis/apps/v1/namespaces/${ns}/deployments`, WEB_DEPLOYMENT);
    for (const name of ['web', 'ticker'])
      await create(cluster, `/apis/custompodautoscaler.com/v1/namespaces/${ns}/custompodautoscalers`, {
        ...cpaObject(name),
      });
    await create(
      cluster,
      `/api/v1/namespaces/${ns}/pods`,
      operatorPod('web', { [`${SANDBOX_ANNOTATION}/log`]: script(WEB_LOG) }),
    );
    await create(
      cluster,
      `/api/v1/namespaces/${ns}/pods`,
      operatorPod('ticker', {
        [`${SANDBOX_ANNOTATION}/log`]: TICKER_SCRIPT,
        [`${SANDBOX_ANNOTATION}/log-every`]: '1',
      }),
    );
    await cluster.makePodsReady(ns, OWNED_BY);
    const pod = JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/pods/web`)).body);
    startedMs = Date.parse(pod.status.containerStatuses[0].state.running.startedAt);
    await cluster.waitFor(
      async () =>
        (await cluster.api('GET', `/api/v1/namespaces/${ns}/pods/web/log`)).body.includes('Rescaling'),
      15_000,
      'the last scripted cycle of web',
    );
  });

  it('prints the log of the CustomPodAutoscaler’s pod, found by the operator label', async () => {
    const r = await run(['logs', 'web']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, webText);
    assert.equal(r.stderr, '');
  });

  it('--tail 2 --timestamps: the last two lines with the kubelet’s stamps', async () => {
    const r = await run(['logs', 'web', '--tail', '2', '--timestamps']);
    assert.equal(r.exitCode, 0, r.stderr);
    const stamp = at(3).replace(/Z$/, '.000000000Z');
    assert.equal(r.stdout, WEB_LOG[3]!.lines.map((l) => `${stamp} ${l}\n`).join(''));
  });

  it('--decisions: one line per cycle (the failure with its stderr), ? where verbosity 0 says nothing', async () => {
    const r = await run(['logs', 'web', '--decisions']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `${at(1)} eval ?    2 → 2     NoChange`,
        `${at(2)} eval ?    ? → ?     Failed  error: failed to get metrics: failed to gather metrics: exit status 1 (stderr: KeyError: 'numPods')`,
        `${at(3)} eval ?    2 → 4     Scaled`,
        '',
      ].join('\n'),
    );
    assert.match(r.stderr, /^hint: evaluations show as \? .*logVerbosity 2/);
  });

  it('-f follows new lines as the autoscaler writes them, and SIGINT ends it with exit 0', async () => {
    const logs = follow(cluster, ['logs', 'ticker', '-f', '-n', ns]);
    await cluster.waitFor(() => rounds(logs.stdout()).length > 0, 15_000, 'the first lines');
    const first = Math.max(...rounds(logs.stdout()));
    await cluster.waitFor(
      // A round's two lines are written together; stop between rounds, not inside one.
      () => Math.max(...rounds(logs.stdout())) >= first + 2 && /to \d+ replicas\n$/.test(logs.stdout()),
      15_000,
      `two rounds after round ${first}`,
    );
    logs.child.kill('SIGINT');
    assert.equal(await logs.exited, 0, logs.stderr());
    const seen = rounds(logs.stdout());
    assert.deepEqual(
      seen,
      seen.map((_, i) => i + 1),
      'every round once, in order',
    );
    assert.equal(logs.stdout().split('\n').filter(Boolean).length, 2 * seen.length, logs.stdout());
  });

  it('--decisions -f shows each cycle as it happens', async () => {
    const logs = follow(cluster, ['logs', 'ticker', '-f', '--decisions', '-n', ns]);
    await cluster.waitFor(() => rounds(logs.stdout()).length > 0, 15_000, 'the first decisions');
    const first = Math.max(...rounds(logs.stdout()));
    await cluster.waitFor(() => Math.max(...rounds(logs.stdout())) > first, 15_000, 'a new decision');
    logs.child.kill('SIGTERM');
    assert.equal(await logs.exited, 0, logs.stderr());
    const lines = logs.stdout().split('\n').filter(Boolean);
    const seen = rounds(logs.stdout());
    assert.deepEqual(
      seen,
      seen.map((_, i) => i + 1),
    );
    for (const [i, line] of lines.entries())
      assert.match(line, new RegExp(`^\\S+Z eval \\? +${i + 1}0 → ${i + 1}1 +Scaled$`));
  });

  it('status shows SOURCE logs with the decision, the scale and the error parsed from the log', async () => {
    const json = await run(['status', '-o', 'json']);
    assert.equal(json.exitCode, 0, json.stderr);
    const items = (JSON.parse(json.stdout) as { items: Record<string, unknown>[] }).items;
    const web = items.find((i) => i.name === 'web');
    const stamp = (s: number) => at(s).replace(/Z$/, '.000000000Z');
    assert.deepEqual(
      [web?.source, web?.state, web?.currentReplicas, web?.minReplicas, web?.maxReplicas],
      ['logs', 'Active', 4, 2, 6],
    );
    assert.deepEqual(web?.lastDecision, { from: 2, to: 4, reason: 'Scaled', time: stamp(3) });
    assert.deepEqual([web?.desiredReplicas, web?.lastScaleTime, web?.consecutiveFailures], [4, stamp(3), 0]);
    assert.deepEqual(web?.lastError, {
      stage: null,
      message: "failed to get metrics: failed to gather metrics: exit status 1 (stderr: KeyError: 'numPods')",
      time: stamp(2),
    });
    assert.deepEqual(web?.pod, { name: 'web', phase: 'Running', count: 1 });
    const table = await run(['status', '-o', 'wide']);
    assert.equal(table.exitCode, 0, table.stderr);
    // NAME REFERENCE LAST-EVALUATION MINPODS MAXPODS REPLICAS AGE LAST-SCALE STATUS SOURCE
    assert.match(table.stdout, /^web\s+Deployment\/web\s+\S+\s+2\s+6\s+4\s+\S+\s+\S+\s+Active\s+logs\b/m);
    assert.match(table.stdout, /^ticker\s+Deployment\/web\s+\S+\s+2\s+6\s+4\s+\S+\s+\S+\s+Active\s+logs\b/m);
  });
});
