// The windows as kept in the annotation: only what can still decide a window, bounded, and read back
// exactly (or not at all when malformed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  boundEvents,
  decodeWindows,
  encodeWindows,
  MAX_WINDOW_ENTRIES,
  pruneRecommendations,
} from '../../../src/autoscaler/windows.ts';
import { fallbackDue, fallbackReplicas } from '../../../src/autoscaler/fallback.ts';
import { readPause } from '../../../src/autoscaler/pause.ts';
import type { FallbackBehavior } from '../../../src/config/safety-types.ts';

const rec = (pairs: [number, number][]) => pairs.map(([atMs, replicas]) => ({ atMs, replicas }));

describe('pruneRecommendations', () => {
  const rows: { name: string; given: [number, number][]; want: [number, number][] }[] = [
    { name: 'empty', given: [], want: [] },
    {
      name: 'a newer equal value replaces an older one',
      given: [
        [1, 5],
        [2, 5],
      ],
      want: [[2, 5]],
    },
    {
      name: 'an older high value stays for the scale-down max, an older low one for the scale-up min',
      given: [
        [1, 9],
        [2, 1],
        [3, 5],
      ],
      want: [
        [1, 9],
        [2, 1],
        [3, 5],
      ],
    },
    {
      name: 'an older value between newer extremes is dropped',
      given: [
        [1, 5],
        [2, 9],
        [3, 1],
      ],
      want: [
        [2, 9],
        [3, 1],
      ],
    },
    {
      name: 'a steady count keeps one entry',
      given: [
        [1, 3],
        [2, 3],
        [3, 3],
        [4, 3],
      ],
      want: [[4, 3]],
    },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(pruneRecommendations(rec(row.given)), rec(row.want)));
  }
  it('keeps at most MAX_WINDOW_ENTRIES, the newest', () => {
    // Alternating rising highs and falling lows: none is dominated.
    const given = Array.from({ length: 200 }, (_, i) => ({ atMs: i, replicas: i % 2 === 0 ? 1000 - i : i }));
    const kept = pruneRecommendations(given);
    assert.equal(kept.length, MAX_WINDOW_ENTRIES);
    assert.equal(kept.at(-1)?.atMs, 199);
  });
});

describe('boundEvents', () => {
  it('merges the oldest into the next, so the total is kept and only gets newer', () => {
    const given = Array.from({ length: MAX_WINDOW_ENTRIES + 2 }, (_, i) => ({ atMs: i, change: 1 }));
    const bounded = boundEvents(given);
    assert.equal(bounded.length, MAX_WINDOW_ENTRIES);
    assert.equal(
      bounded.reduce((s, e) => s + e.change, 0),
      given.length,
    );
    assert.deepEqual(bounded[0], { atMs: 2, change: 3 });
  });
});

describe('encode and decode', () => {
  it('round-trips, with times relative to `at`', () => {
    const windows = {
      history: rec([
        [9_000, 4],
        [9_500, 2],
      ]),
      scaleEvents: { up: [{ atMs: 8_000, change: 3 }], down: [] },
    };
    const encoded = encodeWindows(windows, 10_000);
    assert.deepEqual(encoded, {
      at: 10_000,
      rec: [
        [1000, 4],
        [500, 2],
      ],
      up: [[2000, 3]],
    });
    assert.deepEqual(decodeWindows(JSON.parse(JSON.stringify(encoded))), windows);
  });
  const malformed: [string, unknown][] = [
    ['not an object', 'x'],
    ['no at', { rec: [] }],
    ['a pair of three', { at: 1, rec: [[1, 2, 3]] }],
    ['a negative age', { at: 1, rec: [[-1, 2]] }],
    ['a fraction', { at: 1, rec: [[1, 2.5]] }],
    ['too many entries', { at: 1, rec: Array.from({ length: MAX_WINDOW_ENTRIES + 1 }, () => [0, 1]) }],
    ['bad events', { at: 1, rec: [], up: 'x' }],
  ];
  for (const [name, value] of malformed) {
    it(`reads nothing from a malformed value: ${name}`, () => assert.equal(decodeWindows(value), undefined));
  }
});

describe('fallback (KEDA)', () => {
  const rows: [FallbackBehavior, number, number][] = [
    ['static', 9, 4],
    ['currentReplicas', 9, 9],
    ['currentReplicasIfHigher', 9, 9],
    ['currentReplicasIfHigher', 2, 4],
    ['currentReplicasIfLower', 9, 4],
    ['currentReplicasIfLower', 2, 2],
  ];
  for (const [behavior, current, want] of rows) {
    it(`${behavior} with ${current} current and 4 fallback replicas gives ${want}`, () => {
      assert.equal(fallbackReplicas({ failureThreshold: 3, replicas: 4, behavior }, current), want);
    });
  }
  it('is due only past the threshold, as KEDA counts', () => {
    const f = { failureThreshold: 3, replicas: 4, behavior: 'static' as const };
    assert.deepEqual(
      [3, 4].map((n) => fallbackDue(f, n)),
      [false, true],
    );
  });
});

describe('readPause', () => {
  const rows: { name: string; given: Record<string, string> | undefined; want: object }[] = [
    { name: 'no annotations', given: undefined, want: { paused: false } },
    { name: 'paused true', given: { 'kubectl-cpa.io/paused': 'true' }, want: { paused: true } },
    { name: 'paused TRUE (any case)', given: { 'kubectl-cpa.io/paused': 'TRUE' }, want: { paused: true } },
    { name: 'paused false', given: { 'kubectl-cpa.io/paused': 'false' }, want: { paused: false } },
    {
      name: 'paused-replicas alone pauses at N',
      given: { 'kubectl-cpa.io/paused-replicas': '3' },
      want: { paused: true, replicas: 3 },
    },
    {
      name: 'paused-replicas 0 scales to zero',
      given: { 'kubectl-cpa.io/paused-replicas': '0' },
      want: { paused: true, replicas: 0 },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(readPause(row.given), row.want));
  it('a paused-replicas that is not a count holds, with the reason', () => {
    const pause = readPause({ 'kubectl-cpa.io/paused-replicas': '-1' });
    assert.equal(pause.paused, true);
    assert.ok(pause.paused && pause.replicas === undefined && pause.problem?.includes('"-1"'));
  });
});
