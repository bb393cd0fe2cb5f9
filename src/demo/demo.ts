// `kubectl cpa demo`: the main job with no cluster. A sandbox API, the getting-started example, the real
// loop (runLoop + runCycle, the same pipeline as `run`), a relabel half-way, and the status table at the end.
import { parse } from 'yaml';
import { runCycle } from '../autoscaler/cycle.ts';
import { runLoop } from '../autoscaler/loop.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import { loadRunConfig } from '../cli/run-config.ts';
import { statusTable } from '../cli/status.ts';
import { cycleContext } from '../cli/cycle-context.ts';
import type { Deps } from '../deps.ts';
import { CpaError } from '../errors.ts';
import type { CpaKubeClient } from '../kube/client.ts';
import { createLogger } from '../log/logger.ts';
import type { SandboxHandle, StartSandboxOptions } from '../sandbox/server.ts';
import type { Obj } from '../sandbox/types.ts';
import { PYTHON_EXAMPLE, SHELL_EXAMPLE, type ExampleFiles } from './example.ts';

/** How the demo runs; flags of `kubectl cpa demo`. */
export interface DemoOptions {
  intervalMs: number;
  readyDelayMs: number;
  /** `never` forces the shell variant of the example. */
  python: 'auto' | 'never';
  /** The demo gives up (exit 1) when the story has not finished by then. */
  deadlineMs: number;
}

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

/** Runs the demo against a started sandbox; resolves with the exit code. */
async function story(deps: Deps, options: DemoOptions, sandbox: SandboxHandle): Promise<number> {
  const python = options.python === 'auto' && (await hasPython3(deps));
  if (!python) deps.err.write('python3 not found: using the same example with shell one-liners (sh, sed)\n');
  const files = python ? PYTHON_EXAMPLE : SHELL_EXAMPLE;
  const { root, dir } = await writeProject(deps, files);
  try {
    const kubeconfig = `${root}/sandbox.kubeconfig`;
    await deps.scratch.writeText(kubeconfig, sandbox.kubeconfig);
    sandbox.core.load([parse(files['deployment.yaml'] ?? '') as Obj]);
    deps.err.write(`created deployment/${TARGET} (1 replica, label numPods: "3") in the sandbox\n`);
    const kube = await deps.connectKube({ kubeconfig });
    try {
      return await loop(deps, options, dir, kube.client);
    } finally {
      kube.client.close();
    }
  } finally {
    await deps.scratch.remove(root);
  }
}

/** The autoscaling loop of the demo: stops once the target reached the last step. */
async function loop(deps: Deps, options: DemoOptions, dir: string, client: CpaKubeClient): Promise<number> {
  const flags = {
    dir,
    configFile: `${dir}/config.yaml`,
    once: false,
    dryRun: false,
    sandbox: false,
    logFormat: 'text' as const,
  };
  // The user's environment must not reconfigure the demo (a variable named `interval` would), so none is read.
  const { config, absDir } = await loadRunConfig(
    { ...deps, env: {} },
    { ...flags, intervalMs: options.intervalMs, apiAddr: null },
    undefined,
  );
  const logger = createLogger({ out: deps.err, clock: deps.clock, verbosity: 0, format: 'text' });
  const abort = new AbortController();
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: TARGET };
  const demoConfig = { ...config, scaleTargetRef: target, namespace: NAMESPACE, startTimeMs: 0 };
  const ctx = cycleContext(deps, {
    config: demoConfig,
    client,
    logger,
    absDir,
    dryRun: false,
    signal: abort.signal,
  });
  deps.err.write(
    `running the autoscaler from ${dir} every ${options.intervalMs}ms (metric: the numPods label; evaluate: that number)\n`,
  );
  const progress = { step: 0, failures: 0 };
  const deadline = deps.clock.nowMs() + options.deadlineMs;
  const unregister = deps.onShutdownSignal(() => abort.abort());
  try {
    await runLoop({
      clock: deps.clock,
      intervalMs: options.intervalMs,
      startTimeMs: 0,
      signal: abort.signal,
      tick: async () => {
        const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
        await advance(deps, client, report, progress);
        if (progress.step >= STEPS.length || deps.clock.nowMs() > deadline || progress.failures > 3)
          abort.abort();
      },
    });
  } finally {
    unregister();
  }
  if (progress.step < STEPS.length) {
    throw new CpaError(
      `the demo did not finish: the deployment did not reach ${STEPS[progress.step]} replicas`,
      {
        hint: 'run it again with the decision lines above in mind; `kubectl cpa demo --help` lists the options',
      },
    );
  }
  return finishDemo(deps, client, options);
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

/** Starts a sandbox and runs the demo in it; the sandbox is always closed. */
export async function runDemo(
  deps: Deps,
  options: DemoOptions,
  start: (o: StartSandboxOptions) => Promise<SandboxHandle>,
): Promise<number> {
  const started = deps.clock.nowMs();
  deps.err.write('starting the sandbox (an embedded Kubernetes API on 127.0.0.1, no cluster needed)…\n');
  const sandbox = await start({ clock: deps.clock, startDelayMs: options.readyDelayMs });
  deps.err.write(`sandbox ready at ${sandbox.url} in ${deps.clock.nowMs() - started}ms\n`);
  try {
    return await story(deps, options, sandbox);
  } finally {
    await sandbox.close();
  }
}
