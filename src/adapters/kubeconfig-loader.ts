// The client-node half of kubeconfig loading: parsing a file's text with client-node's own loader (so the
// credentials, exec plugins and auth providers mean what they mean to client-node) and building the
// KubeConfig of the context src/kube/kubeconfig.ts chose. The only module that constructs a KubeConfig.
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { CpaError } from '../errors.ts';
import {
  chooseKubeconfig,
  kubeconfigTypeProblem,
  type KubeconfigSources,
  type ParsedKubeconfig,
} from '../kube/kubeconfig.ts';
import type { KubeOptions } from '../ports.ts';
import { realFiles } from './files.ts';

/** The chosen context with everything needed to build a client and to tell the user where it points. */
export interface LoadedKubeconfig {
  kc: KubeConfig;
  context: string;
  namespace: string;
  server: string;
  /** The files merged, or `in-cluster`. */
  source: string;
}

/**
 * Loads and merges kubeconfig like kubectl, selects the context and namespace. Throws Usage/CpaError.
 * Files are read through `sources.files`, the real files when absent.
 */
export async function loadKubeconfig(
  options: KubeOptions,
  sources: KubeconfigSources,
): Promise<LoadedKubeconfig> {
  const files = sources.files ?? realFiles;
  const choice = await chooseKubeconfig(options, { ...sources, files }, parseKubeconfigText);
  const kc = new KubeConfig();
  kc.loadFromOptions(choice.config);
  const { context, namespace, server, source } = choice;
  return { kc, context, namespace, server, source };
}

/** Parses one kubeconfig file; relative certificate paths are resolved against the file's directory. Throws CpaError. */
export function parseKubeconfigText(file: string, text: string): ParsedKubeconfig {
  const kc = new KubeConfig();
  if (text.trim() !== '') {
    try {
      // Invalid entries (a cluster without server, …) are dropped as kubectl ignores entries it does not use.
      kc.loadFromString(text, { onInvalidEntry: 'filter' });
    } catch (err) {
      throw new CpaError(`failed to parse kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
    }
    const problem = kubeconfigTypeProblem({
      currentContext: kc.currentContext as unknown,
      clusters: kc.getClusters(),
      users: kc.getUsers(),
      contexts: kc.getContexts(),
    });
    if (problem !== undefined) throw new CpaError(`failed to parse kubeconfig ${file}: ${problem}`);
    kc.makePathsAbsolute(path.dirname(path.resolve(file)));
  }
  return {
    clusters: kc.getClusters() ?? [],
    users: kc.getUsers() ?? [],
    contexts: kc.getContexts() ?? [],
    currentContext: kc.getCurrentContext() ?? '',
  };
}
