// Shell completion scripts generated from the command tree (pure: a tree in, script text out).

/** A command and its flags, as completion needs them. */
export interface CompletionCommand {
  name: string;
  description: string;
  flags: string[];
}

function words(list: string[]): string {
  return list.join(' ');
}

/** bash: completes subcommands, then the flags of the chosen subcommand, then files. */
export function bashScript(bin: string, commands: CompletionCommand[]): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cases = commands.map((c) => `    ${c.name}) flags="${words(c.flags)}" ;;`).join('\n');
  return `# bash completion for ${bin}; load with: source <(${bin} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} sub=\${COMP_WORDS[1]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words(commands.map((c) => c.name))}" -- "$cur"))
    return
  fi
  case "$sub" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F ${fn} ${bin}
`;
}

/** zsh: one `_arguments` spec per subcommand. */
export function zshScript(bin: string, commands: CompletionCommand[]): string {
  const subs = commands.map((c) => `    '${c.name}:${c.description.replace(/'/g, '')}'`).join('\n');
  const cases = commands
    .map((c) => `    ${c.name}) _arguments ${c.flags.map((f) => `'${f}'`).join(' ')} '*:file:_files' ;;`)
    .join('\n');
  return `#compdef ${bin}
# zsh completion for ${bin}; load with: source <(${bin} completion zsh)
_${bin.replace(/[^A-Za-z0-9_]/g, '_')}() {
  local -a subcommands
  subcommands=(
${subs}
  )
  if (( CURRENT == 2 )); then _describe 'command' subcommands; return; fi
  case "$words[2]" in
${cases}
  esac
}
compdef _${bin.replace(/[^A-Za-z0-9_]/g, '_')} ${bin}
`;
}

/** fish: `complete` lines per subcommand and flag. */
export function fishScript(bin: string, commands: CompletionCommand[]): string {
  const lines = [
    `# fish completion for ${bin}; load with: ${bin} completion fish | source`,
    `complete -c ${bin} -f`,
  ];
  for (const c of commands) {
    lines.push(
      `complete -c ${bin} -n '__fish_use_subcommand' -a ${c.name} -d '${c.description.replace(/'/g, '')}'`,
    );
    for (const flag of c.flags.filter((f) => f.startsWith('--'))) {
      lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from ${c.name}' -l ${flag.slice(2)}`);
    }
  }
  return lines.join('\n') + '\n';
}
