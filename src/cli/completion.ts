// `kubectl cpa completion bash|zsh|fish`: prints a completion script for kubectl-cpa.
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import type { Deps } from '../ports.ts';
import { bashScript, fishScript, zshScript, type CompletionCommand } from './completion-scripts.ts';

/** The command tree reduced to names, descriptions and long/short flags. */
export function describeCommands(program: Command): CompletionCommand[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    flags: c.options
      .flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string'))
      .concat('--help'),
  }));
}

/** Registers `completion SHELL`. */
export function registerCompletion(program: Command, deps: Deps): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .argument('<SHELL>', 'bash, zsh or fish')
    .action((shell: string) => {
      const commands = describeCommands(program);
      const bin = 'kubectl-cpa';
      if (shell === 'bash') deps.out.write(bashScript(bin, commands));
      else if (shell === 'zsh') deps.out.write(zshScript(bin, commands));
      else if (shell === 'fish') deps.out.write(fishScript(bin, commands));
      else throw new UsageError(`completion: unsupported shell "${shell}"; use bash, zsh or fish`);
    });
}
