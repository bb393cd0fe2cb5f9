// One log line → its header, if it has one. Four line formats are recognised: Go CPA v0.9+ (glog), Go CPA
// v0.8 (Go's standard `log`), and kubectl-cpa's own text and JSON formats. `kubectl logs --timestamps`
// puts an RFC 3339 stamp in front of every physical line, continuation lines included.

/** The format a log entry was written in. `plain` is a line of no known format (kept, never parsed). */
export type LineFormat = 'glog' | 'stdlog' | 'text' | 'json' | 'plain';

/** glog severities; the others map onto them (our `warning` → W, `error` → E). */
export type Severity = 'I' | 'W' | 'E' | 'F';

/** A line that starts a log entry. */
export interface HeaderLine {
  kind: 'header';
  format: LineFormat;
  severity: Severity;
  /** RFC 3339 time: our formats' own UTC time, else the kubelet stamp, else v0.8's zone-less date as UTC. */
  time?: string;
  /** The line's own clock when it has no year (glog `0612 14:03:15.310742`). */
  clock?: string;
  /** glog source file (`scaling.go`); match on messages, not on this. */
  file?: string;
  message: string;
  /** The parsed object of a JSON line. */
  json?: Record<string, unknown>;
}

/** A line without a header: it continues the previous entry (tracebacks, multi-line values). */
export interface ContinuationLine {
  kind: 'continuation';
  time?: string;
  text: string;
}

export type ParsedLine = HeaderLine | ContinuationLine;

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s;
const GLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}\.\d{6})\s+\d+ ([^:\]\s]+):\d+\] ?(.*)$/s;
const STDLOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2}) (.*)$/s;

/** Splits off a leading RFC 3339 stamp (`2026-06-12T14:03:15.310742123Z rest`). */
export function splitStamp(line: string): { stamp: string; rest: string } | null {
  const m = STAMP.exec(line);
  return m === null ? null : { stamp: m[1]!, rest: m[2]! };
}

/** Reads a header in one of the formats that carry their own header (no kubelet stamp in front). */
function headerOf(text: string): HeaderLine | null {
  const g = GLOG.exec(text);
  if (g !== null) {
    const [, sev, month, day, clock, file, message] = g;
    return {
      kind: 'header',
      format: 'glog',
      severity: sev as Severity,
      clock: `${month}${day} ${clock}`,
      file,
      message: message!,
    };
  }
  const s = STDLOG.exec(text);
  if (s !== null) {
    const [, y, mo, d, hms, message] = s;
    return {
      kind: 'header',
      format: 'stdlog',
      severity: 'I',
      time: `${y}-${mo}-${d}T${hms}Z`,
      message: message!,
    };
  }
  return jsonHeader(text);
}

function jsonHeader(text: string): HeaderLine | null {
  if (!text.startsWith('{"')) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null) return null;
  const json = obj as Record<string, unknown>;
  if (typeof json.time !== 'string' || typeof json.event !== 'string') return null;
  const severity: Severity = json.level === 'error' ? 'E' : json.level === 'warning' ? 'W' : 'I';
  const message = typeof json.message === 'string' ? json.message : '';
  return { kind: 'header', format: 'json', severity, time: json.time, message, json };
}

/** Our text format: `<ISO time> [error: |warning: ]message`. */
function textHeader(time: string, message: string): HeaderLine {
  const severity: Severity = message.startsWith('error: ')
    ? 'E'
    : message.startsWith('warning: ')
      ? 'W'
      : 'I';
  return { kind: 'header', format: 'text', severity, time, message };
}

/**
 * Parses one physical line. `kubeletStamps` says whether `--timestamps` prefixes are present; when it is
 * unknown (undefined), a single leading stamp is read as our text format's own time.
 */
export function parseLine(raw: string, kubeletStamps: boolean | undefined): ParsedLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const outer = splitStamp(line);
  if (outer === null) return headerOf(line) ?? { kind: 'continuation', text: line };
  // Without kubelet stamps, a leading stamp can only be our text format's own time.
  if (kubeletStamps === false) return headerOf(line) ?? textHeader(outer.stamp, outer.rest);
  const inner = splitStamp(outer.rest);
  if (inner !== null) return textHeader(inner.stamp, inner.rest);
  const header = headerOf(outer.rest);
  // Our own formats carry a UTC time of their own; Go CPA's clock has no year (glog) or no zone (v0.8).
  if (header !== null) return header.format === 'json' ? header : { ...header, time: outer.stamp };
  if (kubeletStamps === true) return { kind: 'continuation', time: outer.stamp, text: outer.rest };
  return textHeader(outer.stamp, outer.rest);
}

/**
 * Whether a line proves that kubelet stamps are present (true), absent (false), or says nothing (undefined):
 * two stamps, or a stamp before another format's header, prove presence; a line without a stamp, absence.
 */
export function stampEvidence(raw: string): boolean | undefined {
  const outer = splitStamp(raw);
  if (outer === null) return raw === '' ? undefined : false;
  if (splitStamp(outer.rest) !== null || headerOf(outer.rest) !== null) return true;
  return undefined;
}
