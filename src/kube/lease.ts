// A coordination.k8s.io/v1 Lease used as a leader-election lock, with the semantics of client-go's
// leaderelection package (so kube-controller-manager, KEDA and we read each other's Leases alike): a holder
// keeps the lock while it renews; a candidate takes it once it has seen no change for leaseDurationSeconds
// on ITS OWN clock (never comparing clocks across machines), or at once when the holder released it (empty
// holderIdentity). Takeovers count in leaseTransitions. Writes carry the resourceVersion read, so two
// candidates racing for one Lease cannot both win.
import { KubeError } from '../errors.ts';
import type { KubeCall, KubeRequester } from '../ports.ts';

/** The spec of a Lease as the election reads and writes it. */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

/** A Lease as read: its record and the resourceVersion a write must carry. */
export interface ObservedLease {
  record: LeaseRecord;
  resourceVersion: string;
  /** The whole object as read: an update writes it back with only the spec changed (labels kept). */
  object: Record<string, unknown>;
}

/** Where the Lease lives and who asks. */
export interface LeaseLock {
  namespace: string;
  name: string;
  identity: string;
  /** Labels of the Lease when this candidate creates it (undeploy finds it by them). */
  labels?: Record<string, string>;
}

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** What the candidate `me` does with the Lease at `nowMs`. */
export type LeaseStep =
  | { action: 'create'; record: LeaseRecord }
  | { action: 'update'; record: LeaseRecord }
  | { action: 'wait'; holder: string; untilMs: number };

/**
 * The pure rule of one try: create a missing Lease; renew our own; take over one released or not renewed
 * for its duration since `observedAtMs` (when this candidate last saw the record change); else wait.
 */
export function leaseStep(
  current: ObservedLease | null,
  me: string,
  nowMs: number,
  observedAtMs: number,
  durationSec: number,
): LeaseStep {
  const now = microTime(nowMs);
  const fresh = { holderIdentity: me, leaseDurationSeconds: durationSec, renewTime: now };
  if (current === null)
    return { action: 'create', record: { ...fresh, acquireTime: now, leaseTransitions: 0 } };
  const { record } = current;
  const expiresMs = observedAtMs + record.leaseDurationSeconds * 1000;
  if (record.holderIdentity !== '' && record.holderIdentity !== me && nowMs < expiresMs)
    return { action: 'wait', holder: record.holderIdentity, untilMs: expiresMs };
  const ours = record.holderIdentity === me;
  return {
    action: 'update',
    record: {
      ...fresh,
      acquireTime: ours ? record.acquireTime : now,
      leaseTransitions: ours ? record.leaseTransitions : record.leaseTransitions + 1,
    },
  };
}

/** The record a holder writes when it lets go: no holder, so the next candidate takes over at once. */
export function releasedRecord(record: LeaseRecord, nowMs: number): LeaseRecord {
  const now = microTime(nowMs);
  return { ...record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
}

function leasePath(lock: Pick<LeaseLock, 'namespace' | 'name'>, withName: boolean): string {
  const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(lock.namespace)}/leases`;
  return withName ? `${base}/${encodeURIComponent(lock.name)}` : base;
}

function call(lock: LeaseLock, verb: string): KubeCall {
  const c: KubeCall = { verb, group: 'coordination.k8s.io', resource: 'leases', namespace: lock.namespace };
  if (verb !== 'create') c.name = lock.name;
  return c;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Reads a Lease's spec; missing fields read as empty (a Lease someone else created by hand). */
export function parseLease(body: unknown): ObservedLease {
  const o = (body ?? {}) as { spec?: Record<string, unknown>; metadata?: { resourceVersion?: unknown } };
  const spec = o.spec ?? {};
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    resourceVersion: str(o.metadata?.resourceVersion),
    object: o as Record<string, unknown>,
    record: {
      holderIdentity: str(spec.holderIdentity),
      leaseDurationSeconds: num(spec.leaseDurationSeconds, 0),
      acquireTime: str(spec.acquireTime),
      renewTime: str(spec.renewTime),
      leaseTransitions: num(spec.leaseTransitions, 0),
    },
  };
}

/** The Lease, or null when it does not exist. Throws KubeError. */
export async function getLease(request: KubeRequester, lock: LeaseLock): Promise<ObservedLease | null> {
  try {
    const res = await request({ method: 'GET', path: leasePath(lock, true), call: call(lock, 'get') });
    return parseLease(res.body);
  } catch (err) {
    if (err instanceof KubeError && err.details.status === 404) return null;
    throw err;
  }
}

/** Creates the Lease; a 409 (another candidate created it first) throws KubeError like any failure. */
export async function createLease(
  request: KubeRequester,
  lock: LeaseLock,
  record: LeaseRecord,
): Promise<ObservedLease> {
  const metadata: Record<string, unknown> = { name: lock.name, namespace: lock.namespace };
  if (lock.labels) metadata.labels = lock.labels;
  const res = await request({
    method: 'POST',
    path: leasePath(lock, false),
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: record },
    call: call(lock, 'create'),
  });
  return parseLease(res.body);
}

/**
 * Writes `record` as the spec of the Lease read in `observed` (a PUT carrying its resourceVersion, so the
 * write fails with 409 when anyone wrote in between). Throws KubeError.
 */
export async function updateLease(
  request: KubeRequester,
  lock: LeaseLock,
  observed: ObservedLease,
  record: LeaseRecord,
): Promise<ObservedLease> {
  const res = await request({
    method: 'PUT',
    path: leasePath(lock, true),
    body: { ...observed.object, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: record },
    call: call(lock, 'update'),
  });
  return parseLease(res.body);
}
