// Picks the renderer for `status` (render-watch.ts says what `--watch` prints on each poll). Pure.
import { renderCustomColumns, type CustomColumn } from './custom-columns.ts';
import type { EventRow } from './events.ts';
import type { OutputFormat } from './flags.ts';
import { executeTemplate, type Template } from './jsonpath.ts';
import type { AutoscalerStatus } from './model.ts';
import { renderJson, renderNames, renderYaml, statusList } from './render-data.ts';
import { renderDetail } from './render-detail.ts';
import { renderTable, type TableOptions } from './render-table.ts';

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
  /** `-o jsonpath=…`, parsed. */
  jsonpath?: Template;
  /** `-o custom-columns=…`, parsed. */
  columns?: CustomColumn[];
}

/** `status NAME` with exactly one result and a table format shows the detail view. */
export function isDetail(
  items: readonly AutoscalerStatus[],
  name: string | undefined,
  output: OutputFormat,
): boolean {
  return name !== undefined && items.length === 1 && (output === 'table' || output === 'wide');
}

/** The table's options for a view. */
export function tableOptions(v: View): TableOptions {
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
    case 'jsonpath':
    case 'custom-columns':
      return renderObjects(v, v.items, true);
    default: {
      const [only] = v.items;
      if (only !== undefined && isDetail(v.items, v.name, v.output))
        return renderDetail(only, { nowMs: v.nowMs, color: v.color, events: v.events ?? null });
      return v.items.length === 0 ? '' : renderTable(v.items, tableOptions(v));
    }
  }
}

/**
 * `-o jsonpath` and `-o custom-columns`. The template sees what `-o json` prints, as kubectl's sees its
 * JSON: the list, or for `status NAME` with one result the item itself (like `kubectl get KIND NAME`).
 * Custom columns have one row per item; `header` is false for later `--watch` lines.
 */
export function renderObjects(v: View, items: readonly AutoscalerStatus[], header: boolean): string {
  if (v.columns !== undefined) return renderCustomColumns(v.columns, items, header);
  const [only] = items;
  const data = v.name !== undefined && only !== undefined && items.length === 1 ? only : statusList(items);
  if (v.jsonpath === undefined) return '';
  return executeTemplate(v.jsonpath, JSON.parse(JSON.stringify(data)));
}
