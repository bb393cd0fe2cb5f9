// One writer per target, the pure rules: who may write given the claim on the target, how freshness is
// judged on this runner's own clock (the renewal seen unchanged for a lease), and how the claim is read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  claimVerdict,
  defaultLeaseMs,
  observe,
  readClaim,
  renewEveryMs,
  type ClaimHolder,
  type ClaimVerdict,
  type RecordedClaim,
} from '../../../src/status/claim.ts';
import { fromAnnotated } from '../../../src/status/model.ts';

const ME: ClaimHolder = { name: 'web', host: 'laptop', pid: 100 };
const OTHER: ClaimHolder = { name: 'web', host: 'ci', pid: 7 };
const claimBy = (holder: ClaimHolder, renewTime = '2026-01-01T00:00:00.000Z'): RecordedClaim => ({
  holder,
  renewTime,
  leaseMs: 10_000,
});

describe('claimVerdict', () => {
  const rows: {
    name: string;
    claim: RecordedClaim | null;
    seenSinceMs?: number;
    takeOver?: boolean;
    want: ClaimVerdict['kind'];
  }[] = [
    { name: 'no claim: free', claim: null, want: 'free' },
    { name: 'my own claim: mine', claim: claimBy(ME), want: 'mine' },
    { name: 'another, just seen: held', claim: claimBy(OTHER), seenSinceMs: 0, want: 'held' },
    {
      name: 'another, seen unchanged 9.9 s of a 10 s lease: held',
      claim: claimBy(OTHER),
      seenSinceMs: 9_900,
      want: 'held',
    },
    {
      name: 'another, seen unchanged for the whole lease: free (lapsed)',
      claim: claimBy(OTHER),
      seenSinceMs: 10_000,
      want: 'free',
    },
    {
      name: 'another, fresh, with --take-over: take-over',
      claim: claimBy(OTHER),
      takeOver: true,
      want: 'take-over',
    },
    {
      name: 'same host and pid but another autoscaler name: not mine',
      claim: claimBy({ ...ME, name: 'api' }),
      want: 'held',
    },
    {
      name: 'same name, host and pid in another pod: not mine',
      claim: claimBy({ ...ME, pod: 'cpa-1' }),
      want: 'held',
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const nowMs = 1_000_000;
      const observation =
        row.claim === null ? undefined : { key: 'k', firstSeenMs: nowMs - (row.seenSinceMs ?? 0) };
      const got = claimVerdict({
        me: ME,
        claim: row.claim,
        observation,
        nowMs,
        takeOver: row.takeOver ?? false,
      });
      assert.equal(got.kind, row.want);
    });
  }

  test('a held verdict names the holder and the lease left', () => {
    const got = claimVerdict({
      me: ME,
      claim: claimBy(OTHER),
      observation: { key: 'k', firstSeenMs: 996_000 },
      nowMs: 1_000_000,
      takeOver: false,
    });
    assert.deepEqual(got, { kind: 'held', by: OTHER, remainingMs: 6_000 });
  });

  test('a lapsed claim says whose it was', () => {
    const got = claimVerdict({
      me: ME,
      claim: claimBy(OTHER),
      observation: { key: 'k', firstSeenMs: 0 },
      nowMs: 1_000_000,
      takeOver: false,
    });
    assert.deepEqual(got, { kind: 'free', lapsed: OTHER });
  });
});

describe('observe: freshness on our own clock', () => {
  test('the same renewal keeps its first-seen time; a new renewal restarts it', () => {
    const first = observe(undefined, claimBy(OTHER, 't1'), 1_000);
    const same = observe(first, claimBy(OTHER, 't1'), 5_000);
    const renewed = observe(same, claimBy(OTHER, 't2'), 6_000);
    assert.equal(first?.firstSeenMs, 1_000);
    assert.equal(same?.firstSeenMs, 1_000);
    assert.equal(renewed?.firstSeenMs, 6_000);
  });

  test('a holder whose clock runs an hour ahead still lapses one lease after its last renewal was seen', () => {
    // The renewal time is a future timestamp from our point of view; it is only compared for change.
    const seen = observe(undefined, claimBy(OTHER, '2099-01-01T00:00:00.000Z'), 0);
    const at = (nowMs: number): string =>
      claimVerdict({ me: ME, claim: claimBy(OTHER), observation: seen, nowMs, takeOver: false }).kind;
    assert.equal(at(9_999), 'held');
    assert.equal(at(10_000), 'free');
  });

  test('no claim forgets the observation', () => {
    assert.equal(observe({ key: 'k', firstSeenMs: 1 }, null, 2), undefined);
  });
});

describe('readClaim', () => {
  const rows: { name: string; given: string | undefined; want: RecordedClaim | null }[] = [
    { name: 'no annotation', given: undefined, want: null },
    { name: 'not JSON', given: '{', want: null },
    {
      name: 'a record without a claim (older runner)',
      given: '{"schemaVersion":1,"name":"web"}',
      want: null,
    },
    {
      name: 'a whole claim',
      given: JSON.stringify({ claim: claimBy(OTHER) }),
      want: claimBy(OTHER),
    },
    {
      name: 'a claim with a pod',
      given: JSON.stringify({ claim: claimBy({ ...OTHER, pod: 'cpa-0' }) }),
      want: claimBy({ ...OTHER, pod: 'cpa-0' }),
    },
    {
      name: 'a lease that is not a positive number binds nobody',
      given: JSON.stringify({ claim: { ...claimBy(OTHER), leaseMs: 0 } }),
      want: null,
    },
    {
      name: 'a holder without a pid binds nobody',
      given: JSON.stringify({ claim: { ...claimBy(OTHER), holder: { name: 'web', host: 'x' } } }),
      want: null,
    },
  ];
  for (const row of rows) test(row.name, () => assert.deepEqual(readClaim(row.given), row.want));
});

describe('lease and renewal periods', () => {
  const rows: { intervalMs: number; leaseMs?: number; lease: number; renew: number }[] = [
    // 15 s interval: the heartbeat stays once a minute, the lease leaves two intervals of slack.
    { intervalMs: 15_000, lease: 90_000, renew: 60_000 },
    { intervalMs: 1_000, lease: 62_000, renew: 60_000 },
    // 5 min interval: a write per interval, lease of three intervals.
    { intervalMs: 300_000, lease: 900_000, renew: 300_000 },
    // A short lease for tests: renewed two intervals before it lapses.
    { intervalMs: 500, leaseMs: 3_000, lease: 3_000, renew: 2_000 },
  ];
  for (const row of rows) {
    test(`interval ${row.intervalMs} ms${row.leaseMs ? `, lease ${row.leaseMs} ms` : ''}`, () => {
      const lease = row.leaseMs ?? defaultLeaseMs(row.intervalMs);
      assert.equal(lease, row.lease);
      assert.equal(renewEveryMs(row.intervalMs, lease), row.renew);
    });
  }
});

describe('status: HELD BY from the claim on the target', () => {
  const workload = (claim: RecordedClaim | undefined) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: {
        'kubectl-cpa.io/status': JSON.stringify({
          schemaVersion: 1,
          name: 'web',
          runner: { host: 'ci', pid: 7, version: 'x' },
          config: {
            minReplicas: 1,
            maxReplicas: 5,
            intervalMs: 1000,
            runMode: 'per-pod',
            downscaleStabilizationSec: 0,
          },
          cycle: { time: '2026-01-01T00:00:00.000Z', durationMs: 5, runType: 'scaler' },
          consecutiveFailures: 0,
          ...(claim ? { claim } : {}),
        }),
      },
    },
    spec: { replicas: 2 },
  });
  const at = Date.parse('2026-01-01T00:00:05.000Z');
  test('a fresh claim names its holder', () => {
    assert.equal(
      fromAnnotated(workload(claimBy(OTHER, '2026-01-01T00:00:00.000Z')), at)?.heldBy,
      'web on ci (pid 7)',
    );
  });
  test('a claim past its lease by our clock is marked lapsed', () => {
    assert.equal(
      fromAnnotated(workload(claimBy(OTHER, '2025-12-31T23:59:00.000Z')), at)?.heldBy,
      'web on ci (pid 7) (lapsed)',
    );
  });
  test('no claim, no holder', () => {
    assert.equal(fromAnnotated(workload(undefined), at)?.heldBy, undefined);
  });
});
