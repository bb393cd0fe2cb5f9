// The `status` table, modelled on `kubectl get hpa`: plain columns three spaces apart, no borders, the same
// layout on a terminal and in a pipe (cli-table3 does the widths, ANSI-aware when STATUS is coloured). Pure.
import Table from 'cli-table3';
import { age, forTerminal, numText, stateText, targetText } from './format.ts';
import type { AutoscalerStatus } from './model.ts';

/** How the table is drawn. */
export interface TableOptions {
  wide: boolean;
  /** Adds the NAMESPACE column (`-A`). */
  allNamespaces: boolean;
  /** stdout is a terminal (kept for callers; the layout no longer depends on it, as kubectl's does not). */
  tty: boolean;
  /** ANSI colour for STATUS (terminal and no NO_COLOR). */
  color: boolean;
  nowMs: number;
}

/** kubectl get hpa's seven columns, LAST EVALUATION in the place of TARGETS. */
const BASE = ['NAME', 'REFERENCE', 'LAST EVALUATION', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'];
const WIDE = ['LAST SCALE', 'STATUS', 'SOURCE', 'HELD BY', 'LEADER'];

/** cli-table3 without any border character: what is left is kubectl's tabwriter layout. */
const NO_BORDER = Object.fromEntries(
  [
    ...['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right'],
    ...['left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'],
  ].map((k) => [k, '']),
);

/** The header row for these options. */
export function tableHeader(o: Pick<TableOptions, 'wide' | 'allNamespaces'>): string[] {
  return [...(o.allNamespaces ? ['NAMESPACE'] : []), ...BASE, ...(o.wide ? WIDE : [])];
}

/** LAST EVALUATION: what the evaluator asked for, `<unknown>` before any evaluation was recorded. */
function evaluationText(item: AutoscalerStatus): string {
  return item.lastEvaluation === null ? '<unknown>' : String(item.lastEvaluation);
}

/** One row of cells (plain text, STATUS possibly coloured); outside text is escaped for the terminal. */
export function tableRow(raw: AutoscalerStatus, o: TableOptions): string[] {
  const item = forTerminal(raw);
  const row = [
    item.name,
    targetText(item),
    evaluationText(item),
    numText(item.minReplicas),
    numText(item.maxReplicas),
    numText(item.currentReplicas),
    age(item.firstRecordedTime ?? null, o.nowMs),
  ];
  if (o.allNamespaces) row.unshift(item.namespace);
  if (o.wide)
    row.push(
      age(item.lastScaleTime, o.nowMs, '<none>'),
      stateText(item, o.color),
      item.source,
      item.heldBy ?? '<none>',
      item.leader ?? '<none>',
    );
  return row;
}

/** Width of a cell as the terminal shows it (colour codes take no room). */
export function visibleWidth(cell: string): number {
  return [...cell.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** The width of each column of `rows`, at least `min` (kubectl's tabwriter remembers widths across a watch). */
export function columnWidths(rows: readonly (readonly string[])[], min: readonly number[] = []): number[] {
  const widths = [...min];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return widths;
}

/**
 * Lays out rows (the first one the header) in kubectl's columns: no borders, no trailing blanks; columns are
 * at least `minWidths` wide, so that lines printed later line up with the first table.
 */
export function layoutRows(rows: readonly (readonly string[])[], minWidths: readonly number[] = []): string {
  const padded = rows.map((row) =>
    row.map((cell, i) => cell + ' '.repeat(Math.max(0, (minWidths[i] ?? 0) - visibleWidth(cell)))),
  );
  const [head = [], ...body] = padded;
  const table = new Table({
    head: [...head],
    chars: NO_BORDER,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 3 },
  });
  table.push(...body.map((r) => [...r]));
  return table
    .toString()
    .split('\n')
    .map((line) => `${line.trimEnd()}\n`)
    .join('');
}

/** Renders the table (header included) for a non-empty list. */
export function renderTable(items: readonly AutoscalerStatus[], o: TableOptions): string {
  return layoutRows([tableHeader(o), ...items.map((i) => tableRow(i, o))]);
}
