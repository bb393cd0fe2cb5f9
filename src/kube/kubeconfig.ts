// Chooses the cluster like kubectl: --kubeconfig, else the KUBECONFIG list, else ~/.kube/config, else the
// pod's service account. client-node's loadFromDefault is not enough here: it reads the process environment, lets the
// LAST file of KUBECONFIG set current-context, throws on a name defined in two files (kubectl keeps the
// first), fails on a listed file that does not exist, and falls back to http://localhost:8080.
// This is the only module that constructs a KubeConfig.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { CpaError, UsageError } from '../errors.ts';
import type { KubeOptions } from './types.ts';

/** Where a kubeconfig may come from; injected so that no code here reads the process environment or the real home. */
export interface KubeconfigSources {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string | undefined;
  /** Service account mount; defaults to the standard in-pod path. */
  serviceAccountDir?: string;
}

/** The chosen context with everything needed to build a client and to tell the user where it points. */
export interface LoadedKubeconfig {
  kc: KubeConfig;
  context: string;
  namespace: string;
  server: string;
  /** The files merged, or `in-cluster`. */
  source: string;
}

/** Where the kubelet mounts a pod's service account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const IN_CLUSTER = 'in-cluster';

/** The parts of one kubeconfig file that merging and context selection use. */
export interface ParsedKubeconfig {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

/** Loads and merges kubeconfig like kubectl, selects the context and namespace. Throws Usage/CpaError. */
export async function loadKubeconfig(
  options: KubeOptions,
  sources: KubeconfigSources,
): Promise<LoadedKubeconfig> {
  const files = await candidateFiles(options, sources);
  const parsed: ParsedKubeconfig[] = [];
  for (const file of files.found) parsed.push(parseFile(file.path, file.text));
  const merged = mergeKubeconfigs(parsed);
  if (merged.contexts.length > 0)
    return selectContext(merged, options, files.found.map((f) => f.path).join(':'));
  const inCluster = await loadInCluster(options, sources);
  if (inCluster !== null) return inCluster;
  throw new CpaError(`failed to load kubeconfig: ${files.tried}`, {
    hint: 'set KUBECONFIG or pass --kubeconfig',
  });
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CpaError(`failed to read kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The files to merge, in precedence order; `tried` explains an empty result. */
async function candidateFiles(
  options: KubeOptions,
  sources: KubeconfigSources,
): Promise<{ found: { path: string; text: string }[]; tried: string }> {
  if (options.kubeconfig !== undefined) {
    // An explicit file must exist (kubectl: "stat <file>: no such file or directory").
    const text = await readIfExists(options.kubeconfig);
    if (text === null) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return { found: [{ path: options.kubeconfig, text }], tried: `${options.kubeconfig} has no contexts` };
  }
  const list = sources.env.KUBECONFIG ?? '';
  const paths = list !== '' ? list.split(path.delimiter).filter((p) => p !== '') : [];
  const home = sources.homeDir === undefined ? [] : [path.join(sources.homeDir, '.kube', 'config')];
  const chosen = paths.length > 0 ? paths : home;
  const found: { path: string; text: string }[] = [];
  // Files listed in KUBECONFIG that do not exist are skipped, as kubectl does.
  for (const p of [...new Set(chosen)]) {
    const text = await readIfExists(p);
    if (text !== null) found.push({ path: p, text });
  }
  const what = paths.length > 0 ? `KUBECONFIG (${paths.join(', ')})` : `${chosen[0] ?? '~/.kube/config'}`;
  const tried =
    found.length === 0
      ? `no configuration found: ${what} does not exist and this is not a pod with a service account`
      : `no contexts in ${found.map((f) => f.path).join(', ')} and this is not a pod with a service account`;
  return { found, tried };
}

/** Parses one kubeconfig file; relative certificate paths are resolved against the file's directory. */
function parseFile(file: string, text: string): ParsedKubeconfig {
  const kc = new KubeConfig();
  if (text.trim() !== '') {
    try {
      // Invalid entries (a cluster without server, …) are dropped as kubectl ignores entries it does not use.
      kc.loadFromString(text, { onInvalidEntry: 'filter' });
    } catch (err) {
      throw new CpaError(`failed to parse kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
    }
    kc.makePathsAbsolute(path.dirname(path.resolve(file)));
  }
  return {
    clusters: kc.getClusters() ?? [],
    users: kc.getUsers() ?? [],
    contexts: kc.getContexts() ?? [],
    currentContext: kc.getCurrentContext() ?? '',
  };
}

function firstWins<T extends { name: string }>(lists: T[][]): T[] {
  const byName = new Map<string, T>();
  for (const item of lists.flat()) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()];
}

/** kubectl's merge: the first file to define a name wins, current-context from the first file that sets one. */
export function mergeKubeconfigs(files: ParsedKubeconfig[]): ParsedKubeconfig {
  return {
    clusters: firstWins(files.map((f) => f.clusters)),
    users: firstWins(files.map((f) => f.users)),
    contexts: firstWins(files.map((f) => f.contexts)),
    currentContext: files.find((f) => f.currentContext !== '')?.currentContext ?? '',
  };
}

function selectContext(merged: ParsedKubeconfig, options: KubeOptions, source: string): LoadedKubeconfig {
  const names = merged.contexts.map((c) => c.name);
  const available = `available contexts: ${names.join(', ')}`;
  const wanted = options.context ?? merged.currentContext;
  if (wanted === '') {
    throw new CpaError(`kubeconfig ${source} sets no current-context`, {
      hint: `pass --context; ${available}`,
    });
  }
  const context = merged.contexts.find((c) => c.name === wanted);
  if (context === undefined) {
    if (options.context !== undefined) throw new UsageError(`--context "${wanted}" not found; ${available}`);
    throw new CpaError(`current-context "${wanted}" of kubeconfig ${source} is not defined`, {
      hint: `pass --context; ${available}`,
    });
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster);
  if (cluster === undefined) {
    throw new CpaError(
      `context "${wanted}" refers to cluster "${context.cluster}", which is not defined (or has no server) in ${source}`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ ...merged, currentContext: wanted });
  const namespace = options.namespace ?? (context.namespace || 'default');
  return { kc, context: wanted, namespace, server: cluster.server, source };
}

/** Service account credentials of a pod (client-go's InClusterConfig), or null when not in a pod. */
async function loadInCluster(
  options: KubeOptions,
  sources: KubeconfigSources,
): Promise<LoadedKubeconfig | null> {
  const host = sources.env.KUBERNETES_SERVICE_HOST;
  const port = sources.env.KUBERNETES_SERVICE_PORT;
  const dir = sources.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenFile = path.join(dir, 'token');
  if (host === undefined || host === '' || port === undefined || port === '') return null;
  if ((await readIfExists(tokenFile)) === null) return null;
  if (options.context !== undefined && options.context !== IN_CLUSTER) {
    throw new UsageError(
      `--context "${options.context}" not found; available contexts: ${IN_CLUSTER} (service account)`,
    );
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: IN_CLUSTER, server, caFile: path.join(dir, 'ca.crt'), skipTLSVerify: false }],
    // The tokenFile provider re-reads the projected token, which the kubelet rotates.
    users: [{ name: IN_CLUSTER, authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: IN_CLUSTER, cluster: IN_CLUSTER, user: IN_CLUSTER }],
    currentContext: IN_CLUSTER,
  });
  const podNamespace = (await readIfExists(path.join(dir, 'namespace')))?.trim();
  const namespace = options.namespace ?? (podNamespace || 'default');
  return { kc, context: IN_CLUSTER, namespace, server, source: IN_CLUSTER };
}
