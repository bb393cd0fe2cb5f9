// The `status` table: cli-table3 on a terminal, kubectl-style aligned columns when piped. Pure.
import Table from 'cli-table3';
import {
  age,
  alignColumns,
  decisionText,
  errorText,
  forTerminal,
  metricsText,
  numText,
  podText,
  runnerText,
  stateText,
  targetText,
} from './format.ts';
import type { AutoscalerStatus } from './model.ts';

/** How the table is drawn. */
export interface TableOptions {
  wide: boolean;
  /** Adds the NAMESPACE column (`-A`). */
  allNamespaces: boolean;
  /** stdout is a terminal: boxed table and a Unicode arrow. */
  tty: boolean;
  /** ANSI colour for STATUS (terminal and no NO_COLOR). */
  color: boolean;
  nowMs: number;
}

const BASE = [
  'NAME',
  'TARGET',
  'MIN',
  'MAX',
  'REPLICAS',
  'DESIRED',
  'LAST DECISION',
  'LAST SCALE',
  'AGE',
  'STATUS',
  'SOURCE',
];
const WIDE = ['METRICS', 'EVALUATION', 'RUNNER', 'POD', 'LAST ERROR'];

/** The header row for these options. */
export function tableHeader(o: Pick<TableOptions, 'wide' | 'allNamespaces'>): string[] {
  return [...(o.allNamespaces ? ['NAMESPACE'] : []), ...BASE, ...(o.wide ? WIDE : [])];
}

/** One row of cells (plain text, STATUS possibly coloured); outside text is escaped for the terminal. */
export function tableRow(raw: AutoscalerStatus, o: TableOptions): string[] {
  const item = forTerminal(raw);
  const row = [
    item.name,
    targetText(item),
    numText(item.minReplicas),
    numText(item.maxReplicas),
    numText(item.currentReplicas),
    numText(item.desiredReplicas),
    decisionText(item, o.tty ? '→' : '->'),
    age(item.lastScaleTime, o.nowMs, '<none>'),
    age(item.lastCycleTime, o.nowMs),
    stateText(item, o.color),
    item.source,
  ];
  if (o.allNamespaces) row.unshift(item.namespace);
  if (o.wide) {
    row.push(
      metricsText(item, 40),
      item.lastEvaluation === null ? '<unknown>' : String(item.lastEvaluation),
      runnerText(item),
      podText(item),
      errorText(item, 60),
    );
  }
  return row;
}

/** Renders the table (header included) for a non-empty list. */
export function renderTable(items: readonly AutoscalerStatus[], o: TableOptions): string {
  const head = tableHeader(o);
  const rows = items.map((i) => tableRow(i, o));
  if (!o.tty) return alignColumns([head, ...rows]);
  const table = new Table({
    head: o.color ? head.map((h) => `\u001b[1m${h}\u001b[0m`) : head,
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
  });
  table.push(...rows);
  return `${table.toString()}\n`;
}
