// Durations as kubectl and Go write them (`500ms`, `15s`, `1m30s`, `1h`), for flags such as --interval.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// Longer units first so that "ms" is not read as "m" followed by garbage.
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go/kubectl duration into milliseconds (fractional below 1 ms); null when malformed. A bare `0` is
 * allowed as in Go; other numbers need a unit, and signs are refused because no flag takes a negative duration.
 */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (match === null) return null;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    index = PART.lastIndex;
  }
  // Decimal steps such as 1.1s would otherwise give 1100.0000000000002.
  return Number.isFinite(total) ? Math.round(total * 1e6) / 1e6 : null;
}
