// The `kubectl cpa` command tree. Each subcommand registers itself from its own module.
import { Command } from 'commander';
import type { Deps } from '../ports.ts';
import { registerRun } from './run.ts';
import { registerStatus } from './status.ts';
import { registerVersion } from './version.ts';
import { registerCompletion } from './completion.ts';
import { registerLogs } from './logs.ts';
import { registerSandbox } from './sandbox.ts';
import { registerDemo } from './demo.ts';
import type { CommandState } from './state.ts';

/** Builds the program with output going through Deps and errors thrown instead of exiting. */
export function buildProgram(deps: Deps, state: CommandState): Command {
  const program = new Command('kubectl cpa')
    .description(
      'Custom Pod Autoscaler as a kubectl plugin: runs your own metric and evaluate logic (any language) ' +
        'against the current kube context and scales the target through its scale subresource.',
    )
    .usage('<command> [flags]')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.out.write(s),
      writeErr: (s) => deps.err.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  program.addHelpText(
    'after',
    '\nExamples:\n' +
      '  # run an autoscaler project (config.yaml + scripts) once against the current context\n' +
      '  kubectl cpa run ./my-autoscaler --once\n\n' +
      '  # keep scaling deployment "web" every 10s, without patching (see what it would do)\n' +
      '  kubectl cpa run ./my-autoscaler --target deploy/web -n team-a --interval 10s --dry-run\n',
  );
  registerRun(program, deps, state);
  registerStatus(program, deps, state);
  registerVersion(program, deps);
  registerCompletion(program, deps);
  registerLogs(program, deps, state);
  registerSandbox(program, deps, state);
  registerDemo(program, deps, state);
  return program;
}
