// `run --leader-elect` and its tuning flags, spelled as kube-controller-manager spells them, validated as a
// whole. The Lease's namespace defaults to the connection's (in a pod: the pod's namespace).
import type { Command } from 'commander';
import { parseDuration } from '../config/duration.ts';
import { LEASE_DEFAULTS } from '../runner/leader.ts';

/** Raw options as commander delivers them. */
export interface RawLeaderFlags {
  leaderElect?: boolean;
  leaderElectResourceName?: string;
  leaderElectResourceNamespace?: string;
  leaderElectLeaseDuration?: string;
  leaderElectRenewDeadline?: string;
  leaderElectRetryPeriod?: string;
}

/** Validated leader election of one `run`; absent without --leader-elect. */
export interface LeaderFlags {
  name: string;
  /** undefined: the connection's namespace. */
  namespace?: string;
  durationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** The Lease's name when --leader-elect-resource-name is not given (the default installation's name). */
export const DEFAULT_LEASE_NAME = 'kubectl-cpa';

/** Adds the flags to `command`; returns it. */
export function addLeaderFlags(command: Command): Command {
  return command
    .option('--leader-elect', 'run only while holding a Lease (replicas of `kubectl cpa deploy`)')
    .option('--leader-elect-resource-name <NAME>', `name of the Lease (default ${DEFAULT_LEASE_NAME})`)
    .option(
      '--leader-elect-resource-namespace <NS>',
      'namespace of the Lease (default: the context namespace)',
    )
    .option('--leader-elect-lease-duration <DURATION>', 'how long a Lease not renewed keeps others out (15s)')
    .option(
      '--leader-elect-renew-deadline <DURATION>',
      'how long the leader retries renewing before stopping (10s)',
    )
    .option('--leader-elect-retry-period <DURATION>', 'time between tries to acquire or renew (2s)');
}

function duration(flag: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const ms = parseDuration(raw);
  if (ms !== null && ms >= 100) return ms;
  problems.push(`${flag}: "${raw}" must be a duration of at least 100ms, e.g. 15s`);
  return fallback;
}

/** Validates the flags into `problems` (the caller reports them with its own); undefined without --leader-elect. */
export function validateLeaderFlags(raw: RawLeaderFlags, problems: string[]): LeaderFlags | undefined {
  const tuning = [
    raw.leaderElectResourceName,
    raw.leaderElectResourceNamespace,
    raw.leaderElectLeaseDuration,
    raw.leaderElectRenewDeadline,
    raw.leaderElectRetryPeriod,
  ];
  if (raw.leaderElect !== true) {
    if (tuning.some((v) => v !== undefined)) problems.push('--leader-elect-* flags need --leader-elect');
    return undefined;
  }
  const durationMs = duration(
    '--leader-elect-lease-duration',
    raw.leaderElectLeaseDuration,
    LEASE_DEFAULTS.durationMs,
    problems,
  );
  const renewDeadlineMs = duration(
    '--leader-elect-renew-deadline',
    raw.leaderElectRenewDeadline,
    LEASE_DEFAULTS.renewDeadlineMs,
    problems,
  );
  const retryPeriodMs = duration(
    '--leader-elect-retry-period',
    raw.leaderElectRetryPeriod,
    LEASE_DEFAULTS.retryPeriodMs,
    problems,
  );
  // kube-controller-manager's rule: the leader must give up before anyone else may take over.
  if (renewDeadlineMs >= durationMs)
    problems.push('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  if (retryPeriodMs >= renewDeadlineMs)
    problems.push('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  const name = raw.leaderElectResourceName ?? DEFAULT_LEASE_NAME;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    problems.push(`--leader-elect-resource-name: "${name}" is not a valid Lease name`);
  if (raw.leaderElectResourceNamespace === '')
    problems.push('--leader-elect-resource-namespace: must not be empty');
  return { name, namespace: raw.leaderElectResourceNamespace, durationMs, renewDeadlineMs, retryPeriodMs };
}
