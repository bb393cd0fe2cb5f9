// The safety steps on the real kube-apiserver, through the built binary: behavior's Pods and Percent
// limits, fallback after repeated failures and recovery, pause/resume by command and by raw `kubectl
// annotate`, and windows that survive a restart. Real processes, real API, real time (a few seconds each).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, jsonEvents, shellProject, startCpa, type BackgroundCpa } from '../support/cpa.ts';

const deployment = (name: string, replicas: number, want: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}, want: "${want}"}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}
`;

/** The metric is the target's `want` label (empty when absent); each call leaves a line in `calls`. */
const METRIC = `echo x >> calls; sed -n 's/.*"want":"\\([0-9]*\\)".*/\\1/p'`;
/** Echoes the metric as the target; an empty metric prints no number, so the evaluation fails. */
const EVALUATE = `v=$(sed -n 's/.*"value":"\\([0-9][0-9]*\\)".*/\\1/p'); [ -n "$v" ] || exit 1; echo "{\\"targetReplicas\\": $v}"`;

const config = (extra: string) => `
runMode: per-resource
startTime: 0
maxReplicas: 20
${extra}
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(METRIC)}]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(EVALUATE)}]}}
`;

describe('safety on the real API server', () => {
  let cluster: TestCluster;
  let ns: string;
  const cleanups: (() => void)[] = [];
  const loops: BackgroundCpa[] = [];
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('safety');
  });
  after(async () => {
    for (const loop of loops) await loop.stop();
    cleanups.forEach((c) => c());
  });
  const project = (extra: string): string => {
    const p = shellProject(config(extra));
    cleanups.push(p.cleanup);
    return p.dir;
  };
  const replicas = async (name: string): Promise<number> =>
    JSON.parse((await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body).spec
      .replicas;
  const once = (dir: string, name: string, more: string[] = []) =>
    cpa(
      cluster,
      ['run', dir, '--once', '--target', `deploy/${name}`, '-n', ns, '--log-format', 'json', ...more],
      {
        kubeconfig: cluster.adminKubeconfig,
        cwd: dir,
      },
    );
  const loop = (dir: string, name: string, more: string[] = []): BackgroundCpa => {
    const args = ['run', dir, '--target', `deploy/${name}`, '-n', ns, '--interval', '500ms', '--no-api'];
    const l = startCpa(cluster, [...args, '--log-format', 'json', '-v', '1', ...more], {
      kubeconfig: cluster.adminKubeconfig,
      cwd: dir,
    });
    loops.push(l);
    return l;
  };
  /** True once the target's status annotation holds a scale event in `direction`. */
  const recorded = async (name: string, direction: 'up' | 'down'): Promise<boolean> => {
    const object = JSON.parse(
      (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body,
    );
    const text = object.metadata.annotations?.['kubectl-cpa.io/status'];
    return text !== undefined && (JSON.parse(text).windows?.[direction]?.length ?? 0) > 0;
  };
  const decisions = (stderr: string) => jsonEvents(stderr).filter((e) => e.event === 'decision');
  const reasonsOf = (e: Record<string, unknown>): string[] => (e.reasons as string[] | undefined) ?? [];

  it('a 1 → 10 jump is limited by a Pods policy to its rate, also across runs', async () => {
    await cluster.apply(deployment('jump', 1, '10'), ns);
    const dir = project('behavior: {scaleUp: {policies: [{type: Pods, value: 4, periodSeconds: 600}]}}');
    // A loop, so the record (windows included) lands even if one annotation write meets a 409.
    const first = loop(dir, 'jump');
    await cluster.waitFor(() => recorded('jump', 'up'), 30_000, 'the scale event in the annotation');
    assert.equal(await first.stop(), 0);
    assert.equal(await replicas('jump'), 5, '1 + 4 pods, and no more within the period');
    const d = decisions(first.stderr())[0];
    assert.deepEqual([d?.from, d?.to, reasonsOf(d ?? {})], [1, 5, ['ScaleUpLimited', 'Scaled']]);
    // -v 1 explains the chain, step by step.
    assert.match(
      first.stderr(),
      /decision chain: evaluation 10 \| clamp 10 \| stabilization 10 .*\| policy 10 → 5 ScaleUpLimited \(scale-up Max of Pods 4 per 600s\) \| final 1 → 5 Scaled/,
    );
    // A second run (taking the target over: the first one's claim is still fresh) reads the scale event
    // back from the annotation: the period's 4 pods are used up.
    const second = await once(dir, 'jump', ['--take-over', '-v', '1']);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.match(
      second.stderr,
      /continuing the windows recorded on the target: 1 recommendations, 1 scale events/,
    );
    const again = decisions(second.stderr)[0];
    assert.deepEqual([again?.action, reasonsOf(again ?? {})], ['unchanged', ['ScaleUpLimited', 'NoChange']]);
    assert.equal(await replicas('jump'), 5);
    // `status -o json` carries the chain.
    const status = await cpa(cluster, ['status', 'jump', '-n', ns, '-o', 'json'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(status.exitCode, 0, status.stderr);
    const chain = JSON.parse(status.stdout).items[0].lastDecision.chain as { step: string }[];
    assert.deepEqual(
      chain.map((s) => s.step),
      ['evaluation', 'clamp', 'stabilization', 'policy', 'final'],
    );
    const detail = await cpa(cluster, ['status', 'jump', '-n', ns], { kubeconfig: cluster.adminKubeconfig });
    assert.match(detail.stdout, /Behavior policy:\s+10 → 5: ScaleUpLimited/);
  });

  it('a Percent scale-down limit halves at most once per period', async () => {
    await cluster.apply(deployment('halve', 8, '1'), ns);
    const dir = project(
      'minReplicas: 1\nbehavior: {scaleDown: {stabilizationWindowSeconds: 0, policies: [{type: Percent, value: 50, periodSeconds: 600}]}}',
    );
    const first = loop(dir, 'halve');
    await cluster.waitFor(() => recorded('halve', 'down'), 30_000, 'the scale event in the annotation');
    assert.equal(await first.stop(), 0);
    assert.equal(await replicas('halve'), 4);
    assert.deepEqual(reasonsOf(decisions(first.stderr())[0] ?? {}), ['ScaleDownLimited', 'Scaled']);
    const second = await once(dir, 'halve', ['--take-over']);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.deepEqual(reasonsOf(decisions(second.stderr)[0] ?? {}), ['ScaleDownLimited', 'NoChange']);
    assert.equal(await replicas('halve'), 4, 'the 4 removed this period use up 50 % of 8');
  });

  it('fallback scales to its replicas after more than failureThreshold failures; a success ends it', async () => {
    await cluster.apply(deployment('fb', 1, ''), ns);
    const dir = project('fallback: {failureThreshold: 2, replicas: 3}');
    const l = loop(dir, 'fb');
    await cluster.waitFor(async () => (await replicas('fb')) === 3, 30_000, 'the fallback replicas');
    const events = jsonEvents(l.stderr());
    const failures = events.filter((e) => e.event === 'cycle-error');
    assert.ok(failures.length >= 3, 'three failures before the fallback');
    const fell = decisions(l.stderr()).find((e) => reasonsOf(e).includes('FallbackApplied'));
    assert.deepEqual([fell?.from, fell?.to], [1, 3]);
    const recorded = await cluster.waitFor(
      async () => {
        const list = JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/events`)).body);
        return (list.items as { reason: string; message: string }[]).find(
          (e) => e.reason === 'FallbackApplied',
        );
      },
      15_000,
      'a FallbackApplied Event',
    );
    assert.match(recorded.message, /New size: 3/);
    await cluster.kubectl(['label', 'deployment', 'fb', 'want=5', '--overwrite', '-n', ns]);
    await cluster.waitFor(async () => (await replicas('fb')) === 5, 30_000, 'the evaluator again');
  });

  it('pause and resume by command and by raw kubectl annotate; no hook runs while paused', async () => {
    await cluster.apply(deployment('pz', 2, '2'), ns);
    const dir = project('');
    const l = loop(dir, 'pz');
    await cluster.waitFor(() => decisions(l.stderr()).length > 0, 30_000, 'a first decision');
    const kubeconfig = cluster.adminKubeconfig;
    const paused = await cpa(cluster, ['pause', 'pz', '-n', ns], { kubeconfig });
    assert.equal(paused.exitCode, 0, paused.stderr);
    assert.equal(paused.stdout, 'deployment.apps/pz paused (holding its replicas)\n');
    await cluster.kubectl(['label', 'deployment', 'pz', 'want=6', '--overwrite', '-n', ns]);
    const pausedCount = () => decisions(l.stderr()).filter((e) => reasonsOf(e).includes('Paused')).length;
    await cluster.waitFor(() => pausedCount() >= 1, 30_000, 'a paused decision');
    const calls = (): number =>
      existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').split('\n').length : 0;
    const before = calls();
    await cluster.waitFor(() => pausedCount() >= 4, 30_000, 'three more paused cycles');
    assert.equal(calls(), before, 'no metric call while paused');
    assert.equal(await replicas('pz'), 2, 'held while paused');
    const status = await cpa(cluster, ['status', 'pz', '-n', ns], { kubeconfig });
    assert.match(status.stdout, /Paused/);
    assert.match(status.stdout, /paused holding the replicas \(kubectl-cpa\.io\/paused\), since 20/);

    const at = await cpa(cluster, ['pause', 'deployment/pz', '--replicas', '1', '-n', ns], { kubeconfig });
    assert.equal(at.stdout, 'deployment.apps/pz paused at 1 replicas\n');
    await cluster.waitFor(async () => (await replicas('pz')) === 1, 30_000, 'the paused replicas');

    // By the autoscaler's name (its directory's), as `status` lists it.
    const resumed = await cpa(cluster, ['resume', basename(dir), '-n', ns], { kubeconfig });
    assert.equal(resumed.stdout, 'deployment.apps/pz resumed\n', resumed.stderr);
    await cluster.waitFor(async () => (await replicas('pz')) === 6, 30_000, 'scaling again after resume');

    await cluster.kubectl(['annotate', 'deployment', 'pz', 'kubectl-cpa.io/paused-replicas=3', '-n', ns]);
    await cluster.waitFor(async () => (await replicas('pz')) === 3, 30_000, 'raw annotate: paused at 3');
    await cluster.kubectl(['annotate', 'deployment', 'pz', 'kubectl-cpa.io/paused-replicas-', '-n', ns]);
    await cluster.waitFor(async () => (await replicas('pz')) === 6, 30_000, 'raw annotate removed: resumed');
  });

  it('a runner restarted inside a scale-down window keeps holding', async () => {
    await cluster.apply(deployment('win', 5, '5'), ns);
    const dir = project('downscaleStabilization: 60');
    const first = loop(dir, 'win');
    await cluster.waitFor(() => decisions(first.stderr()).length > 0, 30_000, 'a first decision');
    await cluster.kubectl(['label', 'deployment', 'win', 'want=2', '--overwrite', '-n', ns]);
    await cluster.waitFor(
      () => decisions(first.stderr()).some((e) => reasonsOf(e).includes('ScaleDownStabilized')),
      30_000,
      'a stabilized decision',
    );
    assert.equal(await first.stop(), 0);
    // The new runner takes the target over (as a new leader would) and so writes it.
    const second = loop(dir, 'win', ['--take-over']);
    await cluster.waitFor(
      () => decisions(second.stderr()).length >= 4,
      30_000,
      'four decisions after the restart',
    );
    assert.match(second.stderr(), /continuing the windows recorded on the target/);
    assert.ok(
      decisions(second.stderr()).every((e) => reasonsOf(e).includes('ScaleDownStabilized')),
      'every decision of the new runner is held by the recorded window',
    );
    assert.ok(decisions(second.stderr()).every((e) => e.action === 'unchanged' && e.heldBy === undefined));
    assert.equal(await replicas('win'), 5, 'still held at 5 inside the window');
  });
});
