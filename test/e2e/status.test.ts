// Recorded decisions, Events and `kubectl cpa status` on the real control plane and on the sandbox: `run`
// writes the annotation and aggregated Events; `status` reports them and CustomPodAutoscaler objects (SOURCE
// logs); `status -A` over 200 annotated Deployments costs a constant number of list calls; the documented
// RBAC for recording and for `status` is enough (real cluster only: the sandbox has no RBAC objects).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestCluster } from '../support/cluster.ts';
import { SANDBOX_ANNOTATION, clusterKinds, useClusterOf } from '../support/clusters.ts';
import { cpa, jsonEvents, repoRoot, shellProject, startCpa } from '../support/cpa.ts';

const ANNOTATION = 'kubectl-cpa.io/status';

const config = (evaluate: string) => `
runMode: per-resource
minReplicas: 1
maxReplicas: 5
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo 3"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", ${JSON.stringify(evaluate)}]}}
`;
const OK = config(`cat > /dev/null; echo '{"targetReplicas": 3}'`);
const FAILING = config('cat > /dev/null; echo broken >&2; exit 1');

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec: {replicas: ${replicas}, selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}}\n`;

/** The CRD of the CPA operator, reduced to what the API server needs to serve it. */
const CPA_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: custompodautoscalers.custompodautoscaler.com}
spec:
  group: custompodautoscaler.com
  scope: Namespaced
  names: {plural: custompodautoscalers, singular: custompodautoscaler, kind: CustomPodAutoscaler, listKind: CustomPodAutoscalerList, shortNames: [cpa]}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const cpaObject = (name: string) => `
apiVersion: custompodautoscaler.com/v1
kind: CustomPodAutoscaler
metadata: {name: ${name}}
spec:
  template: {spec: {containers: [{name: ${name}, image: registry.invalid/cpa:1}]}}
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  config: [{name: minReplicas, value: "2"}, {name: maxReplicas, value: "6"}, {name: interval, value: "10000"}]
`;

/** The README's minimal Role for `run`: its first yaml block under "## RBAC" (as rbac.test.ts reads it). */
function readmeRunRole(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const match = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('\n## RBAC')));
  if (!match?.[1]) throw new Error('README.md has no yaml block in its RBAC section');
  return match[1];
}

/** The README's additions: recording by `run` (on top of the minimal Role), and `status` (read-only). */
const RECORD_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: kubectl-cpa-record
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["patch"]
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["create", "patch"]
`;
const STATUS_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: kubectl-cpa-status
rules:
  - apiGroups: ["apps"]
    resources: ["deployments", "statefulsets", "replicasets"]
    verbs: ["list"]
  - apiGroups: [""]
    resources: ["replicationcontrollers", "pods", "events"]
    verbs: ["list"]
  - apiGroups: [""]
    resources: ["pods/log"]
    verbs: ["get"]
  - apiGroups: ["custompodautoscaler.com"]
    resources: ["custompodautoscalers"]
    verbs: ["list"]
`;

interface KubeEvent {
  reason: string;
  message: string;
  count: number;
  source: { component: string };
  involvedObject: { kind: string; name: string; uid: string };
}

interface Item {
  name: string;
  namespace: string;
  source: string;
  state: string;
  target: { kind: string; name: string };
  minReplicas: number | null;
  currentReplicas: number | null;
  consecutiveFailures: number | null;
  lastDecision: { from: number | null; to: number; reason: string } | null;
  lastError: { stage: string | null; message: string } | null;
  pod: { name: string; phase: string } | null;
  hints: string[];
}

for (const kind of clusterKinds())
  describe(`recorded decisions, Events and kubectl cpa status (${kind})`, () => {
    let cluster: TestCluster;
    let ns: string;
    const ok = shellProject(OK);
    const failing = shellProject(FAILING);
    const admin = () => ({ kubeconfig: cluster.adminKubeconfig });
    before(async () => {
      cluster = await useClusterOf(kind);
      ns = await cluster.createNamespace('status');
      await cluster.apply(deployment('web', 1), ns);
    });
    after(() => [ok, failing].forEach((p) => p.cleanup()));

    const annotation = async () => {
      const body = JSON.parse(
        (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).body,
      );
      return {
        uid: body.metadata.uid as string,
        state: JSON.parse(body.metadata.annotations?.[ANNOTATION] ?? 'null'),
      };
    };
    /** Core Events of the namespace with `reason`. */
    const events = async (reason: string): Promise<KubeEvent[]> => {
      const body = JSON.parse((await cluster.api('GET', `/api/v1/namespaces/${ns}/events`)).body);
      return (body.items as KubeEvent[]).filter((e) => e.reason === reason);
    };
    const statusJson = async (args: string[], kubeconfig = cluster.adminKubeconfig) => {
      const r = await cpa(cluster, ['status', '-o', 'json', ...args], { kubeconfig });
      assert.equal(r.exitCode, 0, r.stderr);
      return { items: (JSON.parse(r.stdout) as { items: Item[] }).items, stderr: r.stderr };
    };

    it('run --once records the annotation and a SuccessfulRescale Event on the target', async () => {
      const r = await cpa(
        cluster,
        ['run', ok.dir, '--once', '--target', 'deployment/web', '-n', ns],
        admin(),
      );
      assert.equal(r.exitCode, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warning/);
      const { uid, state } = await annotation();
      assert.equal(state.schemaVersion, 1);
      assert.equal(state.name, basename(ok.dir));
      assert.deepEqual([state.decision.from, state.decision.to, state.decision.reason], [1, 3, 'Scaled']);
      assert.deepEqual(state.metrics, [{ resource: 'web', value: '3\n' }]);
      assert.equal(state.lastScaleTime, state.cycle.time);
      assert.equal(typeof state.runner.pid, 'number');
      const [event, ...more] = await events('SuccessfulRescale');
      assert.equal(more.length, 0);
      assert.equal(event?.message, 'New size: 3; reason: evaluation 3');
      assert.equal(event?.source.component, 'kubectl-cpa');
      assert.deepEqual(
        [event?.involvedObject.kind, event?.involvedObject.name, event?.involvedObject.uid],
        ['Deployment', 'web', uid],
      );
    });

    it('a failing loop aggregates its failures into one counted Event; status reports it Failing', async () => {
      const loop = startCpa(
        cluster,
        [
          'run',
          failing.dir,
          '--target',
          'deployment/web',
          '-n',
          ns,
          '--interval',
          '300ms',
          '--no-api',
          '--log-format',
          'json',
        ],
        admin(),
      );
      try {
        await cluster.waitFor(
          () => jsonEvents(loop.stderr()).filter((e) => e.event === 'cycle-error').length >= 4,
          30_000,
          'four failed cycles',
        );
      } finally {
        assert.equal(await loop.stop(), 0);
      }
      const failed = await events('FailedEvaluate');
      assert.equal(failed.length, 1, JSON.stringify(failed));
      assert.ok((failed[0]?.count ?? 0) >= 3, `count ${failed[0]?.count}`);
      assert.match(failed[0]?.message ?? '', /evaluate failed: exit status 1; stderr: broken/);
      const { state } = await annotation();
      assert.ok(state.consecutiveFailures >= 3);
      assert.equal(state.lastError.stage, 'evaluate');
      assert.deepEqual([state.decision.from, state.decision.to], [1, 3], 'the last decision is kept');

      const { items } = await statusJson(['-n', ns]);
      const item = items.find((i) => i.source === 'annotations');
      assert.equal(item?.name, basename(failing.dir));
      assert.equal(item?.state, 'Failing');
      assert.deepEqual(
        [item?.target, item?.currentReplicas, item?.minReplicas],
        [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, 3, 1],
      );
      assert.equal(item?.lastError?.stage, 'evaluate');

      const detail = await cpa(cluster, ['status', basename(failing.dir), '-n', ns], admin());
      assert.equal(detail.exitCode, 0, detail.stderr);
      assert.match(detail.stdout, /^ {2}ScalingActive +False +FailedEvaluate /m);
      assert.match(detail.stdout, /^ {2}Warning +FailedEvaluate +\S+ \(x\d+ over \S+\) +kubectl-cpa +/m);
      assert.match(detail.stdout, /^ {2}Normal +SuccessfulRescale +/m);
    });

    it('CustomPodAutoscaler objects show up with SOURCE logs: NoPod without pod, Unknown with a hint when the log says nothing', async () => {
      // The sandbox serves the operator's CRD from the start (its CRDs are fixed).
      if (kind === 'real') await cluster.apply(CPA_CRD);
      await cluster.waitFor(
        async () => (await cluster.api('GET', '/apis/custompodautoscaler.com/v1')).status === 200,
        30_000,
        'the CPA CRD to be served',
      );
      await cluster.waitFor(
        async () =>
          (await cluster.api('GET', `/apis/custompodautoscaler.com/v1/namespaces/${ns}/custompodautoscalers`))
            .status === 200,
        30_000,
        'CPA objects to be listable',
      );
      await cluster.apply(cpaObject('lonely') + '---\n' + cpaObject('scaler'), ns);
      await cluster.apply(
        // A pod whose log is empty: on the real harness no kubelet runs it; the sandbox's is given an empty script.
        `apiVersion: v1\nkind: Pod\nmetadata: {name: scaler, labels: {v1.custompodautoscaler.com/owned-by: scaler, app.kubernetes.io/managed-by: custom-pod-autoscaler-operator}, annotations: {${SANDBOX_ANNOTATION}/log: ""}}\nspec: {containers: [{name: scaler, image: registry.invalid/cpa:1}]}\n`,
        ns,
      );
      await cluster.makePodsReady(ns, 'v1.custompodautoscaler.com/owned-by=scaler');

      const { items } = await statusJson(['-n', ns]);
      const byName = new Map(items.filter((i) => i.source === 'logs').map((i) => [i.name, i]));
      assert.equal(byName.get('lonely')?.state, 'NoPod');
      const scaler = byName.get('scaler');
      assert.equal(scaler?.state, 'Unknown');
      assert.deepEqual(scaler?.pod, { name: 'scaler', phase: 'Running', count: 1 });
      assert.deepEqual([scaler?.minReplicas, scaler?.currentReplicas, scaler?.lastDecision], [2, 3, null]);
      assert.match(
        scaler?.hints.join('\n') ?? '',
        // Without a kubelet the API server answers the log of a pod with no node with an empty body.
        /the pod log is empty .*; log-derived fields are unknown/,
      );

      const table = await cpa(cluster, ['status', '-n', ns, '-o', 'wide'], admin());
      // AGE of a CustomPodAutoscaler is its object's age.
      assert.match(
        table.stdout,
        /^scaler\s+Deployment\/web\s+<unknown>\s+2\s+6\s+3\s+\d+s\s+<none>\s+Unknown\s+logs\b/m,
      );
      assert.match(table.stdout, /^lonely\s+.*NoPod\s+logs\b/m);
    });

    // Needs Roles and RoleBindings, which the sandbox does not serve.
    if (kind === 'real')
      it('the README Role plus the documented record and status Roles are enough to record and to read', async () => {
        await cluster.apply([readmeRunRole(), RECORD_ROLE, STATUS_ROLE].join('---\n'), ns);
        for (const role of ['kubectl-cpa', 'kubectl-cpa-record', 'kubectl-cpa-status'])
          await cluster.apply(
            `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: alice-${role}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${role}}\nsubjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]\n`,
            ns,
          );
        const run = await cpa(cluster, ['run', ok.dir, '--once', '--target', 'deployment/web', '-n', ns], {
          kubeconfig: cluster.restrictedKubeconfig,
        });
        assert.equal(run.exitCode, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /warning/, 'recording needs no more than the record Role');
        assert.equal((await annotation()).state.consecutiveFailures, 0);
        const { items, stderr } = await statusJson(['-n', ns], cluster.restrictedKubeconfig);
        assert.doesNotMatch(stderr, /warning/);
        assert.deepEqual(items.map((i) => i.name).sort(), [basename(ok.dir), 'lonely', 'scaler'].sort());
      });
  });

for (const kind of clusterKinds())
  describe(`status -A over 200 annotated Deployments (${kind})`, () => {
    it('answers with every item, in a constant number of list calls', async (t) => {
      const cluster = await useClusterOf(kind);
      const ns = await cluster.createNamespace('status-many');
      // The cluster is shared and has no namespace controller: delete the 200 Deployments (the garbage
      // collector removes their ReplicaSets) so that later runs do not list them.
      t.after(async () => {
        await cluster.api('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments`);
      });
      const record = (i: number) =>
        JSON.stringify({
          schemaVersion: 1,
          name: `scaler-${i}`,
          runner: { host: 'e2e', pid: i, version: '0.0.0' },
          config: {
            minReplicas: 0,
            maxReplicas: 4,
            intervalMs: 15000,
            runMode: 'per-pod',
            downscaleStabilizationSec: 0,
          },
          cycle: { time: new Date().toISOString(), durationMs: 5, runType: 'scaler' },
          decision: {
            from: 0,
            to: 0,
            evaluation: 0,
            clamped: 0,
            reason: 'NoChange',
            reasons: ['NoChange'],
            action: 'unchanged',
            time: new Date().toISOString(),
          },
          consecutiveFailures: 0,
        });
      const items = Array.from({ length: 200 }, (_, i) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `web-${i}`, annotations: { [ANNOTATION]: record(i) } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: `web-${i}` } },
          template: {
            metadata: { labels: { app: `web-${i}` } },
            spec: { containers: [{ name: 'c', image: 'registry.invalid/x:1' }] },
          },
        },
      }));
      await cluster.apply(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), ns);
      // The Deployment controller copies the annotation onto each ReplicaSet; status must not count the copies.
      await cluster.waitFor(
        async () =>
          JSON.parse((await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/replicasets`)).body).items
            .length === 200,
        60_000,
        '200 ReplicaSets',
      );

      const started = Date.now();
      const r = await cpa(cluster, ['status', '-A', '-o', 'json', '-v', '6'], {
        kubeconfig: cluster.adminKubeconfig,
        timeoutMs: 60_000,
      });
      t.diagnostic(
        `status -A over 200 annotated Deployments (+200 ReplicaSets): ${Date.now() - started}ms including process start`,
      );
      assert.equal(r.exitCode, 0, r.stderr);
      const mine = (JSON.parse(r.stdout) as { items: Item[] }).items.filter((i) => i.namespace === ns);
      assert.equal(mine.length, 200);
      assert.ok(mine.every((i) => i.target.kind === 'Deployment' && i.state === 'Active'));
      const calls = r.stderr.split('\n').filter((l) => l.startsWith('api: '));
      // One list per kind (plus at most two pod lists for CustomPodAutoscalers); further pages of 500 only
      // when the shared cluster holds more objects than a page.
      const lists = calls.filter((l) =>
        /\/(deployments|statefulsets|replicasets|replicationcontrollers|custompodautoscalers|pods)\?/.test(l),
      );
      const firstPages = lists.filter((l) => !l.includes('continue='));
      assert.ok(firstPages.length >= 5 && firstPages.length <= 7, lists.join('\n'));
      assert.ok(!calls.some((l) => l.includes(`/namespaces/${ns}/`)), 'no call per object of the namespace');
    });
  });
