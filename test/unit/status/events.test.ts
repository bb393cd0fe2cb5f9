// Which Events a cycle produces, how repeats are aggregated, and how Events read back for the detail view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import { EventCorrelator, eventTime, type PlannedEvent } from '../../../src/status/correlate.ts';
import { eventRows, newEventBody, repeatEventPatch } from '../../../src/status/events.ts';
import { EVENT_REASONS, eventsForReport, STAGE_REASON, type EventSpec } from '../../../src/status/reasons.ts';
import { failedReport, scaledReport, steadyReport, T0 } from './fixtures.ts';

const limits = { minReplicas: 1, maxReplicas: 5 };

describe('eventsForReport', () => {
  const rows: { name: string; given: CycleReport; want: EventSpec[] }[] = [
    {
      name: 'a rescale',
      given: scaledReport(),
      want: [{ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 3; reason: evaluation 3' }],
    },
    {
      name: 'a rescale limited by maxReplicas',
      given: scaledReport(0, {
        decision: {
          current: 1,
          evaluation: 9,
          clamped: 5,
          target: 5,
          reasons: ['ClampedToMax', 'Scaled'],
          action: 'scale',
        },
      }),
      want: [
        {
          type: 'Normal',
          reason: 'SuccessfulRescale',
          message: 'New size: 5; reason: evaluation 9 above maxReplicas 5',
        },
      ],
    },
    {
      name: 'a scale-down held by the window',
      given: scaledReport(0, {
        decision: {
          current: 5,
          evaluation: 0,
          clamped: 1,
          target: 4,
          reasons: ['ClampedToMin', 'ScaleDownStabilized', 'Scaled'],
          action: 'scale',
        },
      }),
      want: [
        {
          type: 'Normal',
          reason: 'SuccessfulRescale',
          message:
            'New size: 4; reason: evaluation 0 below minReplicas 1, held at 4 by the downscale stabilization window',
        },
      ],
    },
    { name: 'no change: no Event', given: steadyReport(0), want: [] },
    {
      name: 'a failed evaluate',
      given: failedReport(0),
      want: [
        {
          type: 'Warning',
          reason: 'FailedEvaluate',
          message: 'failed get evaluation: evaluate exited with status 1',
        },
      ],
    },
    {
      name: 'a failed patch',
      given: failedReport(0, 'patch'),
      want: [
        {
          type: 'Warning',
          reason: 'FailedRescale',
          message: 'failed get evaluation: evaluate exited with status 1',
        },
      ],
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(eventsForReport(row.given, limits), row.want));

  it('every stage maps into the one fixed vocabulary', () => {
    for (const reason of Object.values(STAGE_REASON)) assert.ok(EVENT_REASONS.includes(reason), reason);
  });
});

const warn = (message: string): EventSpec => ({ type: 'Warning', reason: 'FailedEvaluate', message });

/** Plans a sequence of Events one second apart and keeps the fields that matter. */
function plan(
  correlator: EventCorrelator,
  specs: EventSpec[],
): Pick<PlannedEvent, 'action' | 'name' | 'count' | 'message'>[] {
  return specs.map((spec, i) => {
    const p = correlator.plan(spec, T0 + i * 1000);
    return { action: p.action, name: p.name, count: p.count, message: p.message };
  });
}

describe('EventCorrelator', () => {
  it('the same reason and message updates the count of the first Event', () => {
    const got = plan(new EventCorrelator('web'), [warn('boom'), warn('boom'), warn('boom')]);
    assert.deepEqual(
      got.map((g) => [g.action, g.count]),
      [
        ['create', 1],
        ['update', 2],
        ['update', 3],
      ],
    );
    assert.equal(new Set(got.map((g) => g.name)).size, 1);
    assert.match(got[0]?.name ?? '', /^web\.[0-9a-f]+$/);
  });

  it('a different message is a new Event', () => {
    const got = plan(new EventCorrelator('web'), [warn('a'), warn('b'), warn('a')]);
    assert.deepEqual(
      got.map((g) => [g.action, g.count, g.message]),
      [
        ['create', 1, 'a'],
        ['create', 1, 'b'],
        ['update', 2, 'a'],
      ],
    );
  });

  it('many different messages for one reason are combined after the limit', () => {
    const c = new EventCorrelator('web', { similarLimit: 3 });
    const got = plan(c, ['m1', 'm2', 'm3', 'm4', 'm5'].map(warn));
    assert.deepEqual(
      got.map((g) => [g.action, g.count, g.message]),
      [
        ['create', 1, 'm1'],
        ['create', 1, 'm2'],
        ['create', 1, 'm3'],
        ['create', 1, '(combined from similar events): m4'],
        ['update', 2, '(combined from similar events): m5'],
      ],
    );
  });

  it('similar messages outside the window are not combined', () => {
    const c = new EventCorrelator('web', { similarLimit: 2, similarWindowMs: 1500 });
    const got = plan(c, ['m1', 'm2', 'm3', 'm4'].map(warn));
    assert.deepEqual(
      got.map((g) => g.message),
      ['m1', 'm2', 'm3', 'm4'],
    );
  });

  it('forget makes the next repeat a new Event (the old one expired)', () => {
    const c = new EventCorrelator('web');
    const first = c.plan(warn('boom'), T0);
    c.forget(first.key);
    const again = c.plan(warn('boom'), T0 + 1000);
    assert.equal(again.action, 'create');
    assert.notEqual(again.name, first.name);
  });

  it('Events in the same millisecond get distinct names', () => {
    const c = new EventCorrelator('web');
    assert.notEqual(c.plan(warn('a'), T0).name, c.plan(warn('b'), T0).name);
  });

  it('the cache is bounded: the least recently used key is forgotten', () => {
    const c = new EventCorrelator('web', { maxEntries: 2, similarLimit: 100 });
    const got = plan(c, [warn('a'), warn('b'), warn('c'), warn('a')]);
    assert.equal(got[3]?.action, 'create');
  });
});

describe('Event bodies', () => {
  const planned: PlannedEvent = {
    action: 'create',
    key: 'k',
    name: 'web.1',
    count: 1,
    message: 'New size: 3; reason: evaluation 3',
    firstTimestamp: eventTime(T0 + 123),
    lastTimestamp: eventTime(T0 + 123),
  };
  it('a new Event names the object, the component and second-precision times', () => {
    const involved = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace: 'team-a',
      uid: 'u1',
    };
    const spec: EventSpec = { type: 'Normal', reason: 'SuccessfulRescale', message: planned.message };
    assert.deepEqual(newEventBody(planned, spec, involved, 'laptop'), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'team-a' },
      involvedObject: involved,
      reason: 'SuccessfulRescale',
      message: 'New size: 3; reason: evaluation 3',
      type: 'Normal',
      source: { component: 'kubectl-cpa', host: 'laptop' },
      reportingComponent: 'kubectl-cpa',
      reportingInstance: 'laptop',
      firstTimestamp: '2025-03-01T10:00:00Z',
      lastTimestamp: '2025-03-01T10:00:00Z',
      count: 1,
    });
  });
  it('a repeat patches count, last time and message only', () => {
    assert.deepEqual(repeatEventPatch({ ...planned, count: 4 }), {
      count: 4,
      lastTimestamp: '2025-03-01T10:00:00Z',
      message: planned.message,
    });
  });
});

describe('eventRows', () => {
  it('reads core and series Events, sorts by last time, keeps the newest `max`', () => {
    const rows = eventRows(
      [
        {
          type: 'Normal',
          reason: 'B',
          lastTimestamp: '2025-03-01T10:02:00Z',
          count: 2,
          source: { component: 'kubectl-cpa' },
          message: 'two\n',
        },
        {
          type: 'Warning',
          reason: 'C',
          series: { count: 7, lastObservedTime: '2025-03-01T10:03:00Z' },
          eventTime: '2025-03-01T09:00:00Z',
          reportingComponent: 'x',
        },
        { type: 'Normal', reason: 'A', lastTimestamp: '2025-03-01T10:01:00Z' },
      ],
      2,
    );
    assert.deepEqual(rows, [
      {
        type: 'Normal',
        reason: 'B',
        lastTime: '2025-03-01T10:02:00Z',
        firstTime: '2025-03-01T10:02:00Z',
        count: 2,
        from: 'kubectl-cpa',
        message: 'two',
      },
      {
        type: 'Warning',
        reason: 'C',
        lastTime: '2025-03-01T10:03:00Z',
        firstTime: '2025-03-01T09:00:00Z',
        count: 7,
        from: 'x',
        message: '',
      },
    ]);
  });
});
