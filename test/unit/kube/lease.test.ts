import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseStep, microTime, releasedRecord, type ObservedLease } from '../../../src/kube/lease.ts';

const T0 = Date.UTC(2026, 11, 6, 5, 0, 0);
const held = (holder: string, transitions = 3): ObservedLease => ({
  resourceVersion: '7',
  object: {},
  record: {
    holderIdentity: holder,
    leaseDurationSeconds: 15,
    acquireTime: microTime(T0 - 60_000),
    renewTime: microTime(T0 - 1_000),
    leaseTransitions: transitions,
  },
});

describe('microTime', () => {
  it('writes RFC 3339 with microseconds, as metav1.MicroTime', () =>
    assert.equal(microTime(T0 + 123), '2026-12-06T05:00:00.123000Z'));
});

describe('leaseStep', () => {
  const rows: {
    name: string;
    given: { current: ObservedLease | null; nowMs: number; observedAtMs: number };
    want: Record<string, unknown>;
  }[] = [
    {
      name: 'no Lease: create it, holding it, 0 transitions',
      given: { current: null, nowMs: T0, observedAtMs: T0 },
      want: { action: 'create', holder: 'me', transitions: 0, acquired: microTime(T0) },
    },
    {
      name: 'our own Lease: renew, keeping acquireTime and transitions',
      given: { current: held('me'), nowMs: T0, observedAtMs: T0 - 5_000 },
      want: { action: 'update', holder: 'me', transitions: 3, acquired: microTime(T0 - 60_000) },
    },
    {
      name: "another's Lease seen changing 14.999 s ago: wait until its duration has passed on our clock",
      given: { current: held('other'), nowMs: T0, observedAtMs: T0 - 14_999 },
      want: { action: 'wait', holder: 'other', untilMs: T0 + 1 },
    },
    {
      name: "another's Lease unchanged for its whole duration: take over, one more transition",
      given: { current: held('other'), nowMs: T0, observedAtMs: T0 - 15_000 },
      want: { action: 'update', holder: 'me', transitions: 4, acquired: microTime(T0) },
    },
    {
      name: 'a released Lease (no holder): take over at once',
      given: { current: held(''), nowMs: T0, observedAtMs: T0 },
      want: { action: 'update', holder: 'me', transitions: 4, acquired: microTime(T0) },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const step = leaseStep(row.given.current, 'me', row.given.nowMs, row.given.observedAtMs, 15);
      const got: Record<string, unknown> =
        step.action === 'wait'
          ? { action: 'wait', holder: step.holder, untilMs: step.untilMs }
          : {
              action: step.action,
              holder: step.record.holderIdentity,
              transitions: step.record.leaseTransitions,
              acquired: step.record.acquireTime,
            };
      assert.deepEqual(got, row.want);
      if (step.action !== 'wait') {
        assert.equal(step.record.renewTime, microTime(row.given.nowMs));
        assert.equal(step.record.leaseDurationSeconds, 15);
      }
    });
  }
});

describe('releasedRecord', () => {
  it('clears the holder and keeps the transitions', () => {
    const r = releasedRecord(held('me').record, T0);
    assert.equal(r.holderIdentity, '');
    assert.equal(r.leaseTransitions, 3);
    assert.equal(r.leaseDurationSeconds, 1);
  });
});
