import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeError } from '../../../src/errors.ts';
import { microTime } from '../../../src/kube/lease.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { KubeRequest, KubeRequester } from '../../../src/ports.ts';
import { LEASE_DEFAULTS, runElected, type ElectionOptions } from '../../../src/runner/leader.ts';
import { VirtualClock } from '../../support/virtual-clock.ts';

type Lease = { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** The Lease endpoints of an API server, in memory: resourceVersion checks, 404 and 409 as the real one. */
class LeaseStore {
  lease: Lease | null = null;
  rv = 0;
  failing = false;
  writes: { method: string; holder: unknown }[] = [];
  request: KubeRequester = async (req: KubeRequest) => {
    const details = { verb: req.call?.verb ?? '', resource: 'leases' };
    if (this.failing) throw new KubeError('connection refused', details);
    const body = req.body as Lease | undefined;
    if (req.method === 'GET') {
      if (this.lease === null) throw new KubeError('not found', { ...details, status: 404 });
      return { status: 200, body: structuredClone(this.lease) };
    }
    if (req.method === 'POST' && this.lease !== null)
      throw new KubeError('already exists', { ...details, status: 409 });
    if (req.method === 'PUT' && body?.metadata.resourceVersion !== String(this.rv))
      throw new KubeError('conflict', { ...details, status: 409 });
    this.rv += 1;
    this.lease = {
      metadata: { ...body?.metadata, resourceVersion: String(this.rv) },
      spec: { ...body?.spec },
    };
    this.writes.push({ method: req.method, holder: this.lease.spec.holderIdentity });
    return { status: 200, body: structuredClone(this.lease) };
  };
  /** Another candidate holds the Lease, renewed at `atMs`. */
  heldBy(holder: string, atMs: number): void {
    this.rv += 1;
    this.lease = {
      metadata: { name: 'cpa', namespace: 'ops', resourceVersion: String(this.rv) },
      spec: {
        holderIdentity: holder,
        leaseDurationSeconds: 15,
        acquireTime: microTime(atMs),
        renewTime: microTime(atMs),
        leaseTransitions: 2,
      },
    };
  }
}

const T0 = Date.UTC(2026, 11, 6, 5, 0, 0);
const options: ElectionOptions = { namespace: 'ops', name: 'cpa', identity: 'pod-a_1', ...LEASE_DEFAULTS };

function setup() {
  const clock = new VirtualClock(T0);
  const store = new LeaseStore();
  const logs: LogEvent[] = [];
  const deps = {
    clock,
    request: store.request,
    logger: { log: (e: LogEvent) => void logs.push(e), enabled: () => true },
  };
  const stop = new AbortController();
  const led: { startMs: number; endMs?: number }[] = [];
  /** A lead that runs until its signal aborts (or `finishAfterMs`), recording when. */
  const lead = (finishAfterMs?: number) => (signal: AbortSignal) => {
    const entry: { startMs: number; endMs?: number } = { startMs: clock.nowMs() };
    led.push(entry);
    return new Promise<number>((resolve) => {
      const done = (code: number) => {
        entry.endMs = clock.nowMs();
        resolve(code);
      };
      signal.addEventListener('abort', () => done(0), { once: true });
      if (finishAfterMs !== undefined) void clock.sleep(finishAfterMs, signal).then(() => done(3));
    });
  };
  return { clock, store, logs, deps, stop, led, lead };
}

describe('runElected', () => {
  it('no Lease yet: creates it and leads at once; SIGTERM stops the autoscalers and releases the Lease', async () => {
    const { clock, store, deps, stop, led, lead } = setup();
    const outcome = runElected(deps, options, stop.signal, lead());
    await clock.runFor(30_000);
    assert.equal(led.length, 1);
    assert.equal(led[0]?.startMs, T0);
    assert.equal(store.lease?.spec.holderIdentity, 'pod-a_1');
    stop.abort();
    assert.deepEqual(await outcome, { kind: 'stopped' });
    assert.equal(led[0]?.endMs, T0 + 30_000);
    assert.equal(store.lease?.spec.holderIdentity, '', 'released');
    // Renewed every retry period while leading: 1 create, 15 renewals, 1 release.
    assert.equal(store.writes.length, 17);
  });

  it('a held Lease that keeps being renewed: stands by and never leads', async () => {
    const { clock, store, deps, stop, led, lead, logs } = setup();
    store.heldBy('pod-b_1', T0);
    const outcome = runElected(deps, options, stop.signal, lead());
    for (let t = 0; t < 60_000; t += 5_000) {
      await clock.runFor(5_000);
      store.heldBy('pod-b_1', clock.nowMs());
    }
    stop.abort();
    assert.deepEqual(await outcome, { kind: 'stopped' });
    assert.equal(led.length, 0);
    assert.equal(store.lease?.spec.holderIdentity, 'pod-b_1', 'not ours: not released');
    assert.ok(logs.some((e) => e.kind === 'info' && e.message === 'leader is pod-b_1; standing by'));
  });

  it('a holder that stopped renewing: taken over one lease duration after the last change seen, +1 transition', async () => {
    const { clock, store, deps, stop, led, lead } = setup();
    store.heldBy('pod-b_1', T0);
    const outcome = runElected(deps, options, stop.signal, lead());
    await clock.runFor(40_000, () => led.length > 0);
    assert.equal(led[0]?.startMs, T0 + 16_000, 'first retry at or after T0+15s');
    assert.equal(store.lease?.spec.holderIdentity, 'pod-a_1');
    assert.equal(store.lease?.spec.leaseTransitions, 3);
    stop.abort();
    await outcome;
  });

  it('renewals failing: the autoscalers stop when the renew deadline passes, before the lease could expire', async () => {
    const { clock, store, deps, stop, led, lead } = setup();
    const outcome = runElected(deps, options, stop.signal, lead());
    await clock.runFor(4_000);
    store.failing = true; // last successful renewal at T0+4s
    await clock.runFor(30_000, () => led[0]?.endMs !== undefined);
    assert.deepEqual(await outcome, { kind: 'lost' });
    const stoppedAt = (led[0]?.endMs ?? 0) - T0;
    assert.ok(stoppedAt >= 4_000 + 10_000 && stoppedAt < 4_000 + 15_000, `stopped at +${stoppedAt}ms`);
    stop.abort();
  });

  it('autoscalers that end by themselves: their exit code, and the Lease released', async () => {
    const { clock, store, deps, stop, lead } = setup();
    const outcome = runElected(deps, options, stop.signal, lead(5_000));
    await clock.runFor(10_000);
    assert.deepEqual(await outcome, { kind: 'finished', exitCode: 3 });
    assert.equal(store.lease?.spec.holderIdentity, '');
  });
});
