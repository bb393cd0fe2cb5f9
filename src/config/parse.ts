// Turns configuration text into plain data while keeping where each key sits in the file, so that later
// problems can point at a line and column. YAML 1.1 rules (yes/on are booleans), as CPA's decoder reads them.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node } from 'yaml';
import { fileOrigin, type Origin, type Pos, type Seg } from './issues.ts';
import type { ConfigIssue } from './types.ts';

/** The decoded first document of a configuration file. */
export interface ParsedFile {
  /** `null` for a file with only whitespace, comments or `---`. */
  root: unknown;
  /** Origin for values of this file: locates keys and knows whether strings are strict (JSON input). */
  origin: Origin;
  notes: string[];
}

/** Result of decoding the configuration text. */
export type ParseResult = { ok: true; file: ParsedFile } | { ok: false; issues: ConfigIssue[] };

// logLevel 'error': the library would otherwise print warnings (a collection used as a key) to stderr itself.
const YAML_OPTIONS = { version: '1.1', maxAliasCount: 100, logLevel: 'error' } as const;

/** CPA's rule: JSON when the first non-blank byte within the first 10 bytes is `{`. */
export function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text.slice(0, 10));
}

/** First line of a yaml error, without the position (issues carry it separately). */
function cleanMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

/** Decodes the configuration file text (YAML or JSON, first document only) and keeps key positions. */
export function parseConfigText(text: string, fileName: string): ParseResult {
  if (text.length === 0) {
    const message = 'is empty (0 bytes); it needs at least the "metric" and "evaluate" methods';
    return { ok: false, issues: [{ path: fileName, message }] };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const doc = docs[0];
  if (doc === undefined) {
    return { ok: true, file: { root: null, origin: fileOrigin(looksLikeJson(text)), notes: [] } };
  }
  const errors = doc.errors.map((e): ConfigIssue => {
    const issue: ConfigIssue = {
      path: fileName,
      message: `is not valid YAML/JSON: ${cleanMessage(e.message)}`,
    };
    const pos = e.linePos?.[0];
    if (pos !== undefined) [issue.line, issue.column] = [pos.line, pos.col];
    return issue;
  });
  if (errors.length > 0) return { ok: false, issues: errors };
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: YAML_OPTIONS.maxAliasCount });
  } catch (err) {
    const message = `is not valid YAML/JSON: ${cleanMessage(err instanceof Error ? err.message : String(err))}`;
    return { ok: false, issues: [{ path: fileName, message }] };
  }
  const notes =
    docs.length > 1 ? [`${fileName} holds ${docs.length} YAML documents; only the first is read`] : [];
  const locate = (segs: readonly Seg[], key: boolean): Pos | undefined =>
    locateIn(doc.contents, segs, key, lineCounter);
  return { ok: true, file: { root, origin: fileOrigin(looksLikeJson(text), locate), notes } };
}

/** Position of the node at `segs` (its key when `key`), or of the deepest ancestor that exists. */
function locateIn(root: unknown, segs: readonly Seg[], key: boolean, lines: LineCounter): Pos | undefined {
  let node: unknown = root;
  let found: Pos | undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      const target = key && last ? pair.key : (pair.value ?? pair.key);
      found = positionOf(target, lines) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      found = positionOf(item, lines) ?? found;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function positionOf(node: unknown, lines: LineCounter): Pos | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (range === undefined || range === null) return undefined;
  const { line, col } = lines.linePos(range[0]);
  return { line, column: col };
}

/** Decodes one environment value holding YAML or JSON (§1.2); an empty value is an error, as in CPA. */
export function parseEnvValue(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'is empty; expected a YAML or JSON value' };
  // parseDocument rather than parse: parse() prints warnings to the console and throws only the first error.
  const doc = parseDocument(text, YAML_OPTIONS);
  const error = doc.errors[0];
  try {
    if (error === undefined)
      return { ok: true, value: doc.toJS({ maxAliasCount: YAML_OPTIONS.maxAliasCount }) };
  } catch (err) {
    return {
      ok: false,
      message: `is not valid YAML/JSON: ${cleanMessage(err instanceof Error ? err.message : String(err))}`,
    };
  }
  // The library's own text for this one advises calling another of its functions.
  const why =
    error.code === 'MULTIPLE_DOCS'
      ? 'holds more than one YAML document ("---" line); give one value'
      : cleanMessage(error.message);
  return { ok: false, message: `is not valid YAML/JSON: ${why}` };
}
