// The backtest as a picture: replicas, demand and the metric against time, as a standalone SVG (no script,
// no external font or stylesheet) or an HTML page holding that SVG and the summary. Replicas and demand
// share the left axis; the metric has its own on the right. Pure: rows in, text out.
import type { SimulationResult, TimelineRow } from './simulate.ts';
import { metricNumber, summaryText, timeText } from './render.ts';
import type { Summary } from './summary.ts';

/** Series colours, exported so the rendering test knows what to look for. */
export const COLORS = { replicas: '#1f77b4', demand: '#ff7f0e', metric: '#2ca02c' } as const;

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 400;
const MARGIN = { left: 56, right: 72, top: 48, bottom: 44 };

/** Where things land on the chart; the test uses it to find the series' pixels. */
export interface ChartLayout {
  x(timeMs: number): number;
  yReplicas(replicas: number): number;
  yMetric(value: number): number;
  replicasMax: number;
  metricRange: [number, number] | null;
}

/** Rounds up to 1, 2 or 5 times a power of ten: axis ends people read at a glance. */
export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** The scales of a chart of `rows`. */
export function chartLayout(rows: readonly TimelineRow[], intervalMs: number): ChartLayout {
  const t0 = rows[0]?.timeMs ?? 0;
  const t1 = (rows.at(-1)?.timeMs ?? t0) + intervalMs;
  const plotW = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const replicasMax = niceCeil(
    Math.max(1, ...rows.map((r) => r.replicas), ...rows.map((r) => r.demand ?? 0)) * 1.1,
  );
  const metrics = rows.map(metricNumber).filter((m) => Number.isFinite(m));
  const metricRange: [number, number] | null =
    metrics.length === 0 ? null : [Math.min(0, ...metrics), niceCeil(Math.max(...metrics) * 1.1)];
  const bottom = MARGIN.top + plotH;
  return {
    x: (t) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotW,
    yReplicas: (v) => bottom - (v / replicasMax) * plotH,
    yMetric: (v) =>
      metricRange === null
        ? bottom
        : bottom - ((v - metricRange[0]) / (metricRange[1] - metricRange[0])) * plotH,
    replicasMax,
    metricRange,
  };
}

const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

/** A step path: each value holds from its time until the next row's time. */
function stepPath(
  rows: readonly TimelineRow[],
  intervalMs: number,
  x: (t: number) => number,
  y: (r: TimelineRow) => number | null,
): string {
  let d = '';
  let open = false;
  for (const row of rows) {
    const value = y(row);
    if (value === null) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${r1(x(row.timeMs))} ${r1(value)}H${r1(x(row.timeMs + intervalMs))}`;
    open = true;
  }
  return d;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

function ticks(max: number, count: number, min = 0): number[] {
  const step = (max - min) / count;
  return Array.from({ length: count + 1 }, (_, i) => min + i * step);
}

function axes(layout: ChartLayout, rows: readonly TimelineRow[], intervalMs: number): string {
  const bottom = CHART_HEIGHT - MARGIN.bottom;
  const right = CHART_WIDTH - MARGIN.right;
  const parts: string[] = [
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${right - MARGIN.left}" height="${bottom - MARGIN.top}" fill="none" stroke="#cccccc"/>`,
  ];
  for (const v of ticks(layout.replicasMax, 5)) {
    const y = r1(layout.yReplicas(v));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${right}" y1="${y}" y2="${y}" stroke="#eeeeee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${r1(v)}</text>`,
    );
  }
  if (layout.metricRange !== null) {
    for (const v of ticks(layout.metricRange[1], 5, layout.metricRange[0]))
      parts.push(
        `<text x="${right + 6}" y="${r1(layout.yMetric(v))}" dominant-baseline="middle" fill="${COLORS.metric}">${r1(v)}</text>`,
      );
  }
  const t0 = rows[0]?.timeMs ?? 0;
  const t1 = (rows.at(-1)?.timeMs ?? t0) + intervalMs;
  ticks(t1, 4, t0).forEach((t, i, all) => {
    const x = r1(layout.x(t));
    const label = timeText(Math.round(t)).replace('T', ' ').replace(/Z$/, '');
    // The end labels grow inwards, so they stay on the canvas.
    const anchor = i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle';
    parts.push(`<text x="${x}" y="${bottom + 18}" text-anchor="${anchor}">${escapeXml(label)}</text>`);
  });
  parts.push(
    `<text x="14" y="${MARGIN.top + (bottom - MARGIN.top) / 2}" transform="rotate(-90 14 ${MARGIN.top + (bottom - MARGIN.top) / 2})" text-anchor="middle">replicas</text>`,
  );
  return parts.join('\n');
}

function legend(hasDemand: boolean, hasMetric: boolean): string {
  const items: [string, string][] = [['replicas', COLORS.replicas]];
  if (hasDemand) items.push(['demand', COLORS.demand]);
  if (hasMetric) items.push(['metric (right axis)', COLORS.metric]);
  return items
    .map(([label, color], i) => {
      const x = MARGIN.left + i * 170;
      return `<line x1="${x}" x2="${x + 24}" y1="30" y2="30" stroke="${color}" stroke-width="3"/><text x="${x + 30}" y="30" dominant-baseline="middle">${label}</text>`;
    })
    .join('\n');
}

/** The chart as a standalone SVG document. */
export function chartSvg(result: SimulationResult): string {
  const { rows, intervalMs } = result;
  const layout = chartLayout(rows, intervalMs);
  const hasDemand = rows.some((r) => r.demand !== undefined);
  const demandPath = stepPath(rows, intervalMs, layout.x, (r) =>
    r.demand === undefined ? null : layout.yReplicas(r.demand),
  );
  const replicasPath = stepPath(rows, intervalMs, layout.x, (r) => layout.yReplicas(r.replicas));
  const metricPoints = rows
    .map((r) => [layout.x(r.timeMs + intervalMs / 2), metricNumber(r)] as const)
    .filter(([, m]) => Number.isFinite(m))
    .map(([x, m]) => `${r1(x)},${r1(layout.yMetric(m))}`)
    .join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`kubectl cpa simulate: ${result.target}`)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="14" font-size="13" font-weight="bold">${escapeXml(result.target)}: ${rows.length} cycles every ${intervalMs / 1000}s</text>`,
    axes(layout, rows, intervalMs),
    legend(hasDemand, metricPoints !== ''),
    metricPoints === ''
      ? ''
      : `<polyline points="${metricPoints}" fill="none" stroke="${COLORS.metric}" stroke-width="1.5"/>`,
    hasDemand ? `<path d="${demandPath}" fill="none" stroke="${COLORS.demand}" stroke-width="3"/>` : '',
    `<path d="${replicasPath}" fill="none" stroke="${COLORS.replicas}" stroke-width="3"/>`,
    '</svg>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The chart and the summary as one HTML page (no script, nothing loaded from elsewhere). */
export function chartHtml(result: SimulationResult, summary: Summary): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(`kubectl cpa simulate: ${result.target}`)}</title>`,
    '<style>body{margin:0;font-family:sans-serif}svg{display:block}pre{margin:16px 56px}</style>',
    '</head><body>',
    chartSvg(result).trimEnd(),
    `<pre>${escapeXml(summaryText(summary, result.intervalMs))}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}
