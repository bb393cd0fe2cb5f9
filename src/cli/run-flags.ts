// `kubectl cpa run` flags: parsed and validated as a whole (every problem reported at once) before anything runs.
import { UsageError } from '../errors.ts';
import { parseDuration } from '../config/duration.ts';
import type { LogFormat } from '../logger/logger.ts';

/** Raw options as commander delivers them. */
export interface RawRunFlags {
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
}

/** Validated options of one `run`. */
export interface RunFlags {
  dir: string;
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
export function validateRunFlags(dirArg: string | undefined, raw: RawRunFlags): RunFlags {
  const problems: string[] = [];
  const dir = dirArg ?? '.';
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
  if (problems.length > 0) throw new UsageError(`invalid flags for "run":\n  - ${problems.join('\n  - ')}`);
  return {
    dir,
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
  };
}
