// A trace from Prometheus: one range query (GET /api/v1/query_range) through the HttpRequester port. One
// series gives the metric value; several give per-pod values (in the order of their label sets). The
// answer's parsing is pure and table-tested; fetchPrometheusTrace is the thin I/O around it.
import { CpaError } from '../errors.ts';
import type { HttpRequester } from '../ports.ts';
import type { TraceSample } from './trace.ts';

/** What to ask Prometheus. */
export interface RangeQuery {
  /** Base URL of the server, e.g. http://127.0.0.1:9090 (a path prefix is kept). */
  url: string;
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
}

/** Answers beyond this are refused: 24 h of 15 s points for a few hundred series fit well within it. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

/** The query_range URL (times and step in seconds, as the HTTP API takes them). */
export function rangeQueryUrl(q: RangeQuery): string {
  const url = new URL(q.url.endsWith('/') ? q.url : `${q.url}/`);
  const target = new URL('api/v1/query_range', url);
  target.searchParams.set('query', q.query);
  target.searchParams.set('start', String(q.startMs / 1000));
  target.searchParams.set('end', String(q.endMs / 1000));
  target.searchParams.set('step', String(q.stepMs / 1000));
  return target.href;
}

interface Series {
  metric?: Record<string, string>;
  values?: [number, string][];
}

function labelsText(metric: Record<string, string> | undefined): string {
  return Object.entries(metric ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

/** Turns a query_range answer into trace samples; throws a CpaError saying what was wrong with it. */
export function samplesFromRangeAnswer(body: string): TraceSample[] {
  let doc: { status?: string; error?: string; data?: { resultType?: string; result?: Series[] } };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    throw new CpaError('failed to read the Prometheus answer: not JSON');
  }
  if (doc.status !== 'success')
    throw new CpaError(`failed to query Prometheus: ${doc.error ?? `status ${JSON.stringify(doc.status)}`}`);
  if (doc.data?.resultType !== 'matrix' || !Array.isArray(doc.data.result))
    throw new CpaError(
      `failed to read the Prometheus answer: expected a matrix, got ${doc.data?.resultType}`,
    );
  const series = [...doc.data.result].sort((a, b) =>
    labelsText(a.metric).localeCompare(labelsText(b.metric)),
  );
  if (series.length === 0) throw new CpaError('the Prometheus query returned no series in that time range');
  const byTime = new Map<number, string[]>();
  series.forEach((s, index) => {
    for (const [seconds, value] of s.values ?? []) {
      const timeMs = Math.round(Number(seconds) * 1000);
      const row = byTime.get(timeMs) ?? [];
      row[index] = value;
      byTime.set(timeMs, row);
    }
  });
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([timeMs, values]) => {
      if (series.length === 1) return { timeMs, value: values[0] ?? '' };
      // A pod that had no point at this time (not started yet, or gone) is simply not in the list.
      return { timeMs, pods: values.filter((v): v is string => v !== undefined) };
    });
}

/** Runs the range query; throws a CpaError naming the server when it cannot. */
export async function fetchPrometheusTrace(request: HttpRequester, q: RangeQuery): Promise<TraceSample[]> {
  const url = rangeQueryUrl(q);
  const outcome = await request({
    method: 'GET',
    url,
    headers: { accept: 'application/json' },
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: MAX_ANSWER_BYTES,
  });
  const where = `Prometheus at ${q.url}`;
  if (outcome.kind !== 'response') {
    const why = outcome.kind === 'error' ? outcome.message : outcome.kind;
    throw new CpaError(`failed to query ${where}: ${why}`);
  }
  const body = outcome.body.toString('utf8');
  if (outcome.status !== 200 && !body.includes('"status"'))
    throw new CpaError(`failed to query ${where}: HTTP ${outcome.status}`);
  return samplesFromRangeAnswer(body);
}
