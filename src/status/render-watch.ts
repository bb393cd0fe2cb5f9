// What `status --watch` prints on each poll, like `kubectl get -w`: the answer once, then one line (or one
// object) per autoscaler that changed, appeared or went away; the same on a terminal and in a pipe. With
// `--output-watch-events` each line says what happened (ADDED, MODIFIED, DELETED) as kubectl's does. Pure.
import { stringify } from 'yaml';
import type { AutoscalerStatus } from './model.ts';
import { nameOf } from './render-data.ts';
import { columnWidths, layoutRows, tableHeader, tableRow } from './render-table.ts';
import { isDetail, render, renderObjects, tableOptions, type View } from './render.ts';

/** kubectl's watch event types. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What was printed so far: each item (by identity) with its change signature, and the table's column widths. */
export interface Seen {
  items: Map<string, { item: AutoscalerStatus; signature: string }>;
  widths: number[];
}

/** Identity of an item across polls. */
export function itemKey(i: AutoscalerStatus): string {
  return `${i.source}|${i.namespace}|${i.name}|${i.target.kind}/${i.target.name}`;
}

/**
 * What counts as a change: anything but the cycle time. A heartbeat only moves the cycle time, and time
 * passing only moves the ages: neither is printed again (the issue: rows reprinted every 2 s).
 */
export function changeSignature(i: AutoscalerStatus): string {
  const { lastCycleTime: _heartbeat, ...rest } = i;
  return JSON.stringify(rest);
}

interface Change {
  type: WatchEventType;
  item: AutoscalerStatus;
}

/** Items added, changed and gone since `previous`, in the answer's order (gone ones last). */
export function changesSince(previous: Seen['items'], items: readonly AutoscalerStatus[]): Change[] {
  const changes: Change[] = [];
  const present = new Set<string>();
  for (const item of items) {
    const key = itemKey(item);
    present.add(key);
    const before = previous.get(key);
    if (before === undefined) changes.push({ type: 'ADDED', item });
    else if (before.signature !== changeSignature(item)) changes.push({ type: 'MODIFIED', item });
  }
  for (const [key, before] of previous)
    if (!present.has(key)) changes.push({ type: 'DELETED', item: before.item });
  return changes;
}

/** The changes in the view's format; `header` prints the table's header line first (the first frame). */
function renderChanges(
  v: View,
  changes: readonly Change[],
  events: boolean,
  header: boolean,
  widths: number[],
): string {
  switch (v.output) {
    case 'json':
      return changes
        .map((c) => `${JSON.stringify(events ? { type: c.type, object: c.item } : c.item, null, 2)}\n`)
        .join('');
    case 'yaml':
      return changes
        .map((c) => `---\n${stringify(events ? { type: c.type, object: c.item } : c.item, { lineWidth: 0 })}`)
        .join('');
    case 'name':
      return changes.map((c) => `${events ? `${c.type}   ` : ''}${nameOf(c.item)}\n`).join('');
    case 'jsonpath':
    case 'custom-columns':
      return renderObjects(
        v,
        changes.map((c) => c.item),
        header,
      );
    default: {
      const o = tableOptions(v);
      const event = (cells: string[], type: string) => (events ? [type, ...cells] : cells);
      const rows = [
        event(tableHeader(o), 'EVENT'),
        ...changes.map((c) => event(tableRow(c.item, o), c.type)),
      ];
      // Columns keep the widest width printed so far, as kubectl's tabwriter does across a watch.
      const min = header ? [] : widths;
      const text = layoutRows(rows, min);
      widths.splice(0, widths.length, ...columnWidths(rows, min));
      return header ? text : text.slice(text.indexOf('\n') + 1);
    }
  }
}

/**
 * One `--watch` frame: the first is the whole answer (every item ADDED), later ones only what changed.
 * `status NAME` with one result redraws the detail view below the last one when it changed.
 */
export function watchFrame(previous: Seen | null, v: View, events = false): { text: string; seen: Seen } {
  const seen: Seen = {
    items: new Map(v.items.map((i) => [itemKey(i), { item: i, signature: changeSignature(i) }])),
    widths: [...(previous?.widths ?? [])],
  };
  if (isDetail(v.items, v.name, v.output)) {
    const [only] = v.items;
    const same =
      previous !== null &&
      only !== undefined &&
      previous.items.get(itemKey(only))?.signature === changeSignature(only);
    return { text: same ? '' : `${previous === null ? '' : '\n'}${render(v)}`, seen };
  }
  const changes = changesSince(previous?.items ?? new Map(), v.items);
  if (changes.length === 0) return { text: '', seen };
  const header = previous === null || previous.items.size === 0;
  return { text: renderChanges(v, changes, events, header, seen.widths), seen };
}
