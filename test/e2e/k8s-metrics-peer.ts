// Not a test file: a differential check of kubernetesMetrics against the Go CPA v2.12.2 itself (the bench
// peer in ../shared/peers), on the same cluster, aggregation layer and adapter values. Both autoscalers run
// one metric step with the same config; the `kubernetesMetrics` bytes they hand the script must be equal.
//   node scripts/pinned-node.mjs test/e2e/k8s-metrics-peer.ts     (needs root for the in-cluster files)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unpackPeer } from '../../bench/peer-setup.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
import { useCluster } from '../support/cluster.ts';
import { cpa } from '../support/cpa.ts';
import { ALL_FOUR, APP, kubernetesMetricsBytes, setUpScenario } from '../support/k8s-metrics-scenario.ts';

const EXTRA = `  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 65536Ki}}
  - type: Object
    object:
      describedObject: {apiVersion: apps/v1, kind: Deployment, name: ${APP}}
      metric: {name: hits}
      target: {type: AverageValue, averageValue: 0.25}
  - type: External
    external:
      metric: {name: queue_messages_ready, selector: {matchExpressions: [{key: queue, operator: In, values: [worker_tasks, other]}]}}
      target: {type: Value, value: "1500m"}
  - type: External
    external: {metric: {name: absent_metric}, target: {type: Value}}
  - type: External
    external:
      metric:
        name: absent_metric
        selector:
          matchLabels: {queue: worker_tasks, a: b}
          matchExpressions: [{key: tier, operator: NotIn, values: [z, y]}, {key: canary, operator: DoesNotExist}]
      target: {type: AverageValue}
  - type: Pods
    pods: {metric: {name: requests_per_second}, target: {type: Value}}
  - type: ContainerResource
    containerResource: {name: cpu, container: app, target: {type: Utilization}}
`;

const cluster = await useCluster();
const scenario = await setUpScenario(cluster);
await addReadinessZoo();

/**
 * Pods beside the Deployment's two, matching its selector, one per readiness rule of §6.3: pending, no
 * sample (missing), Failed, being deleted, Ready only since a moment within cpuInitializationPeriod, no Ready
 * condition, and not Ready since long after its start.
 */
async function addReadinessZoo(): Promise<void> {
  const iso = (agoMs: number): string => new Date(Date.now() - agoMs).toISOString().replace(/\.\d+Z$/, 'Z');
  const zoo: {
    name: string;
    status?: Record<string, unknown>;
    sample?: string;
    at?: string;
    finalizer?: boolean;
  }[] = [
    { name: 'zoo-pending', sample: '10m' },
    {
      name: 'zoo-missing',
      status: {
        phase: 'Running',
        startTime: iso(600_000),
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(500_000) }],
      },
    },
    { name: 'zoo-failed', status: { phase: 'Failed', startTime: iso(600_000) }, sample: '5m' },
    {
      name: 'zoo-deleting',
      status: {
        phase: 'Running',
        startTime: iso(600_000),
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(500_000) }],
      },
      sample: '999m',
      finalizer: true,
    },
    {
      name: 'zoo-starting',
      status: {
        phase: 'Running',
        startTime: iso(10_000),
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(5_000) }],
      },
      sample: '400m',
      at: iso(4_000),
    },
    { name: 'zoo-no-ready', status: { phase: 'Running', startTime: iso(600_000) }, sample: '50m' },
    {
      name: 'zoo-unready-old',
      status: {
        phase: 'Running',
        startTime: iso(600_000),
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(60_000) }],
      },
      sample: '100m',
    },
  ];
  for (const pod of zoo) {
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        labels: { run: APP },
        ...(pod.finalizer ? { finalizers: ['e2e.kubectl-cpa.dev/keep'] } : {}),
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.invalid/x:1',
            resources: { requests: { cpu: '100m', memory: '32Mi' } },
          },
        ],
      },
    };
    const made = await cluster.api('POST', `/api/v1/namespaces/${scenario.ns}/pods`, body);
    if (made.status !== 201) throw new Error(`failed to create ${pod.name}: ${made.body}`);
    if (pod.status) {
      const r = await cluster.api(
        'PATCH',
        `/api/v1/namespaces/${scenario.ns}/pods/${pod.name}/status`,
        { status: pod.status },
        'application/merge-patch+json',
      );
      if (r.status !== 200) throw new Error(`failed to patch ${pod.name}: ${r.body}`);
    }
    if (pod.finalizer) await cluster.api('DELETE', `/api/v1/namespaces/${scenario.ns}/pods/${pod.name}`);
    if (pod.sample) {
      scenario.adapter.setPod(scenario.ns, pod.name, {
        labels: { run: APP },
        containers: [{ cpu: pod.sample, memory: '16Mi' }],
        timestamp: pod.at ?? scenario.sampleAt,
        window: '30s',
      });
    }
  }
}
const dir = mkdtempSync(join(tmpdir(), 'cpa-peer-k8s-'));
try {
  const config = (
    out: string,
  ): string => `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${APP}}
namespace: ${scenario.ns}
runMode: per-resource
interval: 2000
apiConfig: {enabled: false}
requireKubernetesMetrics: false
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > '${out}'; echo 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 2}'"]}}
kubernetesMetricSpecs:
${ALL_FOUR}${EXTRA}`;
  const goOut = join(dir, 'go.json');
  const ourOut = join(dir, 'ours.json');
  writeFileSync(join(dir, 'go.yaml'), config(goOut));
  const oursDir = join(dir, 'ours');
  mkdirSync(oursDir);
  writeFileSync(join(oursDir, 'config.yaml'), config(ourOut));

  const peer = unpackPeer(dir);
  // The Go CPA reads in-cluster credentials from a fixed path; a private mount namespace gives it ours
  // without touching the files another process (the bench) may be using there.
  const sa = join(dir, 'serviceaccount');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), cluster.adminToken);
  writeFileSync(join(sa, 'ca.crt'), readFileSync(cluster.caFile, 'utf8'));
  writeFileSync(join(sa, 'namespace'), scenario.ns);
  mkdirSync(SA_DIR, { recursive: true });
  const url = new URL(cluster.server);
  const child = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$1" "$2" && exec "$3" -v 0',
      'sh',
      sa,
      SA_DIR,
      peer,
    ],
    {
      env: {
        ...process.env,
        configPath: join(dir, 'go.yaml'),
        KUBERNETES_SERVICE_HOST: url.hostname,
        KUBERNETES_SERVICE_PORT: url.port,
        TZ: 'UTC',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let goLog = '';
  child.stderr.on('data', (d: Buffer) => (goLog += d.toString()));
  for (let i = 0; i < 60 && !existsSync(goOut); i++) await sleep(250);
  await sleep(300);
  child.kill('SIGTERM');
  if (!existsSync(goOut)) throw new Error(`the Go CPA wrote no payload; its log:\n${goLog}`);

  const ours = await cpa(
    cluster,
    ['run', oursDir, '--once', '--dry-run', '--no-api', '-n', scenario.ns, '-v', '3'],
    {
      kubeconfig: cluster.adminKubeconfig,
    },
  );
  if (!existsSync(ourOut))
    throw new Error(`kubectl-cpa wrote no payload (exit ${ours.exitCode}):\n${ours.stderr}`);
  const go = kubernetesMetricsBytes(readFileSync(goOut, 'utf8'));
  const mine = kubernetesMetricsBytes(readFileSync(ourOut, 'utf8'));
  process.stdout.write(`Go CPA:      ${go}\nkubectl-cpa: ${mine}\n`);
  const errLines = (log: string): string[] =>
    log
      .split('\n')
      .filter((l) => l.includes('Error when retrieving K8s metrics'))
      .map((l) => l.replace(/^.*Error when retrieving/, 'Error when retrieving'));
  process.stdout.write(
    `Go errors:\n${errLines(goLog).join('\n')}\nour errors:\n${errLines(ours.stderr).join('\n')}\n`,
  );
  process.stdout.write(
    go === mine ? 'IDENTICAL kubernetesMetrics bytes\n' : 'DIFFERENT kubernetesMetrics bytes\n',
  );
  process.exitCode = go === mine ? 0 : 1;
} finally {
  await cluster.api(
    'PATCH',
    `/api/v1/namespaces/${scenario.ns}/pods/zoo-deleting`,
    { metadata: { finalizers: null } },
    'application/merge-patch+json',
  );
  await scenario.adapter.stop(cluster);
  rmSync(dir, { recursive: true, force: true });
}
