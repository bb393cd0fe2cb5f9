// One writer per target: the rules of the claim an autoscaler keeps in the status annotation. Pure.
// The claim names its holder and when it was last renewed; a runner writes a target only while it holds
// it. Freshness is judged like client-go's leader election: by how long THIS runner has seen the same
// renewal, on its own clock, so two machines with skewed clocks still agree on when a lease has lapsed.

/** Who holds a target: an autoscaler in one process on one host (or pod). */
export interface ClaimHolder {
  /** Autoscaler name. */
  name: string;
  host: string;
  pid: number;
  /** Set when the runner knows its pod (downward API `POD_NAME`). */
  pod?: string;
}

/** The `claim` field of the status annotation. */
export interface RecordedClaim {
  holder: ClaimHolder;
  /** When the holder last wrote the claim (its clock; only compared for change, never across clocks). */
  renewTime: string;
  /** How long the claim lasts without a renewal, as the holder declared it. */
  leaseMs: number;
}

/** What this runner remembers of the last claim it saw on the target: which renewal, first seen when. */
export interface ClaimObservation {
  key: string;
  firstSeenMs: number;
}

/** The verdict on a target before writing it. */
export type ClaimVerdict =
  /** We hold it: write. */
  | { kind: 'mine' }
  /** Nobody holds it (no claim, or one that lapsed): claim it, then write. */
  | { kind: 'free'; lapsed?: ClaimHolder }
  /** Another holder's claim is fresh but `--take-over` says write anyway: claim it. */
  | { kind: 'take-over'; from: ClaimHolder }
  /** Another holder's claim is fresh: do not write. */
  | { kind: 'held'; by: ClaimHolder; remainingMs: number };

/** True when both name the same autoscaler in the same process. */
export function sameHolder(a: ClaimHolder, b: ClaimHolder): boolean {
  return a.name === b.name && a.host === b.host && a.pid === b.pid && (a.pod ?? '') === (b.pod ?? '');
}

/** `r10 on laptop (pid 4242)`, `r10 in pod cpa-7d9 (pid 1)`: how messages, Events and status name a holder. */
export function holderLabel(h: ClaimHolder): string {
  return h.pod !== undefined
    ? `${h.name} in pod ${h.pod} (pid ${h.pid})`
    : `${h.name} on ${h.host} (pid ${h.pid})`;
}

/** The observation after seeing `claim` at `nowMs`: kept while the renewal is the same, restarted when it changes. */
export function observe(
  previous: ClaimObservation | undefined,
  claim: RecordedClaim | null,
  nowMs: number,
): ClaimObservation | undefined {
  if (claim === null) return undefined;
  const key = `${holderLabel(claim.holder)}@${claim.renewTime}`;
  return previous?.key === key ? previous : { key, firstSeenMs: nowMs };
}

/**
 * Whether `me` may write the target whose annotation carries `claim`, seen unchanged since
 * `observation.firstSeenMs`. A claim lapses `leaseMs` after this runner first saw its latest renewal.
 */
export function claimVerdict(input: {
  me: ClaimHolder;
  claim: RecordedClaim | null;
  observation: ClaimObservation | undefined;
  nowMs: number;
  takeOver: boolean;
}): ClaimVerdict {
  const { me, claim, observation, nowMs } = input;
  if (claim === null) return { kind: 'free' };
  if (sameHolder(claim.holder, me)) return { kind: 'mine' };
  const seenMs = nowMs - (observation?.firstSeenMs ?? nowMs);
  const remainingMs = claim.leaseMs - seenMs;
  if (remainingMs <= 0) return { kind: 'free', lapsed: claim.holder };
  if (input.takeOver) return { kind: 'take-over', from: claim.holder };
  return { kind: 'held', by: claim.holder, remainingMs };
}

/** The claim as read from the annotation's JSON text; null when absent or malformed (a malformed claim binds nobody). */
export function readClaim(annotation: string | undefined): RecordedClaim | null {
  if (annotation === undefined || annotation === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return null;
  }
  const claim = (parsed as { claim?: unknown } | null)?.claim;
  if (typeof claim !== 'object' || claim === null) return null;
  const { holder, renewTime, leaseMs } = claim as Record<string, unknown>;
  if (typeof renewTime !== 'string' || typeof leaseMs !== 'number' || !(leaseMs > 0)) return null;
  if (typeof holder !== 'object' || holder === null) return null;
  const h = holder as Record<string, unknown>;
  if (typeof h.name !== 'string' || typeof h.host !== 'string' || typeof h.pid !== 'number') return null;
  const read: ClaimHolder = { name: h.name, host: h.host, pid: h.pid };
  if (typeof h.pod === 'string') read.pod = h.pod;
  return { holder: read, renewTime, leaseMs };
}

/** Default lease: three intervals, and never shorter than a heartbeat (once a minute) plus two intervals. */
export function defaultLeaseMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, Math.max(intervalMs, 60_000) + 2 * intervalMs);
}

/**
 * How often a holder renews a claim that nothing else makes it write: the heartbeat (at most once a minute
 * by default), shortened so that two intervals of slack remain before the lease lapses.
 */
export function renewEveryMs(intervalMs: number, leaseMs: number): number {
  return Math.min(Math.max(intervalMs, 60_000), leaseMs - 2 * intervalMs);
}
