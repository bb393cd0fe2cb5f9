// Chooses the cluster like kubectl: --kubeconfig, else the KUBECONFIG list, else ~/.kube/config, else the
// pod's service account. client-node's loadFromDefault is not enough here: it reads the process environment,
// lets the LAST file of KUBECONFIG set current-context, throws on a name defined in two files (kubectl keeps
// the first), fails on a listed file that does not exist, and falls back to http://localhost:8080.
// The files are read through the Files port and parsed by the function the caller passes (client-node's
// loader, src/adapters/kubeconfig-loader.ts); what is left here is the choosing, merging and checking.
import path from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { CpaError, UsageError } from '../errors.ts';
import type { Files, KubeOptions } from '../ports.ts';

/** Where a kubeconfig may come from; injected so that no code here reads the process environment or the real home. */
export interface KubeconfigSources {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string | undefined;
  /** Service account mount; defaults to the standard in-pod path. */
  serviceAccountDir?: string;
  /** How the kubeconfig, token and namespace files are read; the loader defaults it to the real files. */
  files?: Files;
}

/** Where the kubelet mounts a pod's service account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/**
 * Overrides SERVICE_ACCOUNT_DIR: where a process started outside a pod finds the files a pod would have (the
 * e2e's "pods without a kubelet"), or a pod that mounts its token elsewhere.
 */
export const SERVICE_ACCOUNT_DIR_ENV = 'KUBECTL_CPA_SERVICE_ACCOUNT_DIR';
const IN_CLUSTER = 'in-cluster';

/**
 * The bound of one kubeconfig read. kubectl has none; this one only stops a device or a runaway file from
 * filling memory, and is far above real kubeconfigs (hundreds of clusters with embedded certificates).
 */
export const KUBECONFIG_MAX_BYTES = 16 * 1024 * 1024;

/** The parts of one kubeconfig file that merging and context selection use. */
export interface ParsedKubeconfig {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

/** Parses the text of one kubeconfig file; throws a CpaError that names the file. */
export type KubeconfigParser = (file: string, text: string) => ParsedKubeconfig;

/** The chosen context: what a KubeConfig is built from (`config`), and where it points for messages. */
export interface KubeconfigChoice {
  /** The merged entries with current-context set to the chosen one (client-node's loadFromOptions input). */
  config: ParsedKubeconfig;
  context: string;
  namespace: string;
  server: string;
  /** The files merged, or `in-cluster`. */
  source: string;
}

/** Reads and merges kubeconfig like kubectl, selects the context and namespace. Throws Usage/CpaError. */
export async function chooseKubeconfig(
  options: KubeOptions,
  sources: KubeconfigSources & { files: Files },
  parse: KubeconfigParser,
): Promise<KubeconfigChoice> {
  const files = await candidateFiles(options, sources);
  const parsed = files.found.map((file) => parse(file.path, file.text));
  const merged = mergeKubeconfigs(parsed);
  if (merged.contexts.length > 0)
    return selectContext(merged, options, files.found.map((f) => f.path).join(':'));
  const inCluster = await inClusterChoice(options, sources);
  if (inCluster !== null) return inCluster;
  throw new CpaError(`failed to load kubeconfig: ${files.tried}`, {
    hint: 'set KUBECONFIG or pass --kubeconfig',
  });
}

/** The text of a file, or null when it does not exist; any other failure names the file. */
async function readIfExists(files: Files, file: string): Promise<string | null> {
  try {
    return await files.readText(file, KUBECONFIG_MAX_BYTES);
  } catch (err) {
    throw new CpaError(`failed to load kubeconfig: ${(err as Error).message}`, { cause: err });
  }
}

/** The files to merge, in precedence order; `tried` explains an empty result. */
async function candidateFiles(
  options: KubeOptions,
  sources: KubeconfigSources & { files: Files },
): Promise<{ found: { path: string; text: string }[]; tried: string }> {
  if (options.kubeconfig !== undefined) {
    // An explicit file must exist (kubectl: "stat <file>: no such file or directory").
    const text = await readIfExists(sources.files, options.kubeconfig);
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
    const text = await readIfExists(sources.files, p);
    if (text !== null) found.push({ path: p, text });
  }
  const what = paths.length > 0 ? `KUBECONFIG (${paths.join(', ')})` : `${chosen[0] ?? '~/.kube/config'}`;
  const tried =
    found.length === 0
      ? `no configuration found: ${what} does not exist and this is not a pod with a service account`
      : `no contexts in ${found.map((f) => f.path).join(', ')} and this is not a pod with a service account`;
  return { found, tried };
}

/** Fields read as text, by entry kind: [client-node's property, kubeconfig key]. */
const TEXT_FIELDS = {
  cluster: [
    ['server', 'server'],
    ['caFile', 'certificate-authority'],
    ['caData', 'certificate-authority-data'],
    ['tlsServerName', 'tls-server-name'],
    ['proxyUrl', 'proxy-url'],
  ],
  user: [
    ['certFile', 'client-certificate'],
    ['keyFile', 'client-key'],
    ['certData', 'client-certificate-data'],
    ['keyData', 'client-key-data'],
    ['token', 'token'],
    ['username', 'username'],
    ['password', 'password'],
    ['impersonateUser', 'as'],
  ],
  context: [
    ['cluster', 'cluster'],
    ['user', 'user'],
    ['namespace', 'namespace'],
  ],
} as const;

/**
 * The first field that is not text where kubectl wants text (`namespace: 123`, `current-context: 0`), or
 * undefined. kubectl refuses such a file; client-node keeps the value and fails later in path or URL code.
 */
export function kubeconfigTypeProblem(loaded: {
  currentContext: unknown;
  clusters: readonly unknown[];
  users: readonly unknown[];
  contexts: readonly unknown[];
}): string | undefined {
  const current = loaded.currentContext;
  if (current !== undefined && current !== null && typeof current !== 'string') {
    return `current-context must be a string, got ${JSON.stringify(current)}`;
  }
  const lists = { cluster: loaded.clusters, user: loaded.users, context: loaded.contexts };
  for (const kind of ['cluster', 'user', 'context'] as const) {
    for (const entry of lists[kind] as Record<string, unknown>[]) {
      if (typeof entry.name !== 'string')
        return `a ${kind} name must be a string, got ${JSON.stringify(entry.name)}`;
      for (const [prop, key] of TEXT_FIELDS[kind]) {
        const v = entry[prop];
        if (v !== undefined && v !== null && typeof v !== 'string') {
          return `${kind} "${entry.name}": ${key} must be a string, got ${JSON.stringify(v) ?? String(v)}`;
        }
      }
    }
  }
  return undefined;
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

function selectContext(merged: ParsedKubeconfig, options: KubeOptions, source: string): KubeconfigChoice {
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
  const namespace = options.namespace ?? (context.namespace || 'default');
  const config = { ...merged, currentContext: wanted };
  return { config, context: wanted, namespace, server: cluster.server, source };
}

/** Service account credentials of a pod (client-go's InClusterConfig), or null when not in a pod. */
async function inClusterChoice(
  options: KubeOptions,
  sources: KubeconfigSources & { files: Files },
): Promise<KubeconfigChoice | null> {
  const host = sources.env.KUBERNETES_SERVICE_HOST;
  const port = sources.env.KUBERNETES_SERVICE_PORT;
  const dir = sources.serviceAccountDir ?? (sources.env[SERVICE_ACCOUNT_DIR_ENV] || SERVICE_ACCOUNT_DIR);
  const tokenFile = path.join(dir, 'token');
  if (host === undefined || host === '' || port === undefined || port === '') return null;
  if ((await readIfExists(sources.files, tokenFile)) === null) return null;
  if (options.context !== undefined && options.context !== IN_CLUSTER) {
    throw new UsageError(
      `--context "${options.context}" not found; available contexts: ${IN_CLUSTER} (service account)`,
    );
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const config: ParsedKubeconfig = {
    clusters: [{ name: IN_CLUSTER, server, caFile: path.join(dir, 'ca.crt'), skipTLSVerify: false }],
    // The tokenFile provider re-reads the projected token, which the kubelet rotates.
    users: [{ name: IN_CLUSTER, authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: IN_CLUSTER, cluster: IN_CLUSTER, user: IN_CLUSTER }],
    currentContext: IN_CLUSTER,
  };
  const podNamespace = (await readIfExists(sources.files, path.join(dir, 'namespace')))?.trim();
  const namespace = options.namespace ?? (podNamespace || 'default');
  return { config, context: IN_CLUSTER, namespace, server, source: IN_CLUSTER };
}
