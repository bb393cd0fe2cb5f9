// Go/kubectl-style durations for --interval.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../../../src/config/duration.ts';

describe('parseDuration', () => {
  const cases: { name: string; given: string; want: number | null }[] = [
    { name: 'milliseconds', given: '500ms', want: 500 },
    { name: 'seconds', given: '15s', want: 15_000 },
    { name: 'minutes', given: '2m', want: 120_000 },
    { name: 'minutes and seconds', given: '1m30s', want: 90_000 },
    { name: 'hours', given: '1h', want: 3_600_000 },
    { name: 'hours, minutes, seconds, ms', given: '1h2m3s4ms', want: 3_723_004 },
    { name: 'decimal seconds', given: '1.5s', want: 1500 },
    { name: 'decimal with no float noise', given: '1.1s', want: 1100 },
    { name: 'leading dot', given: '.5s', want: 500 },
    { name: 'microseconds', given: '1500us', want: 1.5 },
    { name: 'micro sign', given: '2µs', want: 0.002 },
    { name: 'nanoseconds', given: '1000000ns', want: 1 },
    { name: 'bare zero (Go allows it)', given: '0', want: 0 },
    { name: 'zero with unit', given: '0s', want: 0 },
    { name: 'empty', given: '', want: null },
    { name: 'bare number needs a unit', given: '5000', want: null },
    { name: 'unknown unit', given: '3d', want: null },
    { name: 'negative', given: '-5s', want: null },
    { name: 'plus sign', given: '+5s', want: null },
    { name: 'spaces', given: '1m 30s', want: null },
    { name: 'trailing garbage', given: '5sx', want: null },
    { name: 'unit only', given: 's', want: null },
    { name: 'dot only', given: '.s', want: null },
    { name: 'trailing dot (Go allows it)', given: '5.s', want: 5000 },
    // Found by test/unit/fuzz/duration.test.ts. Was Infinity: rounding multiplied a finite sum by 1e6.
    { name: 'a 304-digit number of milliseconds', given: `1${'0'.repeat(303)}ms`, want: null },
    // Was 9223372036855000: Go's ParseDuration refuses anything above 2^63-1 ns as "invalid duration".
    { name: 'one second past the largest Go duration', given: '9223372036855s', want: null },
    { name: 'the largest Go duration', given: '9223372036854775807ns', want: 9_223_372_036_854.775 },
    // Was off by a nanosecond: float sums of the parts; now whole nanoseconds as in Go.
    { name: 'exact to the nanosecond', given: '1210h32m9.809113235s', want: 4_357_929_809.113235 },
  ];
  for (const { name, given, want } of cases)
    it(`${name}: ${JSON.stringify(given)}`, () => assert.equal(parseDuration(given), want));
});
