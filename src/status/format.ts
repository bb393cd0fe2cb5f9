// Small text helpers shared by the renderers: kubectl's age format, shortening, colours. Pure.
import { humanDuration } from '../kube/age.ts';
import type { AutoscalerStatus, AutoscalerState } from './model.ts';
import { escapeTerminal, mapStrings } from './terminal-text.ts';

/** Age of an RFC 3339 time, or `fallback` when there is none. */
export function age(time: string | null, nowMs: number, fallback = '<unknown>'): string {
  if (time === null) return fallback;
  const t = Date.parse(time);
  return Number.isFinite(t) ? humanDuration(nowMs - t) : fallback;
}

/** Cuts to `max` characters with an ellipsis; newlines become spaces so a cell stays on one line. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** One line of outside text as a human view prints it: newlines flattened, control characters escaped. */
function terminalLine(text: string): string {
  return escapeTerminal(text.replace(/\s*\n\s*/g, ' '));
}

/**
 * Data for a human view (table, detail): every string made one terminal-safe line. Annotations, CRs,
 * Events and pod logs are written by others; their control characters must not reach the terminal.
 */
export function forTerminal<T>(data: T): T {
  return mapStrings(data, terminalLine);
}

/** `Deployment/web`, kubectl's REFERENCE spelling. */
export function targetText(item: AutoscalerStatus): string {
  return `${item.target.kind || '<unknown>'}/${item.target.name || '<unknown>'}`;
}

/** `1→3 Scaled`; `arrow` is ASCII when piped so that grep and awk see plain text. */
export function decisionText(item: AutoscalerStatus, arrow: string): string {
  const d = item.lastDecision;
  if (d === null) return '<none>';
  return `${d.from ?? '?'}${arrow}${d.to} ${d.reason}`;
}

/** `web-1=3,web-2=5` for per-pod metrics, the bare values otherwise. */
export function metricsText(item: AutoscalerStatus, max: number): string {
  if (item.lastMetrics === null) return '<unknown>';
  if (item.lastMetrics.length === 0) return '<none>';
  const parts = item.lastMetrics.map((m) =>
    m.resource === undefined ? m.value.trim() : `${m.resource}=${m.value.trim()}`,
  );
  return shorten(parts.join(','), max);
}

export function numText(value: number | null): string {
  return value === null ? '<unknown>' : String(value);
}

/** `host/1234` for a `run` process, the pod for an operator-deployed CPA. */
export function runnerText(item: AutoscalerStatus): string {
  return item.runner === null ? '<none>' : `${item.runner.host}/${item.runner.pid}`;
}

export function podText(item: AutoscalerStatus): string {
  return item.pod === null ? '<none>' : `${item.pod.name} (${item.pod.phase})`;
}

export function errorText(item: AutoscalerStatus, max: number): string {
  if (item.lastError === null) return '<none>';
  const stage = item.lastError.stage === null ? '' : `${item.lastError.stage}: `;
  return shorten(`${stage}${item.lastError.message}`, max);
}

const SGR: Record<AutoscalerState, string> = {
  Active: '32',
  Failing: '31',
  NoPod: '31',
  Stale: '33',
  Unknown: '33',
  Paused: '33',
  Disabled: '33',
  Invalid: '31',
};

/** `<invalid annotation: cycle.time (+2 more)>`: the first malformed field and how many more (the hint has all). */
function invalidText(item: AutoscalerStatus): string {
  const [first = 'malformed', ...more] = item.malformed ?? [];
  const field = first.split(': ')[0] ?? first;
  return `<invalid annotation: ${shorten(field, 60)}${more.length > 0 ? ` (+${more.length} more)` : ''}>`;
}

/**
 * The STATUS word, coloured when colour is on; failures show the count: `Failing(3)`. Callers pass items
 * already escaped for the terminal (forTerminal), so a malformed annotation quoted here is safe.
 */
export function stateText(item: AutoscalerStatus, color: boolean): string {
  const text =
    item.state === 'Invalid'
      ? invalidText(item)
      : item.state === 'Failing' && item.consecutiveFailures
        ? `Failing(${item.consecutiveFailures})`
        : item.state;
  return color ? `\u001b[${SGR[item.state]}m${text}\u001b[0m` : text;
}

/** Aligned columns like kubectl's tabwriter: left-aligned, three spaces apart, no trailing blanks. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length + 3),
        )
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
