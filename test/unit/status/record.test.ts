// What `run` records after a cycle, and when it is worth a write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  boundMetrics,
  boundText,
  buildRecordedState,
  LIMITS,
  primaryReason,
  staleAfterMs,
  writeVerdict,
  type WriteVerdict,
} from '../../../src/status/record.ts';
import { decodeState } from '../../../src/status/decode-state.ts';
import { encodeState, type RecordedState } from '../../../src/status/schema.ts';
import type { ReasonCode } from '../../../src/logger/events.ts';
import { failedReport, iso, RECORD_INPUT, recorded, scaledReport, steadyReport, T0 } from './fixtures.ts';

describe('boundText', () => {
  const rows: { name: string; given: [string, number]; want: string }[] = [
    { name: 'short text is kept', given: ['abc', 5], want: 'abc' },
    { name: 'exactly the limit is kept', given: ['abcde', 5], want: 'abcde' },
    {
      name: 'longer text is cut with a marker of what was lost',
      given: ['abcdefgh', 5],
      want: 'abcde…[+3 chars]',
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(boundText(...row.given), row.want));
});

describe('boundMetrics', () => {
  it('keeps small metric lists as they are', () => {
    const metrics = [{ resource: 'a', value: '1' }, { value: '2' }];
    assert.deepEqual(boundMetrics(metrics), { metrics, omitted: 0 });
  });
  it('cuts a huge value and says how much was cut', () => {
    const { metrics } = boundMetrics([{ resource: 'a', value: 'x'.repeat(2000) }]);
    assert.equal(metrics[0]?.value, `${'x'.repeat(LIMITS.valueChars)}…[+${2000 - LIMITS.valueChars} chars]`);
  });
  it('drops trailing metrics past the byte limit and counts them', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ resource: `web-${i}`, value: String(i) }));
    const bounded = boundMetrics(many);
    assert.ok(Buffer.byteLength(JSON.stringify(bounded.metrics)) <= LIMITS.metricsBytes);
    assert.equal(bounded.metrics.length + bounded.omitted, 200);
    assert.ok(bounded.omitted > 0);
    assert.deepEqual(bounded.metrics[0], { resource: 'web-0', value: '0' });
  });
});

describe('primaryReason', () => {
  const rows: { name: string; given: ReasonCode[]; want: ReasonCode }[] = [
    { name: 'plain scale', given: ['Scaled'], want: 'Scaled' },
    {
      name: 'a clamp explains the count better than Scaled',
      given: ['ClampedToMax', 'Scaled'],
      want: 'ClampedToMax',
    },
    {
      name: 'stabilisation beats the clamp',
      given: ['ClampedToMin', 'ScaleDownStabilized', 'NoChange'],
      want: 'ScaleDownStabilized',
    },
    { name: 'disabled', given: ['AutoscalingDisabled'], want: 'AutoscalingDisabled' },
    { name: 'no reasons reads as no change', given: [], want: 'NoChange' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(primaryReason(row.given), row.want));
});

describe('buildRecordedState', () => {
  it('records a first scaling cycle completely', () => {
    assert.deepEqual(buildRecordedState(RECORD_INPUT, scaledReport(), null), recorded());
  });

  it("since: the first record's cycle time, kept by every later record (status AGE)", () => {
    const later = buildRecordedState(RECORD_INPUT, steadyReport(45_000), recorded());
    assert.equal(later.since, iso(T0));
    const { since: _absent, ...older } = recorded();
    assert.equal(buildRecordedState(RECORD_INPUT, steadyReport(45_000), older).since, iso(T0 + 45_000));
  });

  it('a failed cycle keeps the last decision, counts failures on and records the error', () => {
    const first = buildRecordedState(RECORD_INPUT, failedReport(15_000), recorded());
    const second = buildRecordedState(RECORD_INPUT, failedReport(30_000), first);
    assert.equal(second.consecutiveFailures, 2);
    assert.deepEqual(second.decision, recorded().decision);
    assert.equal(second.lastScaleTime, iso(T0));
    assert.deepEqual(second.lastError, {
      stage: 'evaluate',
      message: 'failed get evaluation: evaluate exited with status 1',
      time: iso(T0 + 30_000),
    });
  });

  it('a success after failures resets the count and keeps the last error for the record', () => {
    const failed = buildRecordedState(RECORD_INPUT, failedReport(15_000), recorded());
    const next = buildRecordedState(RECORD_INPUT, steadyReport(30_000), failed);
    assert.equal(next.consecutiveFailures, 0);
    assert.equal(next.lastError?.time, iso(T0 + 15_000));
  });

  it('an unchanged decision keeps its first time ("since"), a new one gets the cycle time', () => {
    const a = buildRecordedState(RECORD_INPUT, steadyReport(15_000), recorded());
    const b = buildRecordedState(RECORD_INPUT, steadyReport(30_000), a);
    assert.equal(a.decision?.time, iso(T0 + 15_000));
    assert.equal(b.decision?.time, iso(T0 + 15_000));
    assert.equal(b.lastScaleTime, iso(T0));
  });

  it('metrics: null from CPA stays null, huge lists record how many were left out', () => {
    assert.equal(buildRecordedState(RECORD_INPUT, steadyReport(0), null).metricsOmitted, undefined);
    const nulls = buildRecordedState(RECORD_INPUT, { ...steadyReport(0), metrics: null }, null);
    assert.equal(nulls.metrics, null);
    const many = Array.from({ length: 500 }, (_, i) => ({ resource: `p${i}`, value: '1' }));
    const big = buildRecordedState(RECORD_INPUT, { ...steadyReport(0), metrics: many }, null);
    assert.ok((big.metricsOmitted ?? 0) > 0);
    assert.ok(encodeState(big).length < 8 * 1024);
  });
});

describe('writeVerdict', () => {
  const at = (offsetMs: number, overrides: Partial<RecordedState> = {}): RecordedState =>
    recorded({ cycle: { time: iso(T0 + offsetMs), durationMs: 90, runType: 'scaler' }, ...overrides });
  const rows: { name: string; given: [RecordedState | null, RecordedState]; want: WriteVerdict }[] = [
    { name: 'nothing on the target yet', given: [null, at(0)], want: 'first' },
    {
      name: 'only cycle time and duration changed, one interval later',
      given: [at(0), at(15_000)],
      want: 'unchanged',
    },
    {
      name: 'only the cycle time changed, a minute later: heartbeat',
      given: [at(0), at(60_000)],
      want: 'heartbeat',
    },
    {
      name: 'ticks jitter: half an interval early still counts',
      given: [at(0), at(52_500)],
      want: 'heartbeat',
    },
    { name: 'the evaluation changed', given: [at(0), at(15_000, { evaluation: 4 })], want: 'changed' },
    {
      name: 'a failure count changed',
      given: [at(0), at(15_000, { consecutiveFailures: 1 })],
      want: 'changed',
    },
    {
      name: 'a new runner process',
      given: [at(0), at(15_000, { runner: { host: 'laptop', pid: 43, version: '0.1.0' } })],
      want: 'changed',
    },
    {
      name: 'long interval: every cycle is a heartbeat',
      given: [
        at(0, { config: { ...RECORD_INPUT.config, intervalMs: 120_000 } }),
        at(120_000, { config: { ...RECORD_INPUT.config, intervalMs: 120_000 } }),
      ],
      want: 'heartbeat',
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(writeVerdict(...row.given), row.want));
});

describe('staleAfterMs', () => {
  const rows = [
    { name: 'default interval: heartbeat (60s) plus two intervals', given: 15_000, want: 90_000 },
    { name: 'long interval: three intervals', given: 120_000, want: 360_000 },
    { name: 'short interval: a minute and two intervals', given: 1_000, want: 62_000 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(staleAfterMs(row.given), row.want));
});

describe('decodeState', () => {
  const good = encodeState(recorded());
  const rows: { name: string; given: string | undefined; want: RecordedState | string }[] = [
    { name: 'what encodeState wrote', given: good, want: recorded() },
    { name: 'missing annotation', given: undefined, want: 'no annotation' },
    { name: 'not JSON', given: '{oops', want: 'not JSON' },
    { name: 'an array', given: '[]', want: 'not a JSON object' },
    {
      name: 'a newer schema',
      given: JSON.stringify({ ...recorded(), schemaVersion: 2 }),
      want: 'schemaVersion 2 is not 1',
    },
    {
      name: 'no cycle time',
      given: JSON.stringify({ ...recorded(), cycle: {} }),
      want: 'cycle.time: missing',
    },
    {
      name: 'a required field of the wrong type',
      given: JSON.stringify({ ...recorded(), runner: { host: 'laptop', pid: '42', version: '0.1.0' } }),
      want: 'runner.pid: want a number, got "42"',
    },
    {
      name: 'a malformed optional part is left out, the rest is carried on',
      given: JSON.stringify({ ...recorded(), decision: { ...recorded().decision, to: '3' }, evaluation: [] }),
      want: (({ decision: _d, evaluation: _e, ...rest }) => rest)(recorded()),
    },
    {
      name: 'no failure count reads as 0',
      given: JSON.stringify({ ...recorded(), consecutiveFailures: undefined }),
      want: recorded(),
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const decoded = decodeState(row.given);
      if (typeof row.want === 'string') assert.match(decoded.problem ?? '', new RegExp(row.want));
      else assert.deepEqual(decoded.state, row.want);
    });
  }

  // The reader cut strings at the writer's limit, and the writer's marker comes on top of it: a 1025-char
  // error was written as 1024 chars + `…[+1 chars]` and read back cut again (test/unit/fuzz/status-annotation).
  const lengths = [LIMITS.messageChars, LIMITS.messageChars + 1, LIMITS.messageChars + 11, 5000, 1_000_000];
  for (const length of lengths) {
    it(`a ${length}-char error message cut by the recorder reads back as written`, () => {
      const report = failedReport(0);
      const failed = { ...report, error: { stage: 'evaluate' as const, message: 'e'.repeat(length) } };
      const written = buildRecordedState(RECORD_INPUT, failed, null);
      assert.deepEqual(decodeState(encodeState(written)), { state: written });
    });
  }
});
