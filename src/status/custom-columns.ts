// kubectl's `-o custom-columns=HEADER:PATH,…`: one column per spec, each cell the values a relaxed JSONPath
// (`.a.b`, `a.b`, `{.a.b}`) finds, as Go's fmt prints them, comma-joined, `<none>` when none; laid out as
// kubectl's tabwriter does (three blanks of padding, columns at least 6 wide, the last one not padded). Pure.
import { UsageError } from '../errors.ts';
import { goSprint } from './go-format.ts';
import { findValues, parseTemplate, type Template } from './jsonpath.ts';

export { goSprint } from './go-format.ts';
import { escapeTerminal } from './terminal-text.ts';

/** One parsed column. */
export interface CustomColumn {
  header: string;
  path: Template;
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`, as in kubectl. */
function relaxedPath(text: string): string {
  if (text === '') return text;
  const m = RELAXED.exec(text);
  if (m === null)
    throw new UsageError(
      `unexpected path string ${JSON.stringify(text)}, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`,
    );
  return `{.${m[1] ?? m[2] ?? ''}}`;
}

/** Parses `HEADER:PATH,…`; every syntax problem is a UsageError. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new UsageError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0)
      throw new UsageError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: parseTemplate(relaxedPath(part.slice(colon + 1))) };
  });
}

/** One row of cells for one object. */
export function customRow(columns: readonly CustomColumn[], data: unknown): string[] {
  return columns.map((c) => {
    const values = findValues(c.path, data);
    return values.length === 0 ? '<none>' : values.map((v) => escapeTerminal(goSprint(v))).join(',');
  });
}

/** Go tabwriter settings of kubectl's printers. */
const MIN_WIDTH = 6;
const PADDING = 3;

/** Lines laid out as kubectl's tabwriter lays out tab-separated cells. */
export function tabwrite(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row
      .slice(0, -1)
      .forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? MIN_WIDTH, [...cell].length + PADDING)));
  return rows
    .map(
      (row) =>
        `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) - [...cell].length + cell.length))).join('')}\n`,
    )
    .join('');
}

/** The custom-columns answer: header (unless `header` is false) and one row per object. */
export function renderCustomColumns(
  columns: readonly CustomColumn[],
  objects: readonly unknown[],
  header = true,
): string {
  const rows = objects.map((o) => customRow(columns, o));
  return tabwrite(header ? [columns.map((c) => c.header), ...rows] : rows);
}
