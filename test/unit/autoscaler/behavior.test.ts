// HPA behavior, table-tested. The inputs and expected replicas are the facts of the HPA controller's own
// tables (pkg/controller/podautoscaler/horizontal_test.go: TestScalingWithRules,
// TestNormalizeDesiredReplicasWithBehavior, TestCalculateScale{Up,Down}Limit...) and of the Kubernetes
// documentation's behavior examples, re-expressed with our names; the clock is a fixed number.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  limitRate,
  recordScaleEvent,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeWithBehavior,
  type ScaleEvent,
  type ScaleEvents,
} from '../../../src/autoscaler/behavior.ts';
import { clamp } from '../../../src/autoscaler/decide.ts';
import { HPA_DEFAULTS, type Behavior, type ScalingRules } from '../../../src/config/safety.ts';

const NOW = 10_000_000_000;
const SEC = 1000;

/** HPA's generateScalingRules: a Pods and/or a Percent policy (0 leaves it out), selectPolicy Max. */
function rules(
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
  window: number,
): ScalingRules {
  const policies: ScalingRules['policies'] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSec: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSec: percentPeriod });
  return { stabilizationWindowSec: window, selectPolicy: 'Max', policies };
}

/** HPA's generateEventsUniformDistribution: events at the centres of equal segments of the last `periodSec`. */
function spread(changes: number[], periodSec: number): ScaleEvent[] {
  const segment = periodSec / changes.length;
  return changes.map((change, i) => ({
    atMs: NOW - Math.trunc(periodSec - segment * (i + 1) + segment / 2) * SEC,
    change,
  }));
}

describe('limitRate (HPA TestScalingWithRules, after the clamp to [min, max])', () => {
  const rows: {
    name: string;
    min: number;
    max: number;
    current: number;
    desired: number;
    up?: ScalingRules;
    down?: ScalingRules;
    events?: Partial<ScaleEvents>;
    want: number;
    reason?: string;
  }[] = [
    { name: 'within range', min: 3, max: 8, current: 5, desired: 7, want: 7 },
    { name: 'below minReplicas', min: 2, max: 8, current: 3, desired: 1, want: 2 },
    { name: 'minReplicas 0 allows 0', min: 0, max: 10, current: 1, desired: 0, want: 0 },
    { name: 'maxReplicas below the scale-up limit', min: 1, max: 10, current: 20, desired: 1000, want: 10 },
    { name: 'desired above maxReplicas', min: 100, max: 150, current: 100, desired: 1000, want: 150 },
    {
      name: 'Percent 1 per 60s limits 3 → 4',
      ...{ min: 1, max: 2000, current: 3, desired: 1000, up: rules(0, 0, 1, 60, 0) },
      ...{ want: 4, reason: 'ScaleUpLimited' },
    },
    {
      name: 'Pods 20 per 60s limits 1000 → 980',
      ...{ min: 3, max: 2000, current: 1000, desired: 3, down: rules(20, 60, 0, 0, 0) },
      ...{ want: 980, reason: 'ScaleDownLimited' },
    },
    {
      name: 'default scale-up: double (100 %) beats 4 pods',
      ...{ min: 1, max: 1000, current: 10, desired: 50, want: 20, reason: 'ScaleUpLimited' },
    },
    {
      name: 'Pods policy larger than Percent policy',
      ...{ min: 1, max: 1000, current: 10, desired: 500, up: rules(100, 60, 100, 60, 0) },
      ...{ want: 110, reason: 'ScaleUpLimited' },
    },
    {
      name: 'Percent policy larger than Pods policy',
      ...{ min: 1, max: 1000, current: 10, desired: 500, up: rules(2, 60, 100, 60, 0) },
      ...{ want: 20, reason: 'ScaleUpLimited' },
    },
    {
      name: 'large Pods policy lets the desired count through',
      ...{ min: 1, max: 1000, current: 10, desired: 50, up: rules(100, 60, 0, 0, 0), want: 50 },
    },
    {
      name: 'Pods 30 per 60s limits 10 → 40',
      ...{ min: 1, max: 1000, current: 10, desired: 50, up: rules(30, 60, 0, 0, 0) },
      ...{ want: 40, reason: 'ScaleUpLimited' },
    },
    {
      name: 'Percent 200 per 60s limits 10 → 30',
      ...{ min: 1, max: 1000, current: 10, desired: 50, up: rules(0, 0, 200, 60, 0) },
      ...{ want: 30, reason: 'ScaleUpLimited' },
    },
    {
      name: 'scale-down: Pods 20 beats Percent 1',
      ...{ min: 1, max: 1000, current: 100, desired: 2, down: rules(20, 60, 1, 60, 300) },
      ...{ want: 80, reason: 'ScaleDownLimited' },
    },
    {
      name: 'scale-down: Pods 2 beats Percent 1 (which truncates to 99)',
      ...{ min: 1, max: 1000, current: 100, desired: 2, down: rules(2, 60, 1, 60, 300) },
      ...{ want: 98, reason: 'ScaleDownLimited' },
    },
    {
      name: 'scale-down: large Percent policy, minReplicas holds',
      ...{ min: 5, max: 1000, current: 10, desired: 2, down: rules(0, 0, 100, 60, 300), want: 5 },
    },
    {
      name: 'scale-down: Pods 5 per 60s limits 10 → 5',
      ...{ min: 1, max: 1000, current: 10, desired: 2, down: rules(5, 60, 0, 0, 300) },
      ...{ want: 5, reason: 'ScaleDownLimited' },
    },
    {
      name: 'scale-down: Percent 50 allows exactly the desired 5',
      ...{ min: 1, max: 1000, current: 10, desired: 5, down: rules(0, 0, 50, 60, 300), want: 5 },
    },
    {
      name: 'recent scale-ups count against a Pods 5 per 120s policy: no more growth',
      ...{ min: 1, max: 1000, current: 100, desired: 500, up: rules(5, 120, 0, 0, 0) },
      ...{ events: { up: spread([1, 5, 9], 120) }, want: 100, reason: 'ScaleUpLimited' },
    },
    {
      name: 'recent scale-ups: Pods 150 per 120s from 85',
      ...{ min: 1, max: 1000, current: 100, desired: 500, up: rules(150, 120, 0, 0, 0) },
      ...{ events: { up: spread([1, 5, 9], 120) }, want: 235, reason: 'ScaleUpLimited' },
    },
    {
      name: 'recent scale-ups: Percent 200 per 120s from 85',
      ...{ min: 1, max: 1000, current: 100, desired: 500, up: rules(0, 0, 200, 120, 0) },
      ...{ events: { up: spread([1, 5, 9], 120) }, want: 255, reason: 'ScaleUpLimited' },
    },
    {
      name: 'scale-up period counts both directions: (6 - 4 + 2) + 300 %',
      ...{ min: 1, max: 1000, current: 6, desired: 24, up: rules(0, 0, 300, 300, 0) },
      ...{ events: { up: spread([4], 120), down: spread([2], 120) }, want: 16, reason: 'ScaleUpLimited' },
    },
    {
      name: 'recent scale-downs: Pods 5 per 120s after 15 removed holds',
      ...{ min: 1, max: 1000, current: 100, desired: 2, down: rules(5, 120, 0, 0, 300) },
      ...{ events: { down: spread([1, 5, 9], 120) }, want: 100, reason: 'ScaleDownLimited' },
    },
    {
      name: 'recent scale-downs: Percent 50 per 120s from 112',
      ...{ min: 1, max: 1000, current: 100, desired: 0, down: rules(0, 0, 50, 120, 300) },
      ...{ events: { down: spread([2, 4, 6], 120) }, want: 56, reason: 'ScaleDownLimited' },
    },
    {
      name: 'scale-down period counts both directions: (10 - 2 + 4) - 50 %',
      ...{ min: 1, max: 1000, current: 10, desired: 1, down: rules(0, 0, 50, 180, 0) },
      ...{ events: { up: spread([2], 120), down: spread([4], 120) }, want: 6, reason: 'ScaleDownLimited' },
    },
    {
      name: 'events older than the period are not counted (Pods 1000 per 60s)',
      ...{ min: 1, max: 1000, current: 100, desired: 200, up: rules(1000, 60, 0, 0, 0) },
      ...{ events: { up: spread([8, 12, 9, 11], 120) }, want: 200 },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const behavior: Behavior = {
        scaleUp: row.up ?? HPA_DEFAULTS.scaleUp,
        scaleDown: row.down ?? HPA_DEFAULTS.scaleDown,
      };
      const events: ScaleEvents = { up: row.events?.up ?? [], down: row.events?.down ?? [] };
      const desired = clamp(row.desired, row.min, row.max).replicas;
      const got = limitRate(desired, row.current, events, behavior, NOW);
      assert.deepEqual(got, row.reason ? { replicas: row.want, reason: row.reason } : { replicas: row.want });
    });
  }
  it('selectPolicy Disabled holds the count in that direction only', () => {
    const behavior: Behavior = {
      scaleUp: { ...HPA_DEFAULTS.scaleUp, selectPolicy: 'Disabled' },
      scaleDown: HPA_DEFAULTS.scaleDown,
    };
    const none: ScaleEvents = { up: [], down: [] };
    assert.deepEqual(limitRate(9, 3, none, behavior, NOW), { replicas: 3, reason: 'ScalingDisabled' });
    assert.deepEqual(limitRate(1, 3, none, behavior, NOW), { replicas: 1 });
  });
});

describe('scale limits with selectPolicy Min (HPA TestCalculateScale{Up,Down}Limit...)', () => {
  const minRules: ScalingRules = {
    stabilizationWindowSec: 300,
    selectPolicy: 'Min',
    policies: [
      { type: 'Pods', value: 2, periodSec: 60 },
      { type: 'Percent', value: 50, periodSec: 60 },
    ],
  };
  const none: ScaleEvents = { up: [], down: [] };
  it('scale-up takes the smallest proposal: min(1 + 2, ceil(1 × 1.5)) = 2', () => {
    assert.equal(scaleUpLimit(1, none, minRules, NOW), 2);
  });
  it('scale-down takes the smallest change: max(5 - 2, trunc(5 × 0.5)) = 3', () => {
    assert.equal(scaleDownLimit(5, none, minRules, NOW), 3);
  });
});

describe('the documentation examples', () => {
  it('scale-down Percent 10 per 60s or Pods 4 per 60s, Max: 80 → 72 → 64 (10 % of 72 rounds up to 8)', () => {
    const down: ScalingRules = {
      stabilizationWindowSec: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSec: 60 },
        { type: 'Percent', value: 10, periodSec: 60 },
      ],
    };
    assert.equal(scaleDownLimit(80, { up: [], down: [] }, down, NOW), 72);
    assert.equal(scaleDownLimit(72, { up: [], down: [] }, down, NOW), 64);
    // Below 40 replicas the Pods policy allows the bigger change.
    assert.equal(scaleDownLimit(30, { up: [], down: [] }, down, NOW), 26);
  });
  it('the default scale-up allows 4 pods at once from 1, i.e. 1 → 5', () => {
    assert.equal(scaleUpLimit(1, { up: [], down: [] }, HPA_DEFAULTS.scaleUp, NOW), 5);
  });
});

describe('stabilizeWithBehavior (HPA TestNormalizeDesiredReplicasWithBehavior)', () => {
  const ago = (min: number): number => NOW - min * 60 * SEC;
  const rows: {
    name: string;
    history: [number, number][];
    current: number;
    desired: number;
    up?: number;
    down?: number;
    want: number;
    kept?: number[];
  }[] = [
    { name: 'empty history', history: [], current: 100, desired: 5, want: 5, kept: [5] },
    {
      name: 'scale-down window keeps the highest',
      ...{
        history: [
          [4, ago(2)],
          [5, ago(1)],
        ],
        current: 100,
        desired: 3,
        down: 180,
        want: 5,
      },
      kept: [4, 5, 3],
    },
    {
      name: 'scale-up window keeps the lowest',
      ...{
        history: [
          [4, ago(2)],
          [5, ago(1)],
        ],
        current: 1,
        desired: 7,
        up: 300,
        want: 4,
      },
      kept: [4, 5, 7],
    },
    {
      name: 'no scale-down window',
      ...{
        history: [
          [1, ago(2)],
          [2, ago(1)],
        ],
        current: 100,
        desired: 3,
        up: 300,
        want: 3,
      },
    },
    {
      name: 'no scale-up window',
      ...{
        history: [
          [4, ago(2)],
          [5, ago(1)],
        ],
        current: 1,
        desired: 3,
        down: 300,
        want: 3,
      },
    },
    {
      name: 'old recommendations are dropped',
      ...{
        history: [
          [10, ago(10)],
          [9, ago(9)],
        ],
        current: 100,
        desired: 3,
        want: 3,
        kept: [3],
      },
    },
    {
      name: 'scale-down window with obsolete entries',
      ...{
        history: [
          [10, ago(10)],
          [4, ago(1)],
          [5, ago(2)],
          [9, ago(9)],
        ],
        current: 100,
        desired: 3,
      },
      ...{ down: 180, want: 5, kept: [4, 5, 3] },
    },
    {
      name: 'scale-up window with obsolete entries',
      ...{
        history: [
          [10, ago(100)],
          [6, ago(1)],
          [5, ago(2)],
          [9, ago(3)],
        ],
        current: 1,
        desired: 100,
      },
      ...{ up: 300, want: 5, kept: [6, 5, 9, 100] },
    },
    {
      name: 'both windows: no scale-up when the recommendation goes down',
      ...{
        history: [
          [2, ago(100)],
          [3, ago(3)],
        ],
        current: 2,
        desired: 1,
        up: 300,
        down: 300,
        want: 2,
      },
    },
    {
      name: 'both windows: no scale-down when the recommendation goes up',
      ...{
        history: [
          [2, ago(100)],
          [1, ago(3)],
        ],
        current: 2,
        desired: 3,
        up: 300,
        down: 300,
        want: 2,
      },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const behavior: Behavior = {
        scaleUp: { ...HPA_DEFAULTS.scaleUp, stabilizationWindowSec: row.up ?? 0 },
        scaleDown: { ...HPA_DEFAULTS.scaleDown, stabilizationWindowSec: row.down ?? 0 },
      };
      const history = row.history.map(([replicas, atMs]) => ({ atMs, replicas }));
      const got = stabilizeWithBehavior(history, row.desired, row.current, NOW, behavior);
      assert.equal(got.replicas, row.want);
      if (row.want < row.desired) assert.equal(got.reason, 'ScaleUpStabilized');
      if (row.want > row.desired) assert.equal(got.reason, 'ScaleDownStabilized');
      if (row.kept)
        assert.deepEqual(
          got.history.map((h) => h.replicas),
          row.kept,
        );
    });
  }
  it('a recommendation exactly at the window start no longer counts', () => {
    const behavior: Behavior = { scaleUp: HPA_DEFAULTS.scaleUp, scaleDown: rules(0, 0, 100, 15, 60) };
    const got = stabilizeWithBehavior([{ atMs: NOW - 60 * SEC, replicas: 9 }], 2, 9, NOW, behavior);
    assert.equal(got.replicas, 2);
  });
});

describe('recordScaleEvent', () => {
  const behavior: Behavior = { scaleUp: rules(4, 60, 0, 0, 0), scaleDown: rules(0, 0, 50, 120, 0) };
  it('keeps each direction for its longest period and appends the change', () => {
    const events: ScaleEvents = {
      up: [
        { atMs: NOW - 61 * SEC, change: 7 },
        { atMs: NOW - 30 * SEC, change: 2 },
      ],
      down: [{ atMs: NOW - 100 * SEC, change: 1 }],
    };
    assert.deepEqual(recordScaleEvent(events, 3, 7, NOW, behavior), {
      up: [
        { atMs: NOW - 30 * SEC, change: 2 },
        { atMs: NOW, change: 4 },
      ],
      down: [{ atMs: NOW - 100 * SEC, change: 1 }],
    });
    assert.deepEqual(recordScaleEvent(events, 7, 3, NOW, behavior).down, [
      { atMs: NOW - 100 * SEC, change: 1 },
      { atMs: NOW, change: 4 },
    ]);
  });
});
