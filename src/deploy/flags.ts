// `kubectl cpa deploy` and `undeploy` flags: parsed and validated as a whole (every problem at once), in
// kubectl's spelling (`-o yaml`, `--dry-run=client|server`).
import { UsageError } from '../errors.ts';
import { isDnsLabel } from './labels.ts';

/** Raw options as commander delivers them. */
export interface RawDeployFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  image?: string;
  replicas?: string;
  name?: string;
  output?: string;
  dryRun?: string | boolean;
}

/** `none`: apply; `client`: print only; `server`: the API server validates and admits, stores nothing. */
export type DryRun = 'none' | 'client' | 'server';

/** Validated options of one `deploy`. */
export interface DeployFlags {
  dirs: string[];
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  image?: string;
  replicas: number;
  name: string;
  output?: 'yaml' | 'json';
  dryRun: DryRun;
}

/** The installation's name when --name is not given. */
export const DEFAULT_NAME = 'kubectl-cpa';
/** Leader and standby: a node drain or a crash never leaves the autoscalers without a runner for long. */
export const DEFAULT_REPLICAS = 2;

function dryRunOf(value: string | boolean | undefined, problems: string[]): DryRun {
  // commander gives `true` for a bare --dry-run: kubectl reads that as "client" (deprecated spelling).
  if (value === undefined || value === 'none') return 'none';
  if (value === true || value === 'client') return 'client';
  if (value === 'server') return 'server';
  problems.push(`--dry-run: "${String(value)}" must be none, client or server`);
  return 'none';
}

/** Validates `deploy` flags; throws one UsageError listing every problem. */
export function validateDeployFlags(dirs: readonly string[], raw: RawDeployFlags): DeployFlags {
  const problems: string[] = [];
  if (dirs.length === 0) problems.push('DIR: give at least one autoscaler directory');
  const replicas = raw.replicas === undefined ? DEFAULT_REPLICAS : Number(raw.replicas);
  if (!Number.isSafeInteger(replicas) || replicas < 1 || replicas > 100)
    problems.push(`--replicas: "${raw.replicas}" must be an integer from 1 to 100`);
  const name = raw.name ?? DEFAULT_NAME;
  if (!isDnsLabel(name))
    problems.push(`--name: "${name}" must be a lowercase DNS label (a-z, 0-9 and "-", at most 63)`);
  if (raw.output !== undefined && raw.output !== 'yaml' && raw.output !== 'json')
    problems.push(`-o/--output: "${raw.output}" must be yaml or json`);
  if (raw.image !== undefined && raw.image.trim() === '') problems.push('--image: must name an image');
  if (raw.namespace === '') problems.push('-n/--namespace: must not be empty');
  const dryRun = dryRunOf(raw.dryRun, problems);
  if (problems.length > 0)
    throw new UsageError(`invalid flags for "deploy":\n  - ${problems.join('\n  - ')}`);
  return {
    ...{ dirs: [...dirs], namespace: raw.namespace, kubeconfig: raw.kubeconfig, context: raw.context },
    ...{ image: raw.image, replicas, name, dryRun },
    output: raw.output as DeployFlags['output'],
  };
}

/** Validates `undeploy` flags (NAME, kube flags, --dry-run). */
export function validateUndeployFlags(
  name: string | undefined,
  raw: Pick<RawDeployFlags, 'namespace' | 'kubeconfig' | 'context' | 'dryRun'>,
): Pick<DeployFlags, 'name' | 'namespace' | 'kubeconfig' | 'context' | 'dryRun'> {
  const problems: string[] = [];
  const chosen = name ?? DEFAULT_NAME;
  if (!isDnsLabel(chosen))
    problems.push(`NAME: "${chosen}" is not the name of an installation (a DNS label)`);
  if (raw.namespace === '') problems.push('-n/--namespace: must not be empty');
  const dryRun = dryRunOf(raw.dryRun, problems);
  if (problems.length > 0)
    throw new UsageError(`invalid flags for "undeploy":\n  - ${problems.join('\n  - ')}`);
  return { name: chosen, namespace: raw.namespace, kubeconfig: raw.kubeconfig, context: raw.context, dryRun };
}
