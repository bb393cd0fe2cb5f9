// Property tests of parseDuration (--interval, --since, --ready-delay): any text gives a finite, non-negative
// number of milliseconds or null, and the text Go's time.Duration.String() prints parses back to its value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDuration } from '../../../src/config/duration.ts';
import { hostileString, RUNS } from './arbitraries.ts';

/** Go's largest Duration, 2^63-1 ns; time.ParseDuration fails above it. */
const MAX_NS = 2n ** 63n - 1n;

/** `value / unit` in decimal with trailing zeros dropped, as Go's fmtFrac does. */
function frac(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const digits = unit.toString().length - 1;
  const rest = (value % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return rest === '' ? `${whole}` : `${whole}.${rest}`;
}

/** time.Duration.String() for a non-negative duration in nanoseconds (written from its documented output). */
function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${frac(ns, 1000n)}µs`;
  if (ns < 1_000_000_000n) return `${frac(ns, 1_000_000n)}ms`;
  const hours = ns / 3_600_000_000_000n;
  const minutes = (ns / 60_000_000_000n) % 60n;
  const seconds = frac(ns % 60_000_000_000n, 1_000_000_000n);
  return `${hours > 0n ? `${hours}h` : ''}${hours > 0n || minutes > 0n ? `${minutes}m` : ''}${seconds}s`;
}

const UNITS = ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'];
/** Concatenations of number+unit parts, with numbers of up to 400 digits. */
const durationLike = fc
  .array(
    fc.tuple(
      fc.oneof(fc.stringMatching(/^\d{1,400}$/), fc.stringMatching(/^\d{0,20}\.\d{0,20}$/)),
      fc.constantFrom(...UNITS),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => parts.map(([n, u]) => n + u).join(''));

describe('parseDuration properties', () => {
  it('any text gives null or a finite, non-negative number', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, durationLike), (text) => {
        const ms = parseDuration(text);
        assert.ok(ms === null || (Number.isFinite(ms) && ms >= 0), `${JSON.stringify(text)} → ${ms}`);
      }),
      { numRuns: RUNS.many },
    );
  });

  it("parses back what Go's Duration.String() prints, up to the largest Go duration", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_NS }), (ns) => {
        const want = Number(ns) / 1e6;
        const got = parseDuration(goDuration(ns));
        assert.ok(got !== null, `${goDuration(ns)} was refused`);
        assert.ok(
          Math.abs(got - want) <= Math.max(1e-6, want * 1e-12),
          `${goDuration(ns)}: ${got} != ${want}`,
        );
      }),
      { numRuns: RUNS.many },
    );
  });

  it('is exact to the nanosecond below 2^53 ns', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n }), (ns) => {
        assert.equal(parseDuration(goDuration(ns)), Number(ns) / 1e6);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('refuses what Go refuses as out of range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MAX_NS + 1n, max: MAX_NS * 1000n }), (ns) => {
        assert.equal(parseDuration(`${ns}ns`), null);
      }),
      { numRuns: RUNS.quick },
    );
  });
});
