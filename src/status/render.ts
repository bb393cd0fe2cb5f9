// Picks the renderer for `status` and, for `--watch`, what to print on each poll. Pure.
import { stringify } from 'yaml';
import type { EventRow } from './events.ts';
import type { OutputFormat } from './flags.ts';
import { alignColumns } from './format.ts';
import type { AutoscalerStatus } from './model.ts';
import { nameOf, renderJson, renderNames, renderYaml } from './render-data.ts';
import { renderDetail } from './render-detail.ts';
import { renderTable, tableHeader, tableRow, type TableOptions } from './render-table.ts';

/** What one answer shows and how. */
export interface View {
  items: AutoscalerStatus[];
  /** `status NAME`. */
  name?: string;
  output: OutputFormat;
  allNamespaces: boolean;
  tty: boolean;
  color: boolean;
  nowMs: number;
  /** The target's Events for the detail view; null when unreadable. */
  events?: EventRow[] | null;
}

/** `status NAME` with exactly one result and a table format shows the detail view. */
export function isDetail(
  items: readonly AutoscalerStatus[],
  name: string | undefined,
  output: OutputFormat,
): boolean {
  return name !== undefined && items.length === 1 && (output === 'table' || output === 'wide');
}

function tableOptions(v: View): TableOptions {
  return {
    wide: v.output === 'wide',
    allNamespaces: v.allNamespaces,
    tty: v.tty,
    color: v.color,
    nowMs: v.nowMs,
  };
}

/** The whole answer for stdout ('' for an empty table: the caller says so on stderr). */
export function render(v: View): string {
  switch (v.output) {
    case 'json':
      return renderJson(v.items);
    case 'yaml':
      return renderYaml(v.items);
    case 'name':
      return renderNames(v.items);
    default: {
      const [only] = v.items;
      if (only !== undefined && isDetail(v.items, v.name, v.output))
        return renderDetail(only, { nowMs: v.nowMs, color: v.color, events: v.events ?? null });
      return v.items.length === 0 ? '' : renderTable(v.items, tableOptions(v));
    }
  }
}

/** Identity of an item across polls. */
export function itemKey(i: AutoscalerStatus): string {
  return `${i.source}|${i.namespace}|${i.name}|${i.target.kind}/${i.target.name}`;
}

/** Signatures of what was printed last, to find what changed. */
export type Seen = Map<string, string>;

/** Clears a terminal and puts the cursor home, for redrawing in place. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';

function changedOnly(v: View, changed: AutoscalerStatus[]): string {
  switch (v.output) {
    case 'json':
      return changed.map((i) => `${JSON.stringify(i, null, 2)}\n`).join('');
    case 'yaml':
      return changed.map((i) => `---\n${stringify(i, { lineWidth: 0 })}`).join('');
    case 'name':
      return changed.map((i) => `${nameOf(i)}\n`).join('');
    default: {
      if (isDetail(v.items, v.name, v.output)) return `\n${render(v)}`;
      const o = tableOptions(v);
      // Aligned against the header so that appended rows line up with the first frame in most cases.
      const text = alignColumns([tableHeader(o), ...changed.map((i) => tableRow(i, o))]);
      return text.slice(text.indexOf('\n') + 1);
    }
  }
}

/**
 * One `--watch` frame. On a terminal the whole answer is redrawn in place; when piped, the first frame is
 * the whole answer and later frames only the items whose data changed (appended, like `kubectl get -w`).
 */
export function watchFrame(previous: Seen | null, v: View): { text: string; seen: Seen } {
  const seen: Seen = new Map(v.items.map((i) => [itemKey(i), JSON.stringify(i)]));
  if (v.tty) return { text: CLEAR_SCREEN + render(v), seen };
  if (previous === null) return { text: render(v), seen };
  const changed = v.items.filter((i) => previous.get(itemKey(i)) !== seen.get(itemKey(i)));
  return { text: changed.length === 0 ? '' : changedOnly(v, changed), seen };
}
