// Times and durations as CPA's Go structs marshal them: `time.Time` as RFC 3339 with nanoseconds and
// trailing zeros dropped, `time.Duration` as an integer of nanoseconds. CPA runs in UTC containers, so
// every timestamp is written in UTC (`Z`), whatever offset the metrics API used.

/** Go's zero `time.Time`, which CPA writes for a timestamp nothing set. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)$/;

/** A parsed instant: whole seconds since the epoch plus the nanosecond digits as given. */
export interface GoTime {
  epochSec: number;
  /** Up to nine fraction digits, as written (no trailing zeros). */
  fraction: string;
}

/** Parses RFC 3339 as metav1.Time does; throws RangeError for anything else. */
export function parseTime(text: string): GoTime {
  const m = RFC3339.exec(text);
  if (m === null) throw new RangeError(`parsing time ${JSON.stringify(text)} as RFC 3339 failed`);
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  let epochMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!/^[Zz]$/.test(zone)) {
    const offsetMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    epochMs -= (zone.startsWith('-') ? -1 : 1) * offsetMin * 60_000;
  }
  return { epochSec: Math.floor(epochMs / 1000), fraction: frac.slice(0, 9).replace(/0+$/, '') };
}

/** The instant in milliseconds (for comparisons with pod conditions and the clock). */
export function timeMs(t: GoTime): number {
  return t.epochSec * 1000 + Number(`0.${t.fraction || '0'}`) * 1000;
}

/** `time.Time.MarshalJSON` in UTC (RFC3339Nano). */
export function formatTime(t: GoTime): string {
  const iso = new Date(t.epochSec * 1000).toISOString().slice(0, 19);
  return `${iso}${t.fraction === '' ? '' : `.${t.fraction}`}Z`;
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_PART = /(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/y;

/** `time.ParseDuration` (metav1.Duration's JSON form, e.g. a PodMetrics `window` of "30s") → nanoseconds. */
export function parseDurationNs(text: string): number {
  if (text === '0') return 0;
  const negative = text.startsWith('-');
  const body = /^[+-]/.test(text) ? text.slice(1) : text;
  if (body === '') throw new RangeError(`time: invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < body.length) {
    const start = DURATION_PART.lastIndex;
    const m = DURATION_PART.exec(body);
    if (m === null || m.index !== start || m[1] === '' || m[1] === '.') {
      throw new RangeError(`time: invalid duration ${JSON.stringify(text)}`);
    }
    total += Number(m[1]) * (UNIT_NS[m[2] ?? 's'] ?? 1);
  }
  return Math.round(negative ? -total : total);
}
