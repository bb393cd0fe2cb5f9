// `kubectl cpa demo`: the main job with no cluster. A sandbox API, the getting-started example, the real
// loop (runLoop + runCycle, the same pipeline as `run`), a relabel half-way, and the status table at the end.
import { parse } from 'yaml';
import type { CycleReport } from '../autoscaler/types.ts';
import { statusTable } from '../status/snapshot.ts';
import type { CpaKubeClient, Deps } from '../ports.ts';
import { CpaError } from '../errors.ts';
import { runPrepared } from '../runner/serve.ts';
import { openSandbox, type StartSandbox } from '../sandbox/start.ts';
import type { Obj } from '../sandbox/wire/json.ts';
import { prepareDemoRun } from './demo-run.ts';
import { PYTHON_EXAMPLE, SHELL_EXAMPLE, type ExampleFiles } from './example.ts';
import type { DemoOptions } from './options.ts';

export type { DemoOptions } from './options.ts';

const NAMESPACE = 'default';
const TARGET = 'hello-kubernetes';
/** The label values the demo walks through: the example scales to the label, 1 → 3, then 3 → 5. */
const STEPS = [3, 5] as const;

/** True when `python3 --version` runs: the example's hooks need it. */
async function hasPython3(deps: Deps): Promise<boolean> {
  const outcome = await deps.runProcess({
    file: 'python3',
    args: ['--version'],
    cwd: deps.cwd,
    stdin: '',
    timeoutMs: 10_000,
    maxOutputBytes: 4096,
    env: deps.env,
  });
  return outcome.kind === 'exited' && outcome.exitCode === 0;
}

/** Writes the example project into a fresh directory named like the example (it names the autoscaler). */
async function writeProject(deps: Deps, files: ExampleFiles): Promise<{ root: string; dir: string }> {
  const root = await deps.scratch.makeDir('kubectl-cpa-demo-');
  const dir = `${root}/python-custom-autoscaler`;
  for (const [name, text] of Object.entries(files)) await deps.scratch.writeText(`${dir}/${name}`, text);
  return { root, dir };
}

/** Counts the target's pods and how many are Ready, for the progress lines. */
async function podLine(client: CpaKubeClient, selector: string): Promise<string> {
  const pods = await client.listPods(NAMESPACE, selector);
  const ready = pods.filter((p) =>
    ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
  return `${pods.length} pods, ${ready} ready`;
}

/** Sets the numPods label as `kubectl label deployment hello-kubernetes numPods=N --overwrite` would. */
async function relabel(client: CpaKubeClient, value: number): Promise<void> {
  await client.request({
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${TARGET}`,
    body: { metadata: { labels: { numPods: String(value) } } },
    contentType: 'application/merge-patch+json',
    call: { verb: 'patch', group: 'apps', resource: 'deployments', namespace: NAMESPACE, name: TARGET },
  });
}

/** Runs the demo against a sandbox holding the example's deployment; resolves with the exit code. */
async function story(
  deps: Deps,
  options: DemoOptions,
  files: ExampleFiles,
  kubeconfig: string,
): Promise<number> {
  const { root, dir } = await writeProject(deps, files);
  try {
    deps.err.write(`created deployment/${TARGET} (1 replica, label numPods: "3") in the sandbox\n`);
    return await loop(deps, options, dir, kubeconfig);
  } finally {
    await deps.scratch.remove(root);
  }
}

/** The autoscaling loop of the demo (the runner, as `run`): stops once the target reached the last step. */
async function loop(deps: Deps, options: DemoOptions, dir: string, kubeconfig: string): Promise<number> {
  const { prepared, logger } = await prepareDemoRun(deps, {
    dir,
    kubeconfig,
    intervalMs: options.intervalMs,
    namespace: NAMESPACE,
    target: TARGET,
  });
  const client = prepared.client;
  deps.err.write(
    `running the autoscaler from ${dir} every ${options.intervalMs}ms (metric: the numPods label; evaluate: that number)\n`,
  );
  const progress = { step: 0, failures: 0 };
  const deadline = deps.clock.nowMs() + options.deadlineMs;
  let finished = -1;
  await runPrepared(deps, prepared, {
    logger,
    once: false,
    dryRun: false,
    afterCycle: async (report) => {
      await advance(deps, client, report, progress);
      if (progress.step >= STEPS.length) {
        finished = await finishDemo(deps, client, options);
        return 'stop';
      }
      if (deps.clock.nowMs() > deadline || progress.failures > 3) return 'stop';
    },
  });
  if (finished >= 0) return finished;
  throw new CpaError(
    `the demo did not finish: the deployment did not reach ${STEPS[progress.step] ?? STEPS.at(-1)} replicas`,
    {
      hint: 'run it again with the decision lines above in mind; `kubectl cpa demo --help` lists the options',
    },
  );
}

/** Moves the story on after a cycle: reached 3 → relabel to 5; reached 5 → done. */
async function advance(
  deps: Deps,
  client: CpaKubeClient,
  report: CycleReport,
  progress: { step: number; failures: number },
): Promise<void> {
  if (report.error) progress.failures++;
  const want = STEPS[progress.step];
  if (want === undefined || report.decision?.target !== want) return;
  deps.err.write(`  deployment/${TARGET}: ${await podLine(client, `run=${TARGET}`)}\n`);
  progress.step++;
  const next = STEPS[progress.step];
  if (next === undefined) return;
  await relabel(client, next);
  deps.err.write(
    `relabelled deployment/${TARGET} numPods=${next} (as: kubectl label deployment ${TARGET} numPods=${next} --overwrite)\n`,
  );
}

/** Waits briefly for the new pods to be Ready, then prints the status table on stdout. */
async function finishDemo(deps: Deps, client: CpaKubeClient, options: DemoOptions): Promise<number> {
  await deps.clock.sleep(options.readyDelayMs + 200);
  deps.err.write(
    `  deployment/${TARGET}: ${await podLine(client, `run=${TARGET}`)}\n\nkubectl cpa status:\n`,
  );
  deps.out.write(await statusTable(deps, client, NAMESPACE));
  deps.err.write(
    '\ndone: the autoscaler scaled 1 → 3 → 5 following the label. Try it on your cluster: kubectl cpa run DIR\n',
  );
  return 0;
}

/** Opens a sandbox holding the example's deployment and runs the demo in it; the sandbox is always closed. */
export async function runDemo(deps: Deps, options: DemoOptions, start?: StartSandbox): Promise<number> {
  if (options.example === 'cpu') {
    if (options.python === 'never' || !(await hasPython3(deps))) {
      throw new CpaError('demo --example cpu needs python3 (its metric and evaluate steps are Python)');
    }
    const { runCpuDemo } = await import('./cpu-demo.ts');
    return runCpuDemo(deps, options, start);
  }
  const python = options.python === 'auto' && (await hasPython3(deps));
  const files = python ? PYTHON_EXAMPLE : SHELL_EXAMPLE;
  const started = deps.clock.nowMs();
  deps.err.write('starting the sandbox (an embedded Kubernetes API on 127.0.0.1, no cluster needed)…\n');
  const sandbox = await openSandbox(deps, {
    startDelayMs: options.readyDelayMs,
    manifests: [parse(files['deployment.yaml'] ?? '') as Obj],
    start,
  });
  try {
    deps.err.write(`sandbox ready at ${sandbox.url} in ${deps.clock.nowMs() - started}ms\n`);
    if (!python)
      deps.err.write('python3 not found: using the same example with shell one-liners (sh, sed)\n');
    return await story(deps, options, files, sandbox.kubeconfigPath);
  } finally {
    await sandbox.close();
  }
}
