// `kubectl cpa __complete WORDS…`: what to offer for the last word, in cobra's __complete protocol, which
// kubectl (≥ 1.26) speaks with a plugin's `kubectl_complete-cpa`: one candidate a line (`value\tdescription`),
// then `:DIRECTIVE`. Pure: the command tree and the words in; the candidates, or what to read from the
// cluster, out.
import type { KubeFlags } from './kube-flags.ts';

/** cobra's ShellCompDirective bits. */
export const DIRECTIVE = { default: 0, noSpace: 2, noFileComp: 4, filterDirs: 16 } as const;

/** A flag as completion sees it. */
export interface CompletionFlag {
  long?: string;
  short?: string;
  description: string;
  /** The flag is followed by a value (`-n NS`). */
  takesValue: boolean;
}

/** A subcommand as completion sees it. */
export interface CompletionNode {
  name: string;
  description: string;
  flags: CompletionFlag[];
}

/** What the cluster must tell before the answer is complete. */
export interface ClusterQuery {
  what: 'autoscalers' | 'namespaces';
  kube: KubeFlags;
  allNamespaces: boolean;
}

/** The answer, or the cluster query whose names (filtered by `prefix`) are the answer. */
export interface Completion {
  candidates: string[];
  directive: number;
  cluster?: ClusterQuery;
  prefix: string;
}

/** Values offered after `-o` for `status`. */
const OUTPUTS = ['table', 'wide', 'json', 'yaml', 'name', 'jsonpath=', 'custom-columns='];
/** Shells `completion` accepts. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'kubectl-plugin'];
/** Commands whose first argument is an autoscaler name. */
const NAMED = new Set(['status', 'logs']);

function flagOf(node: CompletionNode, word: string): CompletionFlag | undefined {
  return node.flags.find((f) => f.long === word || f.short === word);
}

/** The cluster flags given so far (`-n x`, `--context=y`), for reading names from the right place. */
function kubeFlagsOf(node: CompletionNode, words: readonly string[]): { kube: KubeFlags; all: boolean } {
  const kube: KubeFlags = {};
  let all = false;
  for (let i = 0; i < words.length; i++) {
    const [word = '', inline] = (words[i] as string).split(/=(.*)/s);
    const flag = flagOf(node, word);
    if (flag === undefined) continue;
    if (flag.long === '--all-namespaces') all = true;
    if (!flag.takesValue) continue;
    const value = inline ?? words[++i];
    if (value === undefined) continue;
    if (flag.long === '--namespace') kube.namespace = value;
    else if (flag.long === '--context') kube.context = value;
    else if (flag.long === '--kubeconfig') kube.kubeconfig = value;
  }
  return { kube, all };
}

/** Number of positional words (not flags, not flag values) in `words`. */
function positionals(node: CompletionNode, words: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('-')) n++;
    else if (!word.includes('=') && flagOf(node, word)?.takesValue) i++;
  }
  return n;
}

function matching(values: readonly string[], prefix: string): string[] {
  return values.filter((v) => v.startsWith(prefix));
}

/** What to offer for the last of `words` (the words after `kubectl cpa`; the last may be ''). */
export function completeWords(words: readonly string[], tree: readonly CompletionNode[]): Completion {
  const toComplete = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const none = (directive: number = DIRECTIVE.noFileComp): Completion => ({
    candidates: [],
    directive,
    prefix: toComplete,
  });
  const offer = (candidates: string[], directive: number = DIRECTIVE.noFileComp): Completion => ({
    candidates,
    directive,
    prefix: toComplete,
  });
  const [sub, ...rest] = before;
  if (sub === undefined)
    return offer(tree.filter((c) => c.name.startsWith(toComplete)).map((c) => `${c.name}\t${c.description}`));
  const node = tree.find((c) => c.name === sub);
  if (node === undefined) return none();
  const previous = flagOf(node, rest.at(-1) ?? '');
  if (previous?.takesValue) {
    if (previous.long === '--output')
      return offer(matching(OUTPUTS, toComplete), DIRECTIVE.noFileComp | DIRECTIVE.noSpace);
    if (previous.long === '--kubeconfig') return none(DIRECTIVE.default);
    if (previous.long === '--namespace') {
      const { kube } = kubeFlagsOf(node, rest);
      return { ...none(), cluster: { what: 'namespaces', kube, allNamespaces: true } };
    }
    return none();
  }
  if (toComplete.startsWith('-'))
    return offer(
      node.flags
        .flatMap((f) => (f.long === undefined ? [] : [`${f.long}\t${f.description}`]))
        .filter((c) => c.startsWith(toComplete)),
    );
  if (positionals(node, rest) > 0) return none();
  if (sub === 'completion') return offer(matching(COMPLETION_SHELLS, toComplete));
  if (sub === 'run') return none(DIRECTIVE.filterDirs);
  if (NAMED.has(sub)) {
    const { kube, all } = kubeFlagsOf(node, rest);
    return { ...none(), cluster: { what: 'autoscalers', kube, allNamespaces: all } };
  }
  return none();
}

/** The protocol's text: candidates (the cluster's `names` filtered by the prefix when it was asked), then the directive. */
export function completionText(c: Completion, names: readonly string[] = []): string {
  const fromCluster = [...new Set(names)].filter((n) => n.startsWith(c.prefix)).sort();
  return [...c.candidates, ...fromCluster, `:${c.directive}`].map((l) => `${l}\n`).join('');
}
