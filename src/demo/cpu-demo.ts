// `kubectl cpa demo --example cpu`: examples/cpu-utilization against the sandbox's metrics.k8s.io. The
// demo plays the load balancer: a total CPU load is spread over the warm pods (each pod's usage is its
// `sandbox.kubectl-cpa.dev/cpu` annotation); a new pod burns a start-up spike until it gets traffic. The
// load rises, the autoscaler scales by the HPA formula, and the readiness rules leave the new pods' spikes
// out (cpuInitializationPeriod), so the autoscaler does not overshoot to maxReplicas.
import { parse } from 'yaml';
import type { CycleReport } from '../autoscaler/types.ts';
import { CpaError } from '../errors.ts';
import type { CpaKubeClient, Deps, KubeObject } from '../ports.ts';
import { runPrepared } from '../runner/serve.ts';
import { openSandbox, type StartSandbox } from '../sandbox/start.ts';
import type { Obj } from '../sandbox/wire/json.ts';
import { statusTable } from '../status/snapshot.ts';
import { prepareDemoRun } from './demo-run.ts';
import { CPU_EXAMPLE } from './cpu-example.ts';
import type { DemoOptions } from './options.ts';

const NAMESPACE = 'default';
const TARGET = 'php-apache';
const ANNOTATION = 'sandbox.kubectl-cpa.dev/cpu';
/** Short, so that the story fits in seconds; the example itself keeps CPA's 300 s. */
const CPU_INIT_SEC = 6;
/** A new pod gets traffic this long after the balancer first sees it, well within CPU_INIT_SEC. */
const WARM_MS = 1000;
/** What a starting pod burns (its template annotation), millicores. */
const SPIKE = 400;
/** Total load before and after it rises, millicores; requests are 200m per pod, the target 50 %. */
const LOAD = { before: 200, after: 900 } as const;
const FINAL_REPLICAS = 9;

/** The example's Deployment with the sandbox annotations that make its pods report CPU usage. */
function sandboxDeployment(): Obj {
  const deployment = parse(CPU_EXAMPLE['deployment.yaml'] ?? '') as Obj;
  const template = (deployment.spec as { template: { metadata: Obj } }).template;
  template.metadata.annotations = { [ANNOTATION]: `${SPIKE}m`, 'sandbox.kubectl-cpa.dev/metrics-every': '1' };
  return deployment;
}

function running(pods: KubeObject[]): KubeObject[] {
  return pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
}

function startedMs(pod: KubeObject): number {
  return Date.parse(String((pod.status as { startTime?: string } | undefined)?.startTime ?? ''));
}

/** When the balancer first saw each pod running (startTime has only whole seconds). */
const firstSeen = new Map<string, number>();
/** Pods that had their share of the load after the last balancing. */
let warmCount = 0;

/** Spreads `loadMilli` evenly over the warm pods, as a load balancer would; returns the line to show. */
async function balance(
  deps: Deps,
  client: CpaKubeClient,
  loadMilli: number,
  warmMs = WARM_MS,
): Promise<string> {
  const all = running(await client.listPods(NAMESPACE, `run=${TARGET}`));
  const now0 = deps.clock.nowMs();
  for (const p of all)
    if (!firstSeen.has(p.metadata?.name ?? '')) firstSeen.set(p.metadata?.name ?? '', now0);
  const pods = all.filter((p) => (firstSeen.get(p.metadata?.name ?? '') ?? now0) + warmMs <= now0);
  warmCount = pods.length;
  if (pods.length === 0) return 'no running pods yet';
  const each = Math.round(loadMilli / pods.length);
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    await client.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${NAMESPACE}/pods/${encodeURIComponent(name)}`,
      body: { metadata: { annotations: { [ANNOTATION]: `${each}m` } } },
      contentType: 'application/merge-patch+json',
      call: { verb: 'patch', group: '', resource: 'pods', namespace: NAMESPACE, name },
    });
  }
  const now = deps.clock.nowMs();
  const cold = all.length - pods.length;
  const starting = all.filter((p) => startedMs(p) + CPU_INIT_SEC * 1000 > now).length;
  const spikes = cold === 0 ? '' : `; ${cold} new at their ${SPIKE}m start-up spike`;
  const note = starting === 0 ? '' : `; ${starting} within cpuInitializationPeriod, their samples ignored`;
  return `load ${loadMilli}m over ${pods.length} pods: ${each}m each (${Math.round((each * 100) / 200)}% of the 200m request)${spikes}${note}`;
}

/** The two pods the story starts with have been serving for ten minutes (past any start-up period). */
async function ageInitialPods(deps: Deps, client: CpaKubeClient): Promise<void> {
  const since = new Date(deps.clock.nowMs() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const pod of running(await client.listPods(NAMESPACE, `run=${TARGET}`))) {
    const name = pod.metadata?.name ?? '';
    const conditions = ((pod.status as { conditions?: Obj[] } | undefined)?.conditions ?? []).map((c) => ({
      ...c,
      lastTransitionTime: since,
    }));
    await client.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${NAMESPACE}/pods/${encodeURIComponent(name)}/status`,
      body: { status: { startTime: since, conditions } },
      contentType: 'application/merge-patch+json',
      call: { verb: 'patch', group: '', resource: 'pods', subresource: 'status', namespace: NAMESPACE, name },
    });
  }
}

interface Story {
  load: number;
  /** 0: steady at 2; 1: load rose, waiting for the scale-up; 2: scaled, waiting for a steady cycle. */
  phase: number;
  failures: number;
  scaledAtMs: number;
}

/** Moves the story on after a cycle; true when it is told. */
async function advance(
  deps: Deps,
  client: CpaKubeClient,
  report: CycleReport,
  story: Story,
): Promise<boolean> {
  if (report.error) story.failures++;
  const target = report.decision?.target;
  if (story.phase === 0 && target === 2) {
    story.load = LOAD.after;
    story.phase = 1;
    deps.err.write(`the load rises to ${LOAD.after}m (as if traffic arrived)\n`);
  } else if (story.phase === 1 && target === FINAL_REPLICAS) {
    story.phase = 2;
    story.scaledAtMs = deps.clock.nowMs();
  } else if (story.phase === 2 && target === FINAL_REPLICAS) {
    // Told once a cycle saw every pod with its share of the load and past its start-up period.
    const pods = running(await client.listPods(NAMESPACE, `run=${TARGET}`));
    const counted = pods.every((p) => startedMs(p) + CPU_INIT_SEC * 1000 <= report.startedMs);
    if (pods.length === FINAL_REPLICAS && warmCount === FINAL_REPLICAS && counted) return true;
  }
  deps.err.write(`  ${await balance(deps, client, story.load)}\n`);
  return false;
}

async function loop(deps: Deps, options: DemoOptions, dir: string, kubeconfig: string): Promise<number> {
  const { prepared, logger } = await prepareDemoRun(deps, {
    dir,
    kubeconfig,
    intervalMs: options.intervalMs,
    namespace: NAMESPACE,
    target: TARGET,
    config: { cpuInitializationPeriodSec: CPU_INIT_SEC },
  });
  const client = prepared.client;
  deps.err.write(
    `running the autoscaler from ${dir} every ${options.intervalMs}ms (metric: CPU of the pods from metrics.k8s.io; ` +
      `evaluate: the HPA formula, target 50%; cpuInitializationPeriod shortened to ${CPU_INIT_SEC}s for the demo)\n`,
  );
  // The story starts once both pods run (the sandbox makes them Running after --ready-delay).
  const until = deps.clock.nowMs() + options.deadlineMs;
  while (
    running(await client.listPods(NAMESPACE, `run=${TARGET}`)).length < 2 &&
    deps.clock.nowMs() < until
  ) {
    await deps.clock.sleep(100);
  }
  await ageInitialPods(deps, client);
  deps.err.write(`  ${await balance(deps, client, LOAD.before, 0)}\n`);
  const story: Story = { load: LOAD.before, phase: 0, failures: 0, scaledAtMs: 0 };
  const deadline = deps.clock.nowMs() + options.deadlineMs;
  let told = false;
  await runPrepared(deps, prepared, {
    logger,
    once: false,
    dryRun: false,
    afterCycle: async (report) => {
      told = await advance(deps, client, report, story);
      // The table is read here: the client closes when the loop ends.
      if (told) await finish(deps, client);
      if (told || deps.clock.nowMs() > deadline || story.failures > 3) return 'stop';
    },
  });
  if (!told) {
    throw new CpaError(
      `the demo did not finish: the deployment did not settle at ${FINAL_REPLICAS} replicas`,
      {
        hint: 'run it again with the decision lines above in mind; `kubectl cpa demo --help` lists the options',
      },
    );
  }
  return 0;
}

async function finish(deps: Deps, client: CpaKubeClient): Promise<void> {
  deps.err.write('\nkubectl cpa status:\n');
  deps.out.write(await statusTable(deps, client, NAMESPACE));
  deps.err.write(
    `\ndone: ${LOAD.after}m of load at a 50% target of 200m requests needs ${FINAL_REPLICAS} pods; the new pods were ` +
      'left out while starting, so the autoscaler did not overshoot. Try it on your cluster: kubectl cpa run examples/cpu-utilization\n',
  );
}

/** Runs the CPU demo in a sandbox holding the example's Deployment; needs python3 for the example's steps. */
export async function runCpuDemo(deps: Deps, options: DemoOptions, start?: StartSandbox): Promise<number> {
  const started = deps.clock.nowMs();
  deps.err.write('starting the sandbox (an embedded Kubernetes API on 127.0.0.1, no cluster needed)…\n');
  const sandbox = await openSandbox(deps, {
    startDelayMs: options.readyDelayMs,
    manifests: [sandboxDeployment()],
    start,
  });
  const root = await deps.scratch.makeDir('kubectl-cpa-demo-');
  try {
    deps.err.write(`sandbox ready at ${sandbox.url} in ${deps.clock.nowMs() - started}ms\n`);
    const dir = `${root}/cpu-utilization`;
    for (const [name, text] of Object.entries(CPU_EXAMPLE))
      await deps.scratch.writeText(`${dir}/${name}`, text);
    deps.err.write(`created deployment/${TARGET} (2 replicas, 200m CPU requested per pod) in the sandbox\n`);
    return await loop(deps, options, dir, sandbox.kubeconfigPath);
  } finally {
    await deps.scratch.remove(root);
    await sandbox.close();
  }
}
