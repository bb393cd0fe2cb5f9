// `kubectl cpa run`: flags → validate → the runner prepares (config, connection, target, namespace) and
// runs (one cycle with --once, else the loop and the REST API). This module parses and prints, nothing more.
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { createLogger } from '../logger/logger.ts';
import type { Deps } from '../ports.ts';
import { prepareRun } from '../runner/prepare.ts';
import { runPrepared } from '../runner/serve.ts';
import { openSandbox, type OpenedSandbox } from '../sandbox/start.ts';
import type { Obj } from '../sandbox/wire/json.ts';
import { addKubeFlags } from './kube-flags.ts';
import type { CommandState } from './state.ts';
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
  const command = program
    .command('run')
    .description('Run a Custom Pod Autoscaler loop against the current kube context')
    .argument('[DIR]', 'autoscaler directory: config.yaml, scripts, optional Dockerfile', '.')
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
  const sandbox = flags.sandbox ? await openRunSandbox(deps, flags) : undefined;
  try {
    const prepared = await prepareRun(deps, {
      dir: flags.dir,
      configFile: flags.configFile,
      target: flags.target,
      namespace: flags.namespace,
      intervalMs: flags.intervalMs,
      apiAddr: flags.apiAddr,
      kubeconfig: sandbox?.kubeconfigPath ?? flags.kubeconfig,
      context: flags.context,
      env: deps.env,
    });
    const verbosity = flags.verbosity ?? prepared.config.logVerbosity;
    const logger = createLogger({ out: deps.err, clock: deps.clock, verbosity, format: flags.logFormat });
    for (const note of prepared.notes) logger.log({ kind: 'info', level: 1, message: note });
    return await runPrepared(deps, prepared, {
      logger,
      once: flags.once,
      dryRun: flags.dryRun,
      tokenFile: flags.apiTokenFile,
      insecure: flags.apiInsecure,
    });
  } finally {
    await sandbox?.close();
  }
}

/** `run --sandbox`: openSandbox with DIR/deployment.yaml (if any) loaded; its kubeconfig in scratch space. */
async function openRunSandbox(deps: Deps, flags: RunFlags): Promise<OpenedSandbox> {
  const text = await deps.files.readText(`${flags.dir}/deployment.yaml`);
  const manifests = text === null ? [] : parseAllDocuments(text).map((d) => d.toJSON() as Obj);
  const sandbox = await openSandbox(deps, { startDelayMs: 300, manifests });
  deps.err.write(
    `sandbox ready at ${sandbox.url}${sandbox.loaded.length > 0 ? ` with ${flags.dir}/deployment.yaml loaded` : ''}\n`,
  );
  return sandbox;
}
