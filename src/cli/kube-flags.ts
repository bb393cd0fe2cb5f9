// The flags that pick a cluster and namespace, spelled as kubectl spells them, declared once for every command
// that talks to a cluster (status, logs, run) so their names and help cannot drift apart.
import type { Command } from 'commander';
import type { KubeOptions } from '../ports.ts';

/** The cluster flags as commander delivers them and `deps.connectKube` takes them. */
export type KubeFlags = Pick<KubeOptions, 'kubeconfig' | 'context' | 'namespace'>;

/** Help of the kube flags whose meaning depends on the command. */
export interface KubeFlagHelp {
  /** `-n/--namespace`: what the namespace selects and where its default comes from. */
  namespace: string;
  /** `-A/--all-namespaces`; the flag exists only on commands that give its help. */
  allNamespaces?: string;
}

/**
 * Adds `-n/--namespace <NS>`, `-A/--all-namespaces` (when `help.allNamespaces` is set), `--kubeconfig <FILE>`
 * and `--context <NAME>` to `command`, in that order; returns `command` so that more options can follow.
 */
export function addKubeFlags(command: Command, help: KubeFlagHelp): Command {
  command.option('-n, --namespace <NS>', help.namespace);
  if (help.allNamespaces !== undefined) command.option('-A, --all-namespaces', help.allNamespaces);
  return command
    .option('--kubeconfig <FILE>', 'path to the kubeconfig file to use')
    .option('--context <NAME>', 'kubeconfig context to use');
}

/** The cluster part of a command's validated flags, as `deps.connectKube` takes it. */
export function kubeOptions(flags: KubeFlags): KubeOptions {
  return { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace };
}
