// Durations as kubectl and Go write them (`500ms`, `15s`, `1m30s`, `1h`), for flags such as --interval.

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's largest Duration (2^63-1 ns); time.ParseDuration refuses anything longer as "invalid duration". */
const MAX_NS = 2n ** 63n - 1n;

// Longer units first so that "ms" is not read as "m" followed by garbage.
const PART = /(\d+)?(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;

/** Fraction digits beyond these cannot change a whole nanosecond of any unit (an hour is 3.6e12 ns). */
const FRACTION_DIGITS = 30;

/**
 * Parses a Go/kubectl duration into milliseconds (fractional below 1 ms); null when malformed or longer than
 * Go's largest duration. A bare `0` is allowed as in Go; other numbers need a unit, and signs are refused
 * because no flag takes a negative duration. Counted in whole nanoseconds as Go does, so sums are exact.
 */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  let totalNs = 0n;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    const [, whole = '', fraction, unitName = ''] = match ?? [];
    // A part needs a digit on one side of the dot: `.5s` and `5.s` as in Go, never `.s`.
    if (match === null || (whole === '' && (fraction ?? '') === '')) return null;
    const unit = UNIT_NS[unitName] ?? 0n;
    const digits = (fraction ?? '').slice(0, FRACTION_DIGITS);
    totalNs += BigInt(whole || '0') * unit + (BigInt(digits || '0') * unit) / 10n ** BigInt(digits.length);
    if (totalNs > MAX_NS) return null;
    index = PART.lastIndex;
  }
  return Number(totalNs) / 1e6;
}
