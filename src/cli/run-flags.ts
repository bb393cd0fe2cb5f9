// `kubectl cpa run` flags: parsed and validated as a whole (every problem reported at once) before anything runs.
import { UsageError } from '../errors.ts';
import { validateLeaderFlags, type LeaderFlags, type RawLeaderFlags } from './leader-flags.ts';
import { parseDuration } from '../config/duration.ts';
import type { LogFormat } from '../logger/logger.ts';

/** Raw options as commander delivers them. */
export interface RawRunFlags extends RawLeaderFlags {
  filename?: string;
  target?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  once?: boolean;
  dryRun?: boolean;
  interval?: string;
  apiAddr?: string;
  /** commander turns `--no-api` into `api: false`. */
  api?: boolean;
  apiTokenFile?: string;
  apiInsecure?: boolean;
  v?: string;
  logFormat?: string;
  sandbox?: boolean;
  all?: string;
  name?: string;
  maxHooks?: string;
  takeOver?: boolean;
  leaseDuration?: string;
  metricsAddr?: string;
}

/** Default of `--max-hooks`: shell hook processes running at once in one `run` process. */
export const DEFAULT_MAX_HOOKS = 32;

/** Validated options of one `run`. */
export interface RunFlags {
  /** The first (or only) autoscaler directory. */
  dir: string;
  /** Every autoscaler directory given (`run DIR [DIR…]`); empty with `--all`. */
  dirs: string[];
  /** `--all PARENT`: every subdirectory of PARENT holding a config.yaml is one autoscaler. */
  all?: string;
  /** `--name`: the name of the one autoscaler (overrides the config's `name` and the directory's). */
  name?: string;
  /** `--max-hooks`: bound on hook processes running at once across all autoscalers. */
  maxHooks: number;
  /** `--take-over`: write the target even while another runner's claim on it is fresh. */
  takeOver: boolean;
  /** `--lease-duration`: how long a claim on a target lasts without a renewal (default from the interval). */
  leaseMs?: number;
  /** `--metrics-addr`: Prometheus /metrics, /healthz, /readyz on their own address (default: the API's). */
  metricsAddr?: { host: string; port: number };
  /** `--leader-elect`: run only while holding the Lease (deployed replicas). */
  leader?: LeaderFlags;
  configFile: string;
  target?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  once: boolean;
  dryRun: boolean;
  intervalMs?: number;
  /** undefined: from config; null: --no-api. */
  apiAddr?: { host: string; port: number } | null;
  /** `--api-token-file`: the REST API's bearer token, overriding apiConfig.tokenFile. */
  apiTokenFile?: string;
  /** `--api-insecure`: allow a non-loopback REST API address without a token. */
  apiInsecure?: boolean;
  verbosity?: number;
  logFormat: LogFormat;
  /** `--sandbox`: run against an embedded sandbox API started in-process. */
  sandbox: boolean;
}

/** Parses `HOST:PORT` (IPv6 in brackets); null when malformed. */
export function parseHostPort(value: string): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(value);
  if (!match) return null;
  const port = Number(match[2]);
  if (port > 65535) return null;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  return { host: host === '' ? '127.0.0.1' : host, port };
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

/** Validates the flags; throws one UsageError listing every problem. */
export function validateRunFlags(dirArg: string | readonly string[] | undefined, raw: RawRunFlags): RunFlags {
  const problems: string[] = [];
  const given = dirArg === undefined ? [] : typeof dirArg === 'string' ? [dirArg] : [...dirArg];
  const dirs = given.length === 0 && raw.all === undefined ? ['.'] : given;
  const dir = dirs[0] ?? raw.all ?? '.';
  problems.push(...manyProblems(dirs, raw));
  const many = manyFlags(raw, problems);
  let intervalMs: number | undefined;
  if (raw.interval !== undefined) {
    const ms = parseDuration(raw.interval);
    if (ms === null || ms <= 0)
      problems.push(`--interval: "${raw.interval}" is not a positive duration; use e.g. 500ms, 15s, 1m`);
    else intervalMs = ms;
  }
  let apiAddr: RunFlags['apiAddr'];
  if (raw.api === false && raw.apiAddr !== undefined)
    problems.push('--api-addr and --no-api cannot be used together');
  else if (raw.api === false) apiAddr = null;
  else if (raw.apiAddr !== undefined) {
    apiAddr = parseHostPort(raw.apiAddr) ?? undefined;
    if (!apiAddr) problems.push(`--api-addr: "${raw.apiAddr}" is not HOST:PORT (e.g. 127.0.0.1:5000, :8080)`);
  }
  if (raw.apiTokenFile !== undefined && raw.apiTokenFile.trim() === '')
    problems.push('--api-token-file: must name a file');
  if (raw.api === false && (raw.apiTokenFile !== undefined || raw.apiInsecure === true))
    problems.push(
      '--api-token-file and --api-insecure configure the REST API; they cannot be used with --no-api',
    );
  let verbosity: number | undefined;
  if (raw.v !== undefined) {
    verbosity = Number(raw.v);
    if (!Number.isInteger(verbosity) || verbosity < 0 || verbosity > 9)
      problems.push(`-v: "${raw.v}" must be an integer from 0 to 9`);
  }
  const logFormat = raw.logFormat ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json')
    problems.push(`--log-format: "${logFormat}" must be text or json`);
  if (raw.namespace === '') problems.push('-n/--namespace: must not be empty');
  if (raw.sandbox && (raw.kubeconfig !== undefined || raw.context !== undefined))
    problems.push(
      '--sandbox runs against an embedded API; it cannot be combined with --kubeconfig or --context',
    );
  const leader = validateLeaderFlags(raw, problems);
  if (leader && (raw.once || raw.sandbox))
    problems.push(
      '--leader-elect runs replicas against a cluster; it cannot be used with --once or --sandbox',
    );
  if (problems.length > 0) throw new UsageError(`invalid flags for "run":\n  - ${problems.join('\n  - ')}`);
  return {
    dir,
    dirs,
    ...many,
    configFile: raw.filename ?? joinPath(dir, 'config.yaml'),
    target: raw.target,
    namespace: raw.namespace,
    kubeconfig: raw.kubeconfig,
    context: raw.context,
    once: raw.once ?? false,
    dryRun: raw.dryRun ?? false,
    intervalMs,
    apiAddr,
    apiTokenFile: raw.apiTokenFile,
    apiInsecure: raw.apiInsecure ?? false,
    verbosity,
    logFormat: logFormat as LogFormat,
    sandbox: raw.sandbox ?? false,
    ...(leader ? { leader } : {}),
  };
}

/** What cannot be combined with several autoscalers (or with `--all`). */
function manyProblems(dirs: readonly string[], raw: RawRunFlags): string[] {
  const problems: string[] = [];
  if (raw.all !== undefined && dirs.length > 0)
    problems.push(
      '--all PARENT runs every autoscaler under PARENT; it cannot be combined with DIR arguments',
    );
  if (raw.all !== undefined && raw.all.trim() === '') problems.push('--all: must name a directory');
  const several = dirs.length > 1 || raw.all !== undefined;
  if (!several) return problems;
  const single = [
    ['-f/--filename', raw.filename],
    ['--target', raw.target],
    ['--name', raw.name],
  ] as const;
  for (const [flag, value] of single) {
    if (value !== undefined)
      problems.push(`${flag} names one autoscaler; with several, set it in each DIR/config.yaml instead`);
  }
  const seen = new Set<string>();
  for (const d of dirs) {
    const key = d.replace(/\/+$/, '') || '/';
    if (seen.has(key)) problems.push(`DIR "${d}" is given twice`);
    seen.add(key);
  }
  return problems;
}

/** `--all`, `--name`, `--max-hooks`, `--take-over`, `--lease-duration`, `--metrics-addr`. */
function manyFlags(
  raw: RawRunFlags,
  problems: string[],
): Pick<RunFlags, 'all' | 'name' | 'maxHooks' | 'takeOver' | 'leaseMs' | 'metricsAddr'> {
  const out: ReturnType<typeof manyFlags> = { maxHooks: DEFAULT_MAX_HOOKS, takeOver: raw.takeOver ?? false };
  if (raw.all !== undefined) out.all = raw.all;
  if (raw.name !== undefined) {
    if (/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(raw.name)) out.name = raw.name;
    else
      problems.push(
        `--name: "${raw.name}" must be letters, digits, ".", "_" and "-" (at most 63, alphanumeric at both ends)`,
      );
  }
  if (raw.maxHooks !== undefined) {
    const n = Number(raw.maxHooks);
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      problems.push(`--max-hooks: "${raw.maxHooks}" must be an integer from 1 to 10000`);
    else out.maxHooks = n;
  }
  if (raw.leaseDuration !== undefined) {
    const ms = parseDuration(raw.leaseDuration);
    if (ms === null || ms < 1000)
      problems.push(`--lease-duration: "${raw.leaseDuration}" must be a duration of at least 1s, e.g. 90s`);
    else out.leaseMs = ms;
  }
  if (raw.metricsAddr !== undefined) {
    const addr = parseHostPort(raw.metricsAddr);
    if (addr === null)
      problems.push(`--metrics-addr: "${raw.metricsAddr}" is not HOST:PORT (e.g. 127.0.0.1:9100, :9100)`);
    else out.metricsAddr = addr;
  }
  return out;
}
