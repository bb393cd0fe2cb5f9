// `kubectl cpa run`: flags → validate → the runner prepares (config, connection, target, namespace) and
// runs (one cycle with --once, else the loop and the REST API). This module parses and prints, nothing more.
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import type { Deps } from '../ports.ts';
import { runMany } from '../runner/many.ts';
import { prepareMany } from '../runner/prepare.ts';
import { checkRoster, findAutoscalerDirs, nameRuns } from '../runner/roster.ts';
import { openSandbox, type OpenedSandbox } from '../sandbox/start.ts';
import type { Obj } from '../sandbox/wire/json.ts';
import { addKubeFlags } from './kube-flags.ts';
import { addLeaderFlags } from './leader-flags.ts';
import { runElectedMany } from '../runner/elected.ts';
import { createLogger } from '../logger/logger.ts';
import type { CommandState } from './state.ts';
import { DEFAULT_MAX_HOOKS, validateRunFlags, type RawRunFlags } from './run-flags.ts';

const HELP_AFTER = `
Configuration (CPA v2 config.yaml, or the v0.8.0 format of CPA's getting-started guide) is read from
DIR/config.yaml; environment variables named exactly like a top-level key override it (as in CPA), flags
override both. Hooks and scripts run on this machine with DIR as their working directory. When DIR has a
Dockerfile, image paths created by its ADD/COPY lines (e.g. /metric.py) are mapped to the files in DIR.

Several autoscalers run in one process (each with its own interval, hooks and state; one connection,
one REST API at /autoscalers/NAME/api/v1/…, one bound on hook calls): kubectl cpa run DIR1 DIR2, or
kubectl cpa run --all PARENT for every PARENT/*/config.yaml. An autoscaler writes its target only while it
holds the claim in the target's status annotation; another runner's fresh claim means no write.

Examples:
  kubectl cpa run examples/python-custom-autoscaler --once
  kubectl cpa run autoscalers/web autoscalers/worker --metrics-addr :9100
  kubectl cpa run --all autoscalers --max-hooks 16
  kubectl cpa run . --target deploy/web -n team-a --interval 10s
  kubectl cpa run . --target apps/v1/StatefulSet/db --dry-run -v 3 --log-format json
`;

/** Registers `run [DIR]`. */
export function registerRun(program: Command, deps: Deps, state: CommandState): void {
  const command = program
    .command('run')
    .description('Run a Custom Pod Autoscaler loop against the current kube context')
    .argument('[DIR...]', 'autoscaler directories: config.yaml, scripts, optional Dockerfile (default .)')
    .option('--all <PARENT>', 'run every subdirectory of PARENT that holds a config.yaml')
    .option('--name <NAME>', "the autoscaler's name (default: the config's name, else the directory's)")
    .option('-f, --filename <CONFIG>', 'configuration file (default: DIR/config.yaml)')
    .option(
      '--target <KIND/NAME>',
      'scale target: deploy/web, sts/db, apps/v1/StatefulSet/db (overrides scaleTargetRef)',
    );
  addKubeFlags(command, { namespace: 'namespace of the target (overrides the config namespace)' })
    .option('--once', 'run one cycle and exit: 0 if it succeeded, 1 if it failed')
    .option('--dry-run', 'run metric, evaluate and hooks but never patch the target; log what would change')
    .option('--interval <DURATION>', 'time between cycles, e.g. 15s, 500ms, 1m (overrides interval)')
    .option('--api-addr <HOST:PORT>', 'address of the REST API (default 127.0.0.1:5000)')
    .option('--no-api', 'do not start the REST API')
    .option('--api-token-file <FILE>', 'REST API requests need "Authorization: Bearer <token in FILE>"')
    .option(
      '--api-insecure',
      'allow a non-loopback --api-addr without a token (anyone reaching it can scale)',
    )
    .option(
      '--max-hooks <N>',
      `shell hook processes running at once across all autoscalers (default ${DEFAULT_MAX_HOOKS})`,
    )
    .option('--take-over', "write the target even while another runner's claim on it is fresh")
    .option(
      '--lease-duration <DURATION>',
      'how long a claim on a target lasts without renewal (default: max(3 intervals, 1m + 2 intervals))',
    )
    .option('--metrics-addr <HOST:PORT>', 'serve /metrics, /healthz, /readyz here (default: on the REST API)')
    .option('-v, --v <N>', 'log verbosity 0-4 (overrides logVerbosity)')
    .option('--log-format <FORMAT>', 'text or json (one JSON object per line)', 'text')
    .option(
      '--sandbox',
      'start an embedded sandbox API and run against it (loads DIR/deployment.yaml if present)',
    )
    .addHelpText('after', HELP_AFTER);
  addLeaderFlags(command).action(async (dirs: string[], raw: RawRunFlags) => {
    state.exitCode = await run(deps, dirs, raw);
  });
}

/** The whole `run` command; returns the exit code. */
async function run(deps: Deps, dirArgs: string[], raw: RawRunFlags): Promise<number> {
  const flags = validateRunFlags(dirArgs, raw);
  const dirs = flags.all !== undefined ? await findAutoscalerDirs(deps, flags.all) : flags.dirs;
  const sandbox = flags.sandbox ? await openRunSandbox(deps, dirs) : undefined;
  try {
    const prepared = await prepareMany(
      deps,
      {
        namespace: flags.namespace,
        intervalMs: flags.intervalMs,
        apiAddr: flags.apiAddr,
        kubeconfig: sandbox?.kubeconfigPath ?? flags.kubeconfig,
        context: flags.context,
        env: deps.env,
      },
      dirs.map((dir) =>
        dirs.length === 1 && flags.all === undefined
          ? { dir, configFile: flags.configFile, target: flags.target }
          : { dir },
      ),
    );
    const runs = nameRuns(prepared, flags.name);
    try {
      checkRoster(runs);
    } catch (err) {
      prepared[0]?.client.close();
      throw err;
    }
    const many = {
      once: flags.once,
      dryRun: flags.dryRun,
      logFormat: flags.logFormat,
      ...(flags.verbosity === undefined ? {} : { verbosity: flags.verbosity }),
      tokenFile: flags.apiTokenFile,
      insecure: flags.apiInsecure,
      maxHooks: flags.maxHooks,
      takeOver: flags.takeOver,
      ...(flags.leaseMs === undefined ? {} : { leaseMs: flags.leaseMs }),
      ...(flags.metricsAddr === undefined ? {} : { metricsAddr: flags.metricsAddr }),
    };
    if (flags.leader === undefined) return await runMany(deps, runs, many);
    const kube = { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace };
    const logger = createLogger({
      out: deps.err,
      clock: deps.clock,
      verbosity: flags.verbosity ?? 0,
      format: flags.logFormat,
    });
    return await runElectedMany(deps, runs, many, flags.leader, kube, logger);
  } finally {
    await sandbox?.close();
  }
}

/** `run --sandbox`: openSandbox with DIR/deployment.yaml (if any) loaded; its kubeconfig in scratch space. */
async function openRunSandbox(deps: Deps, dirs: readonly string[]): Promise<OpenedSandbox> {
  const manifests: Obj[] = [];
  const loaded: string[] = [];
  for (const dir of dirs) {
    const text = await deps.files.readText(`${dir}/deployment.yaml`);
    if (text === null) continue;
    manifests.push(...parseAllDocuments(text).map((d) => d.toJSON() as Obj));
    loaded.push(`${dir}/deployment.yaml`);
  }
  const sandbox = await openSandbox(deps, { startDelayMs: 300, manifests });
  deps.err.write(
    `sandbox ready at ${sandbox.url}${sandbox.loaded.length > 0 ? ` with ${loaded.join(', ')} loaded` : ''}\n`,
  );
  return sandbox;
}
