// Label selectors (equality- and set-based, as `?labelSelector=` and scale's status.selector spell them)
// and the field selectors list/watch accept. Parsing is strict: a selector we cannot read is a 400, never
// a silently wider match.
import { badRequest } from './status.ts';
import { isMap } from './json.ts';

/** One requirement: `key in (a,b)`, `key!=v`, `key`, `!key`, `key>3`. */
export interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

/** A parsed selector: every requirement must hold. Empty selects everything. */
export type Selector = Requirement[];

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at commas outside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key) || key.length > 316)
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(value: string, raw: string): string {
  if (!VALUE.test(value) || value.length > 63)
    throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${raw}"`);
  return value;
}

function parseOne(raw: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(raw);
  if (set !== null) {
    const values = set[3]!.split(',').map((v) => checkValue(v.trim(), raw));
    return { key: checkKey(set[1]!, raw), op: set[2] as 'in' | 'notin', values };
  }
  if (raw.startsWith('!')) return { key: checkKey(raw.slice(1).trim(), raw), op: '!', values: [] };
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(raw);
  if (cmp === null) return { key: checkKey(raw, raw), op: 'exists', values: [] };
  const [, key, op, value] = cmp as unknown as [string, string, string, string];
  checkKey(key, raw);
  if (op === '>' || op === '<') {
    if (!/^-?\d+$/.test(value))
      throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    return { key, op: op === '>' ? 'gt' : 'lt', values: [value] };
  }
  return { key, op: op === '!=' ? 'notin' : 'in', values: [checkValue(value, raw)] };
}

/** Parses `?labelSelector=`; throws a 400 ApiError naming the bad part. */
export function parseLabelSelector(text: string): Selector {
  if (text.trim() === '') return [];
  return splitTop(text).map((part) => {
    if (part === '') throw badRequest(`unable to parse requirement: found '', expected: identifier`);
    return parseOne(part);
  });
}

/** True when `labels` satisfy every requirement. */
export function matches(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case 'in':
        return has && r.values.includes(value!);
      case 'notin':
        return !has || !r.values.includes(value!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
        return has && /^-?\d+$/.test(value!) && Number(value) > Number(r.values[0]);
      case 'lt':
        return has && /^-?\d+$/.test(value!) && Number(value) < Number(r.values[0]);
    }
  });
}

/** The string form of a LabelSelector object, as Scale's status.selector carries it (sorted by key). */
export function labelSelectorString(selector: unknown): string {
  if (!isMap(selector)) return '';
  const parts: [string, string][] = [];
  const labels = isMap(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(labels)) parts.push([k, `${k}=${String(v)}`]);
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs as { key?: string; operator?: string; values?: string[] }[]) {
    const key = e.key ?? '';
    const values = [...(e.values ?? [])].sort().join(',');
    const text = {
      In: `${key} in (${values})`,
      NotIn: `${key} notin (${values})`,
      Exists: key,
      DoesNotExist: `!${key}`,
    }[e.operator ?? ''];
    if (text !== undefined) parts.push([key, text]);
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((p) => p[1])
    .join(',');
}

/** The string form of a map selector (ReplicationController's spec.selector). */
export function mapSelectorString(selector: unknown): string {
  if (!isMap(selector)) return '';
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${String(selector[k])}`)
    .join(',');
}

/** One `?fieldSelector=` term. */
export interface FieldTerm {
  field: string;
  negate: boolean;
  value: string;
}

/** Parses `?fieldSelector=` (`a=b`, `a==b`, `a!=b`, comma-separated); only `allowed` fields may be named. */
export function parseFieldSelector(text: string, allowed: readonly string[]): FieldTerm[] {
  if (text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(raw.trim());
    if (m === null) throw badRequest(`invalid selector: '${text}'; can't understand '${raw}'`);
    const field = m[1]!.trim();
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: m[3]!.trim() };
  });
}

/** True when the object's fields satisfy every term; `read` gives a field's value as a string. */
export function fieldsMatch(terms: readonly FieldTerm[], read: (field: string) => string): boolean {
  return terms.every((t) => (read(t.field) === t.value) !== t.negate);
}
