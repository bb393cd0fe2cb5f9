// `kubectl cpa init DIR`: flags → the project's files (src/init, pure) → written into DIR, which must be
// empty unless --force. Prints what it made and the next commands.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import type { ScaleTargetRef } from '../config/types.ts';
import { parseTargetFlag } from '../kube/target-flag.ts';
import type { Deps } from '../ports.ts';
import { scaffold, type InitOptions } from '../init/project.ts';
import type { CommandState } from './state.ts';

/** Raw options as commander delivers them. */
export interface RawInitFlags {
  lang: string;
  mode: string;
  target: string;
  http?: boolean;
  force?: boolean;
}

const LANGS = ['python', 'node', 'bash'] as const;
const MODES = ['per-resource', 'per-pod'] as const;

const HELP_AFTER = `
The project works at once: config.yaml (CPA v2), a metric and an evaluate hook in the language, a sample
trace, deployment.yaml for the sandbox, the Dockerfile for the in-cluster image, and a README with the next
three commands (simulate, run --sandbox --once, run against your cluster).

Examples:
  kubectl cpa init my-autoscaler
  kubectl cpa init scaler --lang node --mode per-pod --target statefulset/db
  kubectl cpa init scaler --lang python --http     # the evaluator as an HTTP server
`;

/** Validates the flags; one UsageError listing every problem. */
export function validateInitFlags(
  dir: string,
  raw: RawInitFlags,
  version: string,
): InitOptions & { force: boolean } {
  const problems: string[] = [];
  if (!(LANGS as readonly string[]).includes(raw.lang))
    problems.push(`--lang: "${raw.lang}" is not one of ${LANGS.join(', ')}`);
  if (!(MODES as readonly string[]).includes(raw.mode))
    problems.push(`--mode: "${raw.mode}" is not one of ${MODES.join(', ')}`);
  if (raw.http === true && raw.lang === 'bash')
    problems.push(
      '--http: the HTTP evaluator is written in python or node; use --lang python or --lang node',
    );
  let target: ScaleTargetRef | undefined;
  try {
    const parsed = parseTargetFlag(raw.target);
    if (parsed.form === 'ref') target = parsed.ref;
    else
      problems.push(
        `--target: "${raw.target}" needs its API version to be written without a cluster: GROUP/VERSION/KIND/NAME (e.g. argoproj.io/v1alpha1/Rollout/web)`,
      );
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (dir.trim() === '') problems.push('DIR: needs a directory to create the project in');
  if (problems.length > 0 || target === undefined)
    throw new UsageError(`invalid flags for "init":\n  - ${problems.join('\n  - ')}`);
  return {
    dir,
    lang: raw.lang as InitOptions['lang'],
    mode: raw.mode as InitOptions['mode'],
    target,
    http: raw.http === true,
    version,
    force: raw.force === true,
  };
}

/** Registers `init DIR`. */
export function registerInit(program: Command, deps: Deps, state: CommandState): void {
  program
    .command('init')
    .description('Create an autoscaler project that works at once (hooks, config, sample trace, Dockerfile)')
    .argument('<DIR>', 'directory to create (it must be empty or not exist)')
    .option('--lang <LANG>', 'language of the hooks: python, node or bash', 'python')
    .option(
      '--mode <MODE>',
      'per-resource (one metric of the target) or per-pod (one per pod)',
      'per-resource',
    )
    .option(
      '--target <KIND/NAME>',
      'the workload to scale: deployment/web, sts/db, GROUP/VERSION/KIND/NAME',
      'deployment/my-app',
    )
    .option('--http', 'serve the evaluator over HTTP instead of starting it per cycle')
    .option('--force', 'write into a non-empty DIR, replacing files of the same names')
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, raw: RawInitFlags) => {
      state.exitCode = await runInit(deps, validateInitFlags(dir, raw, deps.version));
    });
}

async function runInit(deps: Deps, options: InitOptions & { force: boolean }): Promise<number> {
  const abs = resolve(deps.cwd, options.dir);
  const existing = await deps.scratch.listDir(abs);
  if (existing !== null && existing.length > 0 && !options.force) {
    const shown =
      existing.slice(0, 5).join(', ') + (existing.length > 5 ? `, … (${existing.length} in all)` : '');
    throw new UsageError(`${options.dir} is not empty (${shown}); refusing to write into it`, {
      hint: `pick a new directory, or pass --force to write the project's files into ${options.dir}`,
    });
  }
  const files = scaffold(options);
  for (const [name, text] of Object.entries(files)) await deps.scratch.writeText(`${abs}/${name}`, text);
  deps.err.write(`created ${options.dir}: ${Object.keys(files).sort().join(', ')}\n`);
  deps.out.write(
    files['README.md']!.slice(files['README.md']!.indexOf('## Next three commands')).replace(/^## /, ''),
  );
  return 0;
}
