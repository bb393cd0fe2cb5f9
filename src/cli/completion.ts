// `kubectl cpa completion bash|zsh|fish|kubectl-plugin`: prints a completion script; the hidden
// `__complete WORDS…` answers kubectl's plugin completion (through `kubectl_complete-cpa`), reading
// autoscaler and namespace names from the cluster when the word wants one.
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import type { Deps } from '../ports.ts';
import { bashScript, fishScript, zshScript, type CompletionCommand } from './completion-scripts.ts';
import { pluginCompletionScript } from './completion-plugin.ts';
import { clusterNames } from './completion-names.ts';
import { COMPLETION_SHELLS, completeWords, completionText, type CompletionNode } from './complete-words.ts';

/** The hidden command kubectl_complete-cpa calls (cobra's name for it). */
const COMPLETE = '__complete';

/** The visible subcommands. */
function visible(program: Command): Command[] {
  return program.commands.filter((c) => c.name() !== COMPLETE);
}

/** The command tree reduced to names, descriptions and long/short flags. */
export function describeCommands(program: Command): CompletionCommand[] {
  return visible(program).map((c) => ({
    name: c.name(),
    description: c.description(),
    flags: c.options
      .flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string'))
      .concat('--help'),
  }));
}

/** The command tree with what completion needs of each flag. */
export function completionTree(program: Command): CompletionNode[] {
  return visible(program).map((c) => ({
    name: c.name(),
    description: c.description(),
    flags: c.options.map((o) => ({
      ...(o.long === undefined ? {} : { long: o.long }),
      ...(o.short === undefined ? {} : { short: o.short }),
      description: o.description,
      takesValue: o.required || o.optional,
    })),
  }));
}

/** Registers `completion SHELL` and the hidden `__complete`. */
export function registerCompletion(program: Command, deps: Deps): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh, fish, or kubectl-plugin for kubectl cpa <TAB>)')
    .argument('<SHELL>', COMPLETION_SHELLS.join(', '))
    .action((shell: string) => {
      const commands = describeCommands(program);
      const bin = 'kubectl-cpa';
      if (shell === 'bash') deps.out.write(bashScript(bin, commands));
      else if (shell === 'zsh') deps.out.write(zshScript(bin, commands));
      else if (shell === 'fish') deps.out.write(fishScript(bin, commands));
      else if (shell === 'kubectl-plugin') deps.out.write(pluginCompletionScript());
      else
        throw new UsageError(`completion: unsupported shell "${shell}"; use ${COMPLETION_SHELLS.join(', ')}`);
    });
  program
    .command(COMPLETE, { hidden: true })
    .description('answer shell completion (used by kubectl_complete-cpa)')
    .argument('[WORDS...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (words: string[]) => {
      const answer = completeWords(words.length === 0 ? [''] : words, completionTree(program));
      const names = answer.cluster === undefined ? [] : await clusterNames(deps, answer.cluster);
      deps.out.write(completionText(answer, names));
    });
}
