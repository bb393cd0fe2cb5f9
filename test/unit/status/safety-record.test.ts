// The safety steps in what `run` records and `status` shows: the decision chain and the windows in the
// annotation (written, read back, malformed parts left out), the FallbackApplied Event, Paused with its
// start, and the chain in the detail view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChainStep } from '../../../src/autoscaler/types.ts';
import { pausePatch } from '../../../src/autoscaler/pause.ts';
import { conditionsOf } from '../../../src/status/conditions.ts';
import { decodeState } from '../../../src/status/decode-state.ts';
import { readRecord } from '../../../src/status/decode.ts';
import { fromAnnotated } from '../../../src/status/model.ts';
import { eventsForReport } from '../../../src/status/reasons.ts';
import { buildRecordedState, writeVerdict } from '../../../src/status/record.ts';
import { chainRows } from '../../../src/status/render-chain.ts';
import { renderDetail } from '../../../src/status/render-detail.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { failedReport, iso, RECORD_INPUT, recorded, scaledReport, T0, workload } from './fixtures.ts';

const CHAIN: ChainStep[] = [
  { step: 'evaluation', input: 10, output: 10 },
  { step: 'clamp', input: 10, output: 10 },
  { step: 'stabilization', input: 10, output: 10, note: 'scale-up window 0s, scale-down window 300s' },
  { step: 'policy', input: 10, output: 5, reason: 'ScaleUpLimited', note: 'scale-up Max of Pods 4 per 60s' },
  { step: 'final', input: 1, output: 5, reason: 'Scaled' },
];
const WINDOWS = { at: T0, rec: [[0, 10]] as [number, number][], up: [[0, 4]] as [number, number][] };

describe('the record', () => {
  it('keeps the decision chain and the windows, and reads them back', () => {
    const report = scaledReport(0, {
      decision: {
        ...{ current: 1, evaluation: 10, clamped: 10, target: 5 },
        ...{ reasons: ['ScaleUpLimited', 'Scaled'], action: 'scale', chain: CHAIN },
      },
      windows: WINDOWS,
    });
    const state = buildRecordedState(RECORD_INPUT, report, null);
    assert.equal(state.decision?.reason, 'ScaleUpLimited');
    assert.deepEqual(state.decision?.chain, CHAIN);
    assert.deepEqual(state.windows, WINDOWS);
    const back = decodeState(encodeState(state));
    assert.deepEqual(back.state?.decision?.chain, CHAIN);
    assert.deepEqual(back.state?.windows, WINDOWS);
  });
  it('a cycle without windows carries the previous ones on', () => {
    const state = buildRecordedState(RECORD_INPUT, failedReport(15_000), recorded({ windows: WINDOWS }));
    assert.deepEqual(state.windows, WINDOWS);
  });
  it('a malformed chain or windows is left out and named', () => {
    const text = encodeState(recorded({ windows: WINDOWS }))
      .replace('"action":"scaled"', '"action":"scaled","chain":[{"step":"guess","input":1,"output":2}]')
      .replace('"rec":[[0,10]]', '"rec":"x"');
    const read = readRecord(text);
    assert.equal(read.record?.decision?.chain, undefined);
    assert.equal(read.record?.windows, undefined);
    assert.equal(read.malformed.length, 2);
    assert.ok(read.malformed.some((m) => m.startsWith('decision.chain: want a list of decision steps')));
  });
});

describe('Events', () => {
  it('a fallback that scaled adds a Normal FallbackApplied beside the failure', () => {
    const report = {
      ...failedReport(0),
      decision: {
        ...{ current: 1, evaluation: 3, clamped: 3, target: 3 },
        ...{ reasons: ['FallbackApplied' as const, 'Scaled' as const], action: 'scale' as const },
      },
      scaled: true,
    };
    const events = eventsForReport(report, { minReplicas: 1, maxReplicas: 5 });
    assert.deepEqual(
      events.map((e) => [e.type, e.reason]),
      [
        ['Warning', 'FailedEvaluate'],
        ['Normal', 'FallbackApplied'],
      ],
    );
    assert.match(events[1]?.message ?? '', /^New size: 3; reason: fallback after repeated failures/);
  });
});

describe('status', () => {
  const annotated = (annotations: Record<string, string>, decision = recorded().decision) => {
    const object = workload('Deployment', 'web', { annotation: encodeState(recorded({ decision })) });
    const meta = object.metadata as { annotations: Record<string, string> };
    Object.assign(meta.annotations, annotations);
    return fromAnnotated(object, T0 + 1000);
  };
  it('shows Paused and since when the runner first applied the pause', () => {
    const pausedAt = iso(T0 - 60_000);
    const decision = {
      ...recorded().decision!,
      reason: 'Paused' as const,
      reasons: ['Paused' as const, 'NoChange' as const],
      action: 'unchanged' as const,
      time: pausedAt,
    };
    const item = annotated({ 'kubectl-cpa.io/paused': 'true' }, decision);
    assert.equal(item?.state, 'Paused');
    assert.ok(
      item?.hints.includes(
        `paused holding the replicas (kubectl-cpa.io/paused), since ${pausedAt}; \`kubectl cpa resume\` ends it`,
      ),
    );
  });
  it('a pause the runner has not seen yet says so', () => {
    const item = annotated({ 'kubectl-cpa.io/paused-replicas': '2' });
    assert.equal(item?.state, 'Paused');
    assert.ok(item?.hints.some((h) => h.includes('at 2 replicas') && h.includes('not yet applied')));
  });
  it('-o json carries the chain; the detail view shows one line per step', () => {
    const decision = { ...recorded().decision!, chain: CHAIN };
    const item = annotated({}, decision);
    assert.deepEqual(item?.lastDecision?.chain, CHAIN);
    const text = renderDetail(item!, { nowMs: T0 + 1000, color: false, events: [] });
    assert.match(text, /\n {2}Behavior policy: +10 → 5: ScaleUpLimited \(scale-up Max of Pods 4 per 60s\)\n/);
    assert.match(text, /\n {2}Final: +1 → 5: Scaled\n/);
  });
  it('chainRows labels each step', () => {
    assert.deepEqual(
      chainRows(CHAIN).map(([label]) => label),
      ['Evaluation', 'Clamp', 'Stabilization', 'Behavior policy', 'Final'],
    );
  });
});

describe('pausePatch', () => {
  it('pause sets paused and removes paused-replicas; --replicas sets both; resume removes both', () => {
    assert.deepEqual(pausePatch({}), {
      'kubectl-cpa.io/paused': 'true',
      'kubectl-cpa.io/paused-replicas': null,
    });
    assert.deepEqual(pausePatch({ replicas: 3 }), {
      'kubectl-cpa.io/paused': 'true',
      'kubectl-cpa.io/paused-replicas': '3',
    });
    assert.deepEqual(pausePatch(null), {
      'kubectl-cpa.io/paused': null,
      'kubectl-cpa.io/paused-replicas': null,
    });
  });
});

describe('conditions', () => {
  it('a behavior policy that held the change back reads as HPA’s ScalingLimited ScaleUpLimit', () => {
    const decision = {
      ...recorded().decision!,
      reason: 'ScaleUpLimited' as const,
      reasons: ['ScaleUpLimited' as const, 'Scaled' as const],
    };
    const object = workload('Deployment', 'web', { annotation: encodeState(recorded({ decision })) });
    const item = fromAnnotated(object, T0 + 1000);
    const limited = conditionsOf(item!).find((c) => c.type === 'ScalingLimited');
    assert.deepEqual([limited?.status, limited?.reason], ['True', 'ScaleUpLimit']);
  });
});

describe('writing the windows', () => {
  const at = (windows: typeof WINDOWS, offsetMs: number) =>
    recorded({ windows, cycle: { time: iso(T0 + offsetMs), durationMs: 80, runType: 'scaler' } });
  it('fresher times alone wait for the heartbeat', () => {
    const later = {
      at: T0 + 15_000,
      rec: [[0, 10]] as [number, number][],
      up: [[15_000, 4]] as [number, number][],
    };
    assert.equal(writeVerdict(at(WINDOWS, 0), at(later, 15_000)), 'unchanged');
  });
  it('a new value or scale event is written at once', () => {
    const lower = {
      ...WINDOWS,
      rec: [
        [15_000, 10],
        [0, 2],
      ] as [number, number][],
    };
    assert.equal(writeVerdict(at(WINDOWS, 0), at(lower, 15_000)), 'changed');
    const scaled = {
      ...WINDOWS,
      up: [
        [15_000, 4],
        [0, 4],
      ] as [number, number][],
    };
    assert.equal(writeVerdict(at(WINDOWS, 0), at(scaled, 15_000)), 'changed');
  });
});
