// `kubectl cpa run`: options → validate → load config → connect → one cycle (--once) or the loop + API.
import type { Command } from 'commander';
import type { Deps } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { runCycle } from '../autoscaler/cycle.ts';
import { serve } from '../autoscaler/service.ts';
import { parseTargetFlag, type ParsedTarget } from '../kube/target-flag.ts';
import type { CpaKubeClient } from '../kube/client.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import type { Logger } from '../log/events.ts';
import { parseAllDocuments } from 'yaml';
import type { Obj } from '../sandbox/types.ts';
import { createLogger } from '../log/logger.ts';
import { cycleContext } from './cycle-context.ts';
import type { CommandState } from './program.ts';
import { loadRunConfig } from './run-config.ts';
import { validateRunFlags, type RawRunFlags, type RunFlags } from './run-flags.ts';

const HELP_AFTER = `
Configuration (CPA v2 config.yaml, or the v0.8.0 format of CPA's getting-started guide) is read from
DIR/config.yaml; environment variables named exactly like a top-level key override it (as in CPA), flags
override both. Hooks and scripts run on this machine with DIR as their working directory. When DIR has a
Dockerfile, image paths created by its ADD/COPY lines (e.g. /metric.py) are mapped to the files in DIR.

Examples:
  kubectl cpa run examples/python-custom-autoscaler --once
  kubectl cpa run . --target deploy/web -n team-a --interval 10s
  kubectl cpa run . --target apps/v1/StatefulSet/db --dry-run -v 3 --log-format json
`;

/** Registers `run [DIR]`. */
export function registerRun(program: Command, deps: Deps, state: CommandState): void {
  program
    .command('run')
    .description('Run a Custom Pod Autoscaler loop against the current kube context')
    .argument('[DIR]', 'autoscaler directory: config.yaml, scripts, optional Dockerfile', '.')
    .option('-f, --filename <CONFIG>', 'configuration file (default: DIR/config.yaml)')
    .option(
      '--target <KIND/NAME>',
      'scale target: deploy/web, sts/db, apps/v1/StatefulSet/db (overrides scaleTargetRef)',
    )
    .option('-n, --namespace <NS>', 'namespace of the target (overrides the config namespace)')
    .option('--kubeconfig <FILE>', 'path to the kubeconfig file to use')
    .option('--context <NAME>', 'kubeconfig context to use')
    .option('--once', 'run one cycle and exit: 0 if it succeeded, 1 if it failed')
    .option('--dry-run', 'run metric, evaluate and hooks but never patch the target; log what would change')
    .option('--interval <DURATION>', 'time between cycles, e.g. 15s, 500ms, 1m (overrides interval)')
    .option('--api-addr <HOST:PORT>', 'address of the REST API (default 127.0.0.1:5000)')
    .option('--no-api', 'do not start the REST API')
    .option('-v, --v <N>', 'log verbosity 0-4 (overrides logVerbosity)')
    .option('--log-format <FORMAT>', 'text or json (one JSON object per line)', 'text')
    .option(
      '--sandbox',
      'start an embedded sandbox API and run against it (loads DIR/deployment.yaml if present)',
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, raw: RawRunFlags) => {
      state.exitCode = await run(deps, dir, raw);
    });
}

/** The whole `run` command; returns the exit code. */
async function run(deps: Deps, dir: string, raw: RawRunFlags): Promise<number> {
  const flags = validateRunFlags(dir, raw);
  const parsedTarget = flags.target === undefined ? undefined : parseTargetFlag(flags.target);
  const flagRef = parsedTarget?.form === 'ref' ? parsedTarget.ref : undefined;
  const { config, notes, absDir, namespaceSet } = await loadRunConfig(deps, flags, flagRef);
  const verbosity = flags.verbosity ?? config.logVerbosity;
  const logger = createLogger({ out: deps.err, clock: deps.clock, verbosity, format: flags.logFormat });
  for (const note of notes) logger.log({ kind: 'info', level: 1, message: note });
  if (config.kubernetesMetricSpecs !== null) {
    throw new ConfigError('kubernetesMetricSpecs is not supported yet by kubectl-cpa', [], {
      hint: 'remove kubernetesMetricSpecs (gather the numbers in your metric script instead) until support lands',
    });
  }
  if (!config.scaleTargetRef && parsedTarget?.form !== 'lookup') {
    throw new ConfigError(
      'no scale target: set scaleTargetRef in the config, the scaleTargetRef environment variable, or --target',
      [],
      { hint: 'e.g. kubectl cpa run DIR --target deployment/web' },
    );
  }
  const sandbox = flags.sandbox ? await startRunSandbox(deps, flags) : undefined;
  try {
    const kubeconfig = sandbox?.kubeconfig ?? flags.kubeconfig;
    return await connected(
      deps,
      { ...flags, kubeconfig },
      { config, logger, absDir, namespaceSet, parsedTarget },
    );
  } finally {
    await sandbox?.close();
  }
}

/** What `run` has settled before it connects. */
interface Prepared {
  config: Config;
  logger: Logger;
  absDir: string;
  namespaceSet: boolean;
  parsedTarget: ParsedTarget | undefined;
}

/** Connects to the cluster, resolves the target and runs. */
async function connected(deps: Deps, flags: RunFlags, prepared: Prepared): Promise<number> {
  const { config, logger, absDir, namespaceSet, parsedTarget } = prepared;
  const options = { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace };
  const kube = await deps.connectKube(options);
  try {
    const target =
      parsedTarget?.form === 'lookup' ? await lookupTarget(kube.client, parsedTarget) : config.scaleTargetRef;
    if (!target) throw new ConfigError('no scale target');
    const namespace = namespaceSet ? config.namespace : kube.namespace;
    logger.log({
      kind: 'info',
      level: 1,
      message: `using context "${kube.context}" (${kube.server}), namespace "${namespace}"`,
    });
    const resolved = { ...config, scaleTargetRef: target, namespace };
    return await runWith(deps, flags, resolved, logger, kube.client, absDir);
  } finally {
    kube.client.close();
  }
}

/** `run --sandbox`: an in-process sandbox with DIR/deployment.yaml loaded; its kubeconfig in a scratch dir. */
async function startRunSandbox(
  deps: Deps,
  flags: RunFlags,
): Promise<{ kubeconfig: string; close(): Promise<void> }> {
  const { startSandbox } = await import('../sandbox/server.ts');
  const sandbox = await startSandbox({ clock: deps.clock, startDelayMs: 300 });
  const scratch = await deps.scratch.makeDir('kubectl-cpa-sandbox-');
  const kubeconfig = `${scratch}/kubeconfig`;
  await deps.scratch.writeText(kubeconfig, sandbox.kubeconfig);
  const manifests = await deps.files.readText(`${flags.dir}/deployment.yaml`);
  const loaded =
    manifests === null ? [] : sandbox.core.load(parseAllDocuments(manifests).map((d) => d.toJSON() as Obj));
  deps.err.write(
    `sandbox ready at ${sandbox.url}${loaded.length > 0 ? ` with ${flags.dir}/deployment.yaml loaded` : ''}\n`,
  );
  return {
    kubeconfig,
    close: async () => {
      await sandbox.close();
      await deps.scratch.remove(scratch);
    },
  };
}

/** Finds apiVersion and kind for a kubectl resource word given to --target (`wk/w`, `rollouts.argoproj.io/r`). */
async function lookupTarget(
  client: CpaKubeClient,
  parsed: Extract<ParsedTarget, { form: 'lookup' }>,
): Promise<ScaleTargetRef> {
  const found = await client.lookupResource(parsed.resource, {
    group: parsed.group,
    version: parsed.version,
  });
  return { apiVersion: found.apiVersion, kind: found.kind, name: parsed.name };
}

/** Runs one cycle (--once) or the loop with the REST API, once the target is known. */
async function runWith(
  deps: Deps,
  flags: RunFlags,
  config: Config & { scaleTargetRef: ScaleTargetRef },
  logger: Logger,
  client: CpaKubeClient,
  absDir: string,
): Promise<number> {
  const abort = new AbortController();
  const unregisterKube = closeKubeOnShutdown(deps, client);
  const ctx = cycleContext(deps, {
    config,
    client,
    logger,
    absDir,
    dryRun: flags.dryRun,
    signal: abort.signal,
  });
  try {
    if (!flags.once) {
      await serve(ctx, deps, abort);
      return 0;
    }
    const unregister = deps.onShutdownSignal(() => abort.abort());
    try {
      const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
      return report.error ? 1 : 0;
    } finally {
      unregister();
    }
  } finally {
    unregisterKube();
  }
}

/** How long API calls in flight may still finish after SIGINT/SIGTERM (a scale PATCH, the last record). */
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * On the first signal, API calls still running get SHUTDOWN_GRACE_MS to finish; then, or at once on a second
 * signal, the client is closed so a hung API server cannot hold the process for its request timeouts.
 */
function closeKubeOnShutdown(deps: Deps, client: CpaKubeClient): () => void {
  let signals = 0;
  const graceOver = new AbortController();
  const unregister = deps.onShutdownSignal(() => {
    signals += 1;
    if (signals > 1) return client.close();
    void deps.clock.sleep(SHUTDOWN_GRACE_MS, graceOver.signal).then(() => client.close());
  });
  return () => {
    unregister();
    graceOver.abort();
  };
}
