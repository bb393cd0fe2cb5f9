// Everything a run settles before its first cycle, once and in one order: the configuration (file,
// environment and flags, every problem at once), the cluster connection, the scale target (a `--target` to
// look up is resolved through discovery) and the namespace. It returns a value and runs nothing onward.
import { kubeCallTimeoutMs } from '../autoscaler/context.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import { ConfigError, CpaError } from '../errors.ts';
import { parseTargetFlag, type ParsedTarget } from '../kube/target-flag.ts';
import type { CpaKubeClient, Deps, KubeConnection } from '../ports.ts';
import { loadDirConfig } from './load.ts';

/** What the caller asks to run: `run`'s flags, or the demo's fixed choices. */
export interface RunRequest {
  /** The autoscaler directory as given (messages; hooks run there). */
  dir: string;
  /** Default `DIR/config.yaml`. */
  configFile?: string;
  /** `--target` as typed: `deploy/web` (looked up) or `apps/v1/Deployment/web`. */
  target?: string;
  /** `-n`: wins over the config's namespace and the kube context's. */
  namespace?: string;
  intervalMs?: number;
  /** undefined: from the config; null: no REST API. */
  apiAddr?: { host: string; port: number } | null;
  /** Which cluster, chosen like kubectl. */
  kubeconfig?: string;
  context?: string;
  /** Variables that override config keys (CPA's rule); the demo passes none. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A run ready to start: the target and namespace are settled and written into the config. */
export interface PreparedRun {
  config: Config & { scaleTargetRef: ScaleTargetRef; namespace: string };
  target: ScaleTargetRef;
  namespace: string;
  /** Connected to the chosen cluster; whoever runs the prepared run closes it. */
  client: CpaKubeClient;
  /** The autoscaler directory, absolute. */
  dir: string;
  /** What is worth saying at verbosity 1: overrides applied, image paths mapped, the context used. */
  notes: string[];
}

/** Loads, validates, connects and resolves; throws ConfigError/UsageError/KubeError, nothing half-open. */
export async function prepareRun(
  deps: Pick<Deps, 'files' | 'cwd' | 'connectKube'>,
  request: RunRequest,
): Promise<PreparedRun> {
  const loaded = await loadOne(deps, request);
  const kube = await connect(deps, request, loaded.config.intervalMs);
  try {
    return await resolveOne(kube, request, loaded);
  } catch (err) {
    kube.client.close();
    throw err;
  }
}

/** One autoscaler of `run DIR [DIR…]`: its directory and the flags that name one autoscaler. */
export interface AutoscalerRequest {
  dir: string;
  configFile?: string;
  target?: string;
}

/**
 * Prepares several autoscalers over ONE connection (one keep-alive pool): every directory is loaded first
 * and every problem of every directory is reported at once; then the cluster is reached once and each
 * target resolved. Throws ConfigError/UsageError/KubeError; nothing stays open on failure.
 */
export async function prepareMany(
  deps: Pick<Deps, 'files' | 'cwd' | 'connectKube'>,
  shared: Omit<RunRequest, 'dir' | 'configFile' | 'target'>,
  autoscalers: readonly AutoscalerRequest[],
): Promise<PreparedRun[]> {
  const loaded: Loaded[] = [];
  const failures: ConfigError[] = [];
  for (const one of autoscalers) {
    try {
      loaded.push(await loadOne(deps, { ...shared, ...one }));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      failures.push(err);
    }
  }
  if (failures.length > 0) throw joinConfigErrors(failures);
  const fastest = Math.min(...loaded.map((l) => l.config.intervalMs));
  const kube = await connect(deps, shared, fastest);
  try {
    const prepared: PreparedRun[] = [];
    for (const [i, one] of autoscalers.entries()) {
      prepared.push(await resolveOne(kube, { ...shared, ...one }, loaded[i]!));
    }
    return prepared;
  } catch (err) {
    kube.client.close();
    throw err;
  }
}

/** Several directories' ConfigErrors as one, each problem prefixed by nothing more than its file position. */
function joinConfigErrors(errors: readonly ConfigError[]): ConfigError {
  if (errors.length === 1) return errors[0]!;
  const problems = errors.flatMap((e) => [e.message, ...e.problems.map((p) => `  ${p}`)]);
  return new ConfigError(`invalid configuration in ${errors.length} autoscalers:`, problems);
}

interface Loaded {
  config: Config;
  notes: string[];
  absDir: string;
  parsed: ParsedTarget | undefined;
}

async function loadOne(deps: Pick<Deps, 'files' | 'cwd'>, request: RunRequest): Promise<Loaded> {
  const parsed: ParsedTarget | undefined =
    request.target === undefined ? undefined : parseTargetFlag(request.target);
  const { config, notes, absDir } = await loadDirConfig(deps, {
    dir: request.dir,
    configFile: request.configFile ?? joinPath(request.dir, 'config.yaml'),
    env: request.env,
    flags: {
      namespace: request.namespace,
      target: parsed?.form === 'ref' ? parsed.ref : undefined,
      apiAddr: request.apiAddr,
      interval: request.intervalMs,
    },
    targetLookedUp: parsed?.form === 'lookup',
  });
  return { config, notes, absDir, parsed };
}

function connect(
  deps: Pick<Deps, 'connectKube'>,
  request: Pick<RunRequest, 'kubeconfig' | 'context' | 'namespace'>,
  intervalMs: number,
): Promise<KubeConnection> {
  return deps.connectKube({
    kubeconfig: request.kubeconfig,
    context: request.context,
    namespace: request.namespace,
    requestTimeoutMs: kubeCallTimeoutMs(intervalMs),
  });
}

async function resolveOne(kube: KubeConnection, request: RunRequest, loaded: Loaded): Promise<PreparedRun> {
  const { config, parsed, absDir } = loaded;
  const notes = [...loaded.notes];
  {
    const target =
      parsed?.form === 'lookup' ? await lookupTarget(kube.client, parsed) : config.scaleTargetRef;
    // loadDirConfig reported a missing target already; this guards the types.
    if (target === null) throw new CpaError('no scale target');
    // Flag > environment > file were merged by the loader; without any, the context's namespace (like kubectl).
    const namespace = config.namespace ?? kube.namespace;
    notes.push(`using context "${kube.context}" (${kube.server}), namespace "${namespace}"`);
    return {
      config: { ...config, scaleTargetRef: target, namespace },
      target,
      namespace,
      client: kube.client,
      dir: absDir,
      notes,
    };
  }
}

/** apiVersion and kind for a kubectl resource word given to --target (`wk/w`, `rollouts.argoproj.io/r`). */
async function lookupTarget(
  client: CpaKubeClient,
  parsed: Extract<ParsedTarget, { form: 'lookup' }>,
): Promise<ScaleTargetRef> {
  const found = await client.lookupResource(parsed.resource, {
    group: parsed.group,
    version: parsed.version,
  });
  return { apiVersion: found.apiVersion, kind: found.kind, name: parsed.name };
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}
