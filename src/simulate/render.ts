// The backtest as text: the timeline (table, CSV or JSON), the summary, and sparklines for a terminal. Pure.
import { alignColumns } from '../status/format.ts';
import type { SimulationResult, TimelineRow } from './simulate.ts';
import type { Summary } from './summary.ts';

/** Metric text longer than this is shortened in the table (the JSON and CSV keep it whole). */
const METRIC_COLUMN = 40;
const BARS = '▁▂▃▄▅▆▇█';

/** `2026-12-06T04:00:15Z`: seconds are the resolution of a scaling loop. */
export function timeText(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `1 → 3` when the replicas changed, else the count. */
function replicasText(row: TimelineRow): string {
  return row.replicas === row.from ? String(row.replicas) : `${row.from} → ${row.replicas}`;
}

/** The timeline as a table: TIME METRIC EVALUATION REPLICAS READY DEMAND REASONS. */
export function timelineTable(rows: readonly TimelineRow[]): string {
  const head = ['TIME', 'METRIC', 'EVALUATION', 'REPLICAS', 'READY', 'DEMAND', 'REASONS'];
  const body = rows.map((row) => [
    timeText(row.timeMs),
    shorten(row.metric.replace(/\s+/g, ' '), METRIC_COLUMN),
    row.evaluation === undefined ? '-' : String(row.evaluation),
    replicasText(row),
    String(row.ready),
    row.demand === undefined ? '-' : String(row.demand),
    row.error === undefined ? row.reasons.join(',') : `error: ${shorten(row.error, 80)}`,
  ]);
  return alignColumns([head, ...body]);
}

/** A CSV field, quoted when it must be (RFC 4180). */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The timeline as CSV, one row per cycle; `time,metric,…` header. */
export function timelineCsv(rows: readonly TimelineRow[]): string {
  const head = 'time,metric,evaluation,from,replicas,ready,demand,reasons,action,error\n';
  return (
    head +
    rows
      .map((row) =>
        [
          timeText(row.timeMs),
          row.metric,
          row.evaluation === undefined ? '' : String(row.evaluation),
          String(row.from),
          String(row.replicas),
          String(row.ready),
          row.demand === undefined ? '' : String(row.demand),
          row.reasons.join(' '),
          row.action,
          row.error ?? '',
        ]
          .map(csvField)
          .join(','),
      )
      .map((line) => `${line}\n`)
      .join('')
  );
}

/** The whole backtest as one JSON document: the timeline (times in ISO 8601) and the summary. */
export function resultJson(result: SimulationResult, summary: Summary): string {
  const timeline = result.rows.map(({ timeMs, ...row }) => ({ time: timeText(timeMs), ...row }));
  return `${JSON.stringify({ target: result.target, intervalMs: result.intervalMs, summary, timeline }, null, 2)}\n`;
}

function hoursText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 60
    ? `${minutes}m`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function share(ms: number, totalMs: number): string {
  return totalMs === 0 ? '' : ` (${((100 * ms) / totalMs).toFixed(1)}%)`;
}

/** The summary as `key: value` lines. */
export function summaryText(summary: Summary, intervalMs: number): string {
  const lines = [
    `cycles: ${summary.cycles}${summary.failedCycles > 0 ? ` (${summary.failedCycles} failed)` : ''}`,
    `scale events: ${summary.scaleUps + summary.scaleDowns} (${summary.scaleUps} up, ${summary.scaleDowns} down)`,
    `replicas: min ${summary.minReplicas}, max ${summary.maxReplicas}`,
    `replica-hours: ${summary.replicaHours.toFixed(2)}`,
  ];
  if (summary.cyclesWithDemand > 0) {
    const total = summary.cyclesWithDemand * intervalMs;
    lines.push(
      `under-provisioned: ${hoursText(summary.underProvisionedMs)}${share(summary.underProvisionedMs, total)}`,
      `over-provisioned: ${hoursText(summary.overProvisionedMs)}${share(summary.overProvisionedMs, total)}`,
    );
  }
  lines.push(`flaps: ${summary.flaps} (direction reversals within 5m)`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * One line of block characters, `width` wide at most: each character is the highest value of its share of
 * the series (so a short spike still shows), scaled between `low` and `high`. NaN (no value) is a space.
 */
export function sparkline(values: readonly number[], width: number, low: number, high: number): string {
  const columns = Math.min(width, values.length);
  let line = '';
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * values.length) / columns);
    const end = Math.max(start + 1, Math.floor(((c + 1) * values.length) / columns));
    const slice = values.slice(start, end).filter((v) => !Number.isNaN(v));
    if (slice.length === 0) {
      line += ' ';
      continue;
    }
    const value = Math.max(...slice);
    const level = high === low ? 0 : Math.round(((value - low) / (high - low)) * (BARS.length - 1));
    line += BARS[Math.min(BARS.length - 1, Math.max(0, level))];
  }
  return line;
}

/** Sparklines of replicas and demand on one scale, and of the metric on its own. */
export function sparklines(
  rows: readonly TimelineRow[],
  width: number,
  metricOf: (row: TimelineRow) => number,
): string {
  const replicas = rows.map((r) => r.replicas);
  const demand = rows.map((r) => r.demand ?? NaN);
  const metric = rows.map(metricOf);
  const finite = (xs: number[]): number[] => xs.filter((x) => Number.isFinite(x));
  const scale = [...replicas, ...finite(demand)];
  const low = Math.min(0, ...scale);
  const high = Math.max(1, ...scale);
  const lines = [`replicas ${sparkline(replicas, width, low, high)}  ${low}..${high}`];
  if (finite(demand).length > 0) lines.push(`demand   ${sparkline(demand, width, low, high)}`);
  const m = finite(metric);
  if (m.length > 0) {
    const [mLow, mHigh] = [Math.min(...m), Math.max(...m)];
    lines.push(`metric   ${sparkline(metric, width, mLow, mHigh)}  ${mLow}..${mHigh}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** The metric as a number for charts: the value, or the mean of per-pod values; NaN when not numeric. */
export function metricNumber(row: TimelineRow): number {
  if (row.metric.trim() === '') return NaN;
  const parts = row.metric.split(';').map((p) => Number(p.trim()));
  if (parts.some((p) => !Number.isFinite(p))) return NaN;
  return parts.reduce((a, b) => a + b, 0) / parts.length;
}
