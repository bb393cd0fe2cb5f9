// Property tests of the recorded-state annotation reader (`kubectl-cpa.io/status`): any value is read without
// throwing and with a bounded list of problems, and what the recorder writes reads back unchanged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import { decodeState } from '../../../src/status/decode-state.ts';
import { readRecord } from '../../../src/status/decode.ts';
import { buildRecordedState, LIMITS } from '../../../src/status/record.ts';
import { encodeState, SCHEMA_VERSION, type RecordedState } from '../../../src/status/schema.ts';
import { hostileString, hostileValue, nested, RUNS } from './arbitraries.ts';

const REASONS = [
  'Scaled',
  'NoChange',
  'ClampedToMin',
  'ClampedToMax',
  'ScaleDownStabilized',
  'AutoscalingDisabled',
] as const;
const STAGES = [
  'config',
  'target',
  'scale',
  'pods',
  'metric',
  'evaluate',
  'decide',
  'patch',
  'hook',
] as const;
const time = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
const count = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const text = (max: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength: max });

/** Records as the recorder writes them: strings within the annotation's bounds. */
const state: fc.Arbitrary<RecordedState> = fc.record(
  {
    schemaVersion: fc.constant(SCHEMA_VERSION),
    name: text(60),
    runner: fc.record({ host: text(30), pid: fc.nat(), version: text(10) }),
    config: fc.record({
      minReplicas: count,
      maxReplicas: count,
      intervalMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      runMode: fc.constantFrom('per-pod' as const, 'per-resource' as const),
      downscaleStabilizationSec: count,
    }),
    cycle: fc.record({
      time,
      durationMs: fc.nat(),
      runType: fc.constantFrom('scaler' as const, 'api' as const, 'api_dry_run' as const),
    }),
    metrics: fc.option(
      fc.array(
        fc.record(
          { resource: text(LIMITS.valueChars), value: text(LIMITS.valueChars) },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      { nil: null },
    ),
    metricsOmitted: fc.nat(),
    evaluation: fc.integer(),
    decision: fc.record({
      from: count,
      to: count,
      evaluation: fc.integer(),
      clamped: count,
      reason: fc.constantFrom(...REASONS),
      reasons: fc.array(fc.constantFrom(...REASONS), { maxLength: 3 }),
      action: fc.constantFrom('scaled' as const, 'unchanged' as const, 'disabled' as const),
      time,
    }),
    lastScaleTime: time,
    lastError: fc.record({ stage: fc.constantFrom(...STAGES), message: text(LIMITS.messageChars), time }),
    consecutiveFailures: fc.nat(),
  },
  { requiredKeys: ['schemaVersion', 'name', 'runner', 'config', 'cycle', 'consecutiveFailures'] },
);

const WORDS = [
  'schemaVersion',
  'name',
  'runner',
  'config',
  'cycle',
  'metrics',
  'decision',
  'lastError',
  'time',
  'reasons',
];

describe('status annotation: no value throws', () => {
  it('any text reads to a record or a problem, with at most 21 listed problems', () => {
    const doc = fc.dictionary(fc.constantFrom(...WORDS, '__proto__'), hostileValue(WORDS, [SCHEMA_VERSION]), {
      maxKeys: 8,
    });
    const versioned = doc.map((d) => JSON.stringify({ ...d, schemaVersion: SCHEMA_VERSION }));
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          doc.map((d) => JSON.stringify(d)),
          versioned,
        ),
        (value) => {
          const read = readRecord(value);
          assert.ok(read.malformed.length <= 21, `${read.malformed.length} problems listed`);
          assert.ok(read.record !== null || read.problem !== undefined);
          decodeState(value);
        },
      ),
      { numRuns: RUNS.many },
    );
  });

  it('any field of a written record replaced by anything reads without throwing', () => {
    const path = fc.constantFrom(
      'name',
      'runner',
      'config',
      'cycle',
      'metrics',
      'decision',
      'lastError',
      'evaluation',
    );
    fc.assert(
      fc.property(state, path, hostileValue(WORDS), (s, key, junk) => {
        const value = JSON.stringify({ ...s, [key]: junk });
        readRecord(value);
        const decoded = decodeState(value);
        if (decoded.state !== null) assert.equal(decoded.state.schemaVersion, SCHEMA_VERSION);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('deep nesting and a 1 MiB value are read quickly', () => {
    for (const value of [
      nested(100_000, 'array'),
      `{"schemaVersion":1,"metrics":[${'{"value":1},'.repeat(80_000)}1]}`,
    ]) {
      const started = performance.now();
      const read = readRecord(value);
      assert.ok(read.malformed.length <= 21);
      assert.ok(performance.now() - started < 5000);
    }
  });
});

describe('status annotation: write → read', () => {
  it('decodeState(encodeState(s)) is s', () => {
    fc.assert(
      fc.property(state, (s) => {
        // Through JSON: fast-check builds its records without a prototype.
        assert.deepEqual(decodeState(encodeState(s)), { state: JSON.parse(encodeState(s)) });
        assert.deepEqual(readRecord(encodeState(s)).malformed, []);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('what the recorder builds from a failed cycle reads back unchanged, however long the error', () => {
    const input = {
      name: 'a',
      runner: { host: 'h', pid: 1, version: 'v' },
      config: {
        minReplicas: 1,
        maxReplicas: 5,
        intervalMs: 1000,
        runMode: 'per-pod' as const,
        downscaleStabilizationSec: 0,
      },
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * LIMITS.messageChars }), fc.string(), (length, tail) => {
        const message = `${'x'.repeat(length)}${tail}`;
        const report = {
          runType: 'scaler',
          startedMs: 0,
          durationMs: 1,
          scaled: false,
          error: { stage: 'metric', message },
        } as unknown as CycleReport;
        const written = buildRecordedState(input, report, null);
        assert.deepEqual(decodeState(encodeState(written)), { state: written });
      }),
      { numRuns: RUNS.quick },
    );
  });
});

describe('status annotation: counterexample found above, as a plain row', () => {
  it('a 1025-character error message written by the recorder reads back as written', () => {
    const written = `${'x'.repeat(LIMITS.messageChars)}…[+1 chars]`;
    const read = readRecord(
      JSON.stringify({
        schemaVersion: SCHEMA_VERSION,
        lastError: { stage: 'metric', message: written, time: '2026-01-01T00:00:00.000Z' },
      }),
    );
    assert.equal(read.record?.lastError?.message, written);
  });
});
