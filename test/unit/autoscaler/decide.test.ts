import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clamp, decide, isDisabled, redecide, type DecisionInput } from '../../../src/autoscaler/decide.ts';
import { stabilize } from '../../../src/autoscaler/stabilize.ts';

describe('clamp', () => {
  const rows: { name: string; given: [number, number, number]; want: object }[] = [
    { name: 'inside the range is kept', given: [5, 1, 10], want: { replicas: 5 } },
    { name: 'below min goes to min', given: [0, 1, 10], want: { replicas: 1, reason: 'ClampedToMin' } },
    { name: 'above max goes to max', given: [20, 1, 10], want: { replicas: 10, reason: 'ClampedToMax' } },
    { name: 'equal to max is kept', given: [10, 1, 10], want: { replicas: 10 } },
    { name: 'min 0 allows 0', given: [0, 0, 10], want: { replicas: 0 } },
    { name: 'min > max: below min wins', given: [1, 5, 3], want: { replicas: 5, reason: 'ClampedToMin' } },
    {
      name: 'min > max: above min goes to max',
      given: [6, 5, 3],
      want: { replicas: 3, reason: 'ClampedToMax' },
    },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(clamp(...row.given), row.want));
  }
});

describe('isDisabled', () => {
  const rows: { name: string; given: [number, number]; want: boolean }[] = [
    { name: '0 replicas with min 1 is disabled', given: [0, 1], want: true },
    { name: '0 replicas with min 0 is scale-from-zero', given: [0, 0], want: false },
    { name: '3 replicas is active', given: [3, 1], want: false },
  ];
  for (const row of rows) it(row.name, () => assert.equal(isDisabled(...row.given), row.want));
});

describe('stabilize', () => {
  it('keeps the max within the window (CPA scaling_test example)', () => {
    const now = 1_000_000;
    const history = [
      { atMs: now - 60_000, replicas: 100 },
      { atMs: now - 50_000, replicas: 2 },
      { atMs: now - 40_000, replicas: 2 },
      { atMs: now - 30_000, replicas: 9 },
      { atMs: now - 20_000, replicas: 2 },
    ];
    const result = stabilize(history, 2, now, 45);
    assert.equal(result.replicas, 9);
    assert.deepEqual(
      result.history.map((h) => h.replicas),
      [2, 9, 2, 2],
    );
  });
  it('a zero window keeps only the new entry', () => {
    const result = stabilize([{ atMs: 0, replicas: 50 }], 3, 10, 0);
    assert.deepEqual(result, { replicas: 3, history: [{ atMs: 10, replicas: 3 }] });
  });
  it('an entry exactly at the cutoff is kept', () => {
    assert.equal(stabilize([{ atMs: 0, replicas: 7 }], 3, 5000, 5).replicas, 7);
  });
  it('upscales are never delayed', () => {
    assert.equal(stabilize([{ atMs: 0, replicas: 2 }], 8, 1000, 300).replicas, 8);
  });
});

describe('decide', () => {
  const base: DecisionInput = {
    evaluation: 3,
    current: 1,
    minReplicas: 1,
    maxReplicas: 10,
    downscaleStabilizationSec: 0,
    history: [],
    nowMs: 1000,
  };
  const rows: {
    name: string;
    given: Partial<DecisionInput>;
    want: { target: number; reasons: string[]; action: string };
  }[] = [
    {
      name: 'scales up to the evaluation',
      given: {},
      want: { target: 3, reasons: ['Scaled'], action: 'scale' },
    },
    {
      name: 'no change when equal',
      given: { current: 3 },
      want: { target: 3, reasons: ['NoChange'], action: 'none' },
    },
    {
      name: 'clamped to max',
      given: { evaluation: 20 },
      want: { target: 10, reasons: ['ClampedToMax', 'Scaled'], action: 'scale' },
    },
    {
      name: 'clamped to min',
      given: { evaluation: 0, current: 4 },
      want: { target: 1, reasons: ['ClampedToMin', 'Scaled'], action: 'scale' },
    },
    {
      name: 'disabled at 0 replicas',
      given: { current: 0 },
      want: { target: 0, reasons: ['AutoscalingDisabled'], action: 'disabled' },
    },
    {
      name: 'scale from zero with min 0',
      given: { current: 0, minReplicas: 0 },
      want: { target: 3, reasons: ['Scaled'], action: 'scale' },
    },
    {
      name: 'scale to zero with min 0',
      given: { current: 2, minReplicas: 0, evaluation: 0 },
      want: { target: 0, reasons: ['Scaled'], action: 'scale' },
    },
    {
      name: 'downscale held by the window',
      given: {
        current: 6,
        evaluation: 2,
        downscaleStabilizationSec: 60,
        history: [{ atMs: 0, replicas: 6 }],
      },
      want: { target: 6, reasons: ['ScaleDownStabilized', 'NoChange'], action: 'none' },
    },
    {
      name: 'downscale partly held by the window',
      given: {
        current: 6,
        evaluation: 2,
        downscaleStabilizationSec: 60,
        history: [{ atMs: 0, replicas: 4 }],
      },
      want: { target: 4, reasons: ['ScaleDownStabilized', 'Scaled'], action: 'scale' },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const { decision } = decide({ ...base, ...row.given });
      assert.deepEqual(
        { target: decision.target, reasons: decision.reasons, action: decision.action },
        row.want,
      );
    });
  }
  it('a disabled target leaves the history untouched', () => {
    const history = [{ atMs: 0, replicas: 4 }];
    assert.deepEqual(decide({ ...base, current: 0, history }).history, history);
  });
  it('records the clamped value, not the raw evaluation', () => {
    assert.deepEqual(decide({ ...base, evaluation: 50 }).history, [{ atMs: 1000, replicas: 10 }]);
  });
});

describe('redecide after a conflict', () => {
  const { decision } = decide({
    evaluation: 3,
    current: 1,
    minReplicas: 1,
    maxReplicas: 10,
    downscaleStabilizationSec: 0,
    history: [],
    nowMs: 0,
  });
  it('still scales when another writer changed the count', () => {
    const chain = [
      ...(decision.chain ?? []).slice(0, -1),
      { step: 'final', input: 7, output: 3, reason: 'Scaled' },
    ];
    assert.deepEqual(redecide(decision, 7, 1), {
      ...decision,
      current: 7,
      reasons: ['Scaled'],
      action: 'scale',
      chain,
    });
  });
  it('stops when the other writer already set the target', () => {
    assert.equal(redecide(decision, 3, 1).action, 'none');
  });
  it('respects a user who disabled autoscaling meanwhile', () => {
    assert.equal(redecide(decision, 0, 1).action, 'disabled');
  });
});

describe('decide with behavior (HPA) and the chain', () => {
  const behavior = {
    scaleUp: {
      stabilizationWindowSec: 0,
      selectPolicy: 'Max' as const,
      policies: [{ type: 'Pods' as const, value: 4, periodSec: 60 }],
    },
    scaleDown: {
      stabilizationWindowSec: 300,
      selectPolicy: 'Disabled' as const,
      policies: [{ type: 'Percent' as const, value: 100, periodSec: 15 }],
    },
  };
  const base: DecisionInput = {
    evaluation: 10,
    current: 1,
    minReplicas: 1,
    maxReplicas: 20,
    downscaleStabilizationSec: 0,
    history: [],
    nowMs: 1_000_000,
    behavior,
  };
  it('window, then rate limit: 1 → 10 goes to 5, each step in the chain', () => {
    const { decision } = decide(base);
    assert.deepEqual([decision.target, decision.reasons], [5, ['ScaleUpLimited', 'Scaled']]);
    assert.deepEqual(
      decision.chain?.map((s) => `${s.step} ${s.input}→${s.output} ${s.reason ?? ''}`.trim()),
      [
        'evaluation 10→10',
        'clamp 10→10',
        'stabilization 10→10',
        'policy 10→5 ScaleUpLimited',
        'final 1→5 Scaled',
      ],
    );
  });
  it('selectPolicy Disabled holds a scale-down with ScalingDisabled', () => {
    const { decision } = decide({ ...base, evaluation: 2, current: 6 });
    assert.deepEqual([decision.target, decision.reasons], [6, ['ScalingDisabled', 'NoChange']]);
  });
  it('a count outside [min, max] is corrected at once, past window and policies (as HPA)', () => {
    const { decision, history } = decide({ ...base, evaluation: 30, current: 25 });
    assert.deepEqual([decision.target, decision.reasons], [20, ['ClampedToMax', 'Scaled']]);
    assert.deepEqual(history, []);
  });
  it('the fallback enters the chain as its first step', () => {
    const { decision } = decide({ ...base, evaluation: 3, source: 'fallback' });
    assert.deepEqual(decision.chain?.[0], {
      step: 'fallback',
      input: 1,
      output: 3,
      reason: 'FallbackApplied',
    });
    assert.deepEqual(decision.reasons, ['FallbackApplied', 'Scaled']);
  });
  it('without behavior the chain has CPA’s steps only', () => {
    const { behavior: _, ...cpa } = base;
    const { decision } = decide(cpa);
    assert.deepEqual(
      decision.chain?.map((s) => s.step),
      ['evaluation', 'clamp', 'stabilization', 'final'],
    );
    assert.equal(decision.target, 10);
  });
});
