// The `kubectl cpa` command tree. Each subcommand registers itself from its own module.
import { Command } from 'commander';
import { errorJsonLine } from '../logger/error-line.ts';
import { UsageError } from '../errors.ts';
import type { Deps } from '../ports.ts';
import { commandHint } from './suggest.ts';
import { registerRun } from './run.ts';
import { registerStatus } from './status.ts';
import { registerPause } from './pause.ts';
import { registerVersion } from './version.ts';
import { registerCompletion } from './completion.ts';
import { registerLogs } from './logs.ts';
import { registerSandbox } from './sandbox.ts';
import { registerDemo } from './demo.ts';
import { registerSimulate } from './simulate.ts';
import { registerInit } from './init.ts';
import { registerDeploy } from './deploy.ts';
import type { CommandState } from './state.ts';

/** How the program reports. */
export interface ProgramOptions {
  /** `--log-format json`: commander's own errors (unknown option, missing argument) as JSON lines too. */
  jsonErrors?: boolean;
}

/** Commander's error text (`error: unknown option '--x'\n(Did you mean --y?)\n`) as one JSON line. */
function commanderErrorJson(text: string, nowMs: number): string {
  const [message = '', ...rest] = text.trim().split('\n');
  const hint = rest.map((l) => l.replace(/^\((.*)\)$/, '$1')).join('; ');
  return errorJsonLine(
    { message: message.replace(/^error: /, ''), exitCode: 2, ...(hint ? { hint } : {}) },
    new Date(nowMs).toISOString(),
  );
}

/** Builds the program with output going through Deps and errors thrown instead of exiting. */
export function buildProgram(deps: Deps, state: CommandState, options: ProgramOptions = {}): Command {
  const program = new Command('kubectl cpa')
    .description(
      'Custom Pod Autoscaler as a kubectl plugin: runs your own metric and evaluate logic (any language) ' +
        'against the current kube context and scales the target through its scale subresource.',
    )
    .usage('<command> [flags]')
    // In JSON mode the usage pointer would be a second, non-JSON line.
    .showHelpAfterError(options.jsonErrors ? false : '(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.out.write(s),
      writeErr: (s) => deps.err.write(s),
      outputError: (s, write) =>
        write(
          options.jsonErrors
            ? commanderErrorJson(s, deps.clock.nowMs())
            : s.startsWith('error:')
              ? s
              : `error: ${s}`,
        ),
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
  registerPause(program, deps, state);
  registerVersion(program, deps);
  registerCompletion(program, deps);
  registerLogs(program, deps, state);
  registerSandbox(program, deps, state);
  registerDemo(program, deps, state);
  registerSimulate(program, deps, state);
  registerInit(program, deps, state);
  registerDeploy(program, deps, state);
  // kubectl's wording and its "Did you mean" for commands, with kubectl's own verbs mapped (get → status).
  program.on('command:*', (operands: string[]) => {
    const word = operands[0] ?? '';
    const names = program.commands.map((c) => c.name()).filter((n) => !n.startsWith('_'));
    const hint = commandHint(word, names);
    throw new UsageError(`unknown command "${word}" for "kubectl cpa"`, {
      hint: hint ?? 'see `kubectl cpa --help` for the commands',
    });
  });
  return program;
}
