// `run --leader-elect`: of the replicas of a deployed installation only the one holding the Lease runs the
// autoscalers; the others try every retry period and take over when the holder stops renewing. Timing and
// rules are kube-controller-manager's (15 s lease, 10 s renew deadline, 2 s retry; src/kube/lease.ts). A
// leader that cannot renew within the deadline stops its autoscalers at once, 5 s before any other
// candidate may take over, and the process ends with exit code 1 like kube-controller-manager's, so that the
// kubelet restarts it as a fresh candidate. SIGTERM stops the autoscalers and releases the Lease, so the
// standby takes over within one retry period instead of a whole lease duration.
import { describeError } from '../errors.ts';
import {
  createLease,
  getLease,
  leaseStep,
  releasedRecord,
  updateLease,
  type LeaseLock,
  type LeaseRecord,
  type ObservedLease,
} from '../kube/lease.ts';
import type { Logger } from '../logger/events.ts';
import type { Clock, KubeRequester } from '../ports.ts';

/** kube-controller-manager's defaults (--leader-elect-lease-duration, -renew-deadline, -retry-period). */
export const LEASE_DEFAULTS = { durationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

/** The election of one process. */
export interface ElectionOptions extends LeaseLock {
  durationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** What the election needs from the world. */
export interface ElectionDeps {
  clock: Clock;
  request: KubeRequester;
  logger: Logger;
}

/**
 * The identity of this process in the Lease: `POD_PID`, the pod's name (downward API `POD_NAME`, which the
 * deployed pods set) else the hostname (a pod's hostname is its name), so `status` can name the leader pod.
 */
export function candidateIdentity(host: { hostname: string; pid: number }, podName?: string): string {
  return `${podName || host.hostname}_${host.pid}`;
}

/** One candidate's view of the Lease: what it read last and when (on its own clock) it saw it change. */
export class Candidate {
  #observed: ObservedLease | null = null;
  #observedAtMs = 0;
  #lastHolder = '';
  readonly #deps: ElectionDeps;
  readonly #options: ElectionOptions;
  constructor(deps: ElectionDeps, options: ElectionOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** True when this candidate holds the Lease after the try (created, renewed or taken over). */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { clock, request } = this.#deps;
    const { identity } = this.#options;
    const nowMs = clock.nowMs();
    let current: ObservedLease | null;
    try {
      current = await getLease(request, this.#options);
    } catch (err) {
      this.#warn(`failed to read the leader Lease: ${describeError(err)}`);
      return false;
    }
    if (current === null || JSON.stringify(current.record) !== JSON.stringify(this.#observed?.record)) {
      this.#observed = current;
      this.#observedAtMs = nowMs;
    }
    const step = leaseStep(current, identity, nowMs, this.#observedAtMs, this.#options.durationMs / 1000);
    if (step.action === 'wait') {
      if (step.holder !== this.#lastHolder)
        this.#deps.logger.log({ kind: 'info', level: 0, message: `leader is ${step.holder}; standing by` });
      this.#lastHolder = step.holder;
      return false;
    }
    try {
      this.#observed =
        step.action === 'create' || current === null
          ? await createLease(request, this.#options, step.record)
          : await updateLease(request, this.#options, current, step.record);
      this.#observedAtMs = nowMs;
      this.#lastHolder = identity;
      return true;
    } catch (err) {
      // Another candidate wrote first (409) or the API server is away: try again next period.
      this.#deps.logger.log({ kind: 'info', level: 2, message: `leader election: ${describeError(err)}` });
      return false;
    }
  }

  /** Lets go of the Lease if this candidate still holds it (SIGTERM); failures are only logged. */
  async release(): Promise<void> {
    const observed = this.#observed;
    if (observed === null || observed.record.holderIdentity !== this.#options.identity) return;
    try {
      const record: LeaseRecord = releasedRecord(observed.record, this.#deps.clock.nowMs());
      this.#observed = await updateLease(this.#deps.request, this.#options, observed, record);
      this.#deps.logger.log({ kind: 'info', level: 0, message: 'released the leader Lease' });
    } catch (err) {
      this.#warn(
        `failed to release the leader Lease (the standby takes over when it expires): ${describeError(err)}`,
      );
    }
  }

  #warn(message: string): void {
    this.#deps.logger.log({ kind: 'warning', message });
  }
}

/** How an elected run ended. */
export type ElectionOutcome = { kind: 'stopped' } | { kind: 'finished'; exitCode: number } | { kind: 'lost' };

/** Resolves true when `promise` settles within `ms`, false when the time runs out first. */
async function within(clock: Clock, promise: Promise<boolean>, ms: number): Promise<boolean> {
  const timeUp = new AbortController();
  const timer = clock.sleep(Math.max(0, ms), timeUp.signal).then(() => false);
  try {
    return await Promise.race([promise, timer]);
  } finally {
    timeUp.abort();
  }
}

/**
 * Runs `lead` only while holding the Lease. Resolves `stopped` when `stop` aborts (the Lease released),
 * `finished` when `lead` ends by itself (released too), `lost` when a renewal did not succeed within the
 * renew deadline (`lead`'s signal is aborted at that moment).
 */
export async function runElected(
  deps: ElectionDeps,
  options: ElectionOptions,
  stop: AbortSignal,
  lead: (signal: AbortSignal) => Promise<number>,
): Promise<ElectionOutcome> {
  const candidate = new Candidate(deps, options);
  const log = (message: string) => deps.logger.log({ kind: 'info', level: 0, message });
  log(`leader election: candidate ${options.identity} for Lease ${options.namespace}/${options.name}`);
  while (!stop.aborted && !(await candidate.tryAcquireOrRenew()))
    await deps.clock.sleep(options.retryPeriodMs, stop);
  if (stop.aborted) {
    await candidate.release();
    return { kind: 'stopped' };
  }
  log(`became the leader (Lease ${options.namespace}/${options.name})`);
  const leading = new AbortController();
  const onStop = () => leading.abort();
  stop.addEventListener('abort', onStop, { once: true });
  let exitCode: number | undefined;
  const work = lead(leading.signal).then(
    (code) => {
      exitCode = code;
      leading.abort();
    },
    (err: unknown) => {
      deps.logger.log({ kind: 'warning', message: `the autoscalers ended: ${describeError(err)}` });
      exitCode = 1;
      leading.abort();
    },
  );
  let lost = false;
  let renewedAtMs = deps.clock.nowMs();
  while (!leading.signal.aborted) {
    await deps.clock.sleep(options.retryPeriodMs, leading.signal);
    if (leading.signal.aborted) break;
    const left = renewedAtMs + options.renewDeadlineMs - deps.clock.nowMs();
    if (await within(deps.clock, candidate.tryAcquireOrRenew(), left)) renewedAtMs = deps.clock.nowMs();
    else if (deps.clock.nowMs() - renewedAtMs >= options.renewDeadlineMs) {
      lost = true;
      deps.logger.log({
        kind: 'warning',
        message: `lost the leader Lease (not renewed for ${options.renewDeadlineMs}ms); stopping the autoscalers`,
      });
      leading.abort();
    }
  }
  await work;
  stop.removeEventListener('abort', onStop);
  if (lost) return { kind: 'lost' };
  await candidate.release();
  return stop.aborted ? { kind: 'stopped' } : { kind: 'finished', exitCode: exitCode ?? 0 };
}
