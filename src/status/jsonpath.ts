// Runs kubectl's JSONPath templates (parsed by jsonpath-parse.ts) over JSON data, for `-o jsonpath=…` and the
// cells of `-o custom-columns=…`: results printed as kubectl prints them — strings raw, objects and arrays as
// Go's encoding/json writes them, several results space-separated, missing keys as nothing — and kubectl's
// errors for what cannot run (an index out of range, a filter over a map). Checked against the real kubectl
// in e2e. Pure.
import { CpaError } from '../errors.ts';
import { GoFloat, goJson, goNumber, sortedKeys } from './go-format.ts';
import type { Step, Template, TemplatePart } from './jsonpath-parse.ts';

export { parseTemplate, type Template, type TemplatePart } from './jsonpath-parse.ts';
export { goJson, goNumber } from './go-format.ts';

/** A JSON value as parsed data. */
type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A template that parsed but cannot run over this data (kubectl: "error executing jsonpath"). */
class ExecError extends Error {}

function execError(why: string): ExecError {
  return new ExecError(why);
}

function slice(values: Json[], s: Extract<Step, { kind: 'slice' }>): Json[] {
  const out: Json[] = [];
  for (const value of values) {
    if (!Array.isArray(value)) throw execError(`${typeName(value)} is not array or slice`);
    const len = value.length;
    let start = s.start ?? 0;
    if (start < 0) start += len;
    let end = s.single ? start + 1 : (s.end ?? len);
    if (end < 0) end += len;
    if (start === end) continue;
    if (start >= len || start < 0)
      throw execError(`array index out of bounds: index ${start}, length ${len}`);
    if (end > len || end < 0) throw execError(`array index out of bounds: index ${end - 1}, length ${len}`);
    if (start > end) throw execError(`starting index ${start} is greater than ending index ${end}`);
    const step = s.step ?? 1;
    for (let i = start; i < end; i += step > 0 ? step : 1) out.push(value[i]);
  }
  return out;
}

function typeName(v: Json): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  return typeof v === 'number'
    ? Number.isInteger(v)
      ? 'int64'
      : 'float64'
    : typeof v === 'boolean'
      ? 'bool'
      : String(typeof v);
}

function descendants(values: Json[]): Json[] {
  const out: Json[] = [];
  for (const value of values) {
    const children = isObject(value)
      ? sortedKeys(value).map((k) => value[k])
      : Array.isArray(value)
        ? value
        : [];
    if (children.length === 0) continue;
    out.push(value, ...descendants(children));
  }
  return out;
}

/** Go template's comparison kinds: ints and floats do not compare with each other, nor with strings. */
function comparable(v: Json): { kind: string; value: number | string | boolean } {
  if (v instanceof GoFloat) return { kind: 'float', value: v.value };
  if (typeof v === 'number') return { kind: Number.isInteger(v) ? 'int' : 'float', value: v };
  if (typeof v === 'string' || typeof v === 'boolean') return { kind: typeof v, value: v };
  throw execError('invalid type for comparison');
}

function compare(left: Json, op: string, right: Json): boolean {
  const a = comparable(left);
  const b = comparable(right);
  if (a.kind !== b.kind) throw execError('incompatible types for comparison');
  if (op === '==') return a.value === b.value;
  if (op === '!=') return a.value !== b.value;
  if (a.kind === 'boolean') throw execError('invalid type for comparison');
  if (op === '<') return a.value < b.value;
  if (op === '>') return a.value > b.value;
  if (op === '<=') return a.value <= b.value;
  return a.value >= b.value;
}

function one(values: Json[]): Json | undefined {
  if (values.length > 1) throw execError('can only compare one element at a time');
  return values[0];
}

function filter(values: Json[], f: Extract<Step, { kind: 'filter' }>): Json[] {
  const out: Json[] = [];
  for (const value of values) {
    if (!Array.isArray(value))
      throw execError(`${typeName(value)} is not array or slice and cannot be filtered`);
    for (const element of value) {
      const lefts = walk([element], f.left);
      if (f.op === 'exists') {
        if (lefts.length > 0) out.push(element);
        continue;
      }
      const left = one(lefts);
      if (left === undefined) continue;
      const right = one(walk([element], f.right));
      if (right === undefined) continue;
      if (compare(left, f.op, right)) out.push(element);
    }
  }
  return out;
}

function applyStep(values: Json[], step: Step): Json[] {
  switch (step.kind) {
    case 'field':
      return values.flatMap((v) => (isObject(v) && Object.hasOwn(v, step.name) ? [v[step.name]] : []));
    case 'wildcard':
      return values.flatMap((v) =>
        isObject(v) ? sortedKeys(v).map((k) => v[k]) : Array.isArray(v) ? v : [],
      );
    case 'slice':
      return slice(values, step);
    case 'union':
      return step.branches.flatMap((b) => walk(values, b));
    case 'filter':
      return filter(values, step);
    case 'recursive':
      return descendants(values);
    case 'literal':
      return [step.value];
  }
}

function walk(values: Json[], steps: readonly Step[]): Json[] {
  return steps.reduce((current, step) => applyStep(current, step), values);
}

/** How one result prints in a template: text as is, objects and arrays as JSON. */
function printed(value: Json): string {
  if (value instanceof GoFloat) return goNumber(value.value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

function execute(parts: readonly TemplatePart[], data: Json, out: string[]): void {
  for (const part of parts) {
    if (part.kind === 'text') out.push(part.text);
    else if (part.kind === 'action') out.push(walk([data], part.steps).map(printed).join(' '));
    else {
      for (const value of walk([data], part.steps)) execute(part.body, value, out);
      // kubectl runs the body of a range left open once more over the outer data.
      if (!part.closed) execute(part.body, data, out);
    }
  }
}

/** Prints `data` through a parsed template. */
export function executeTemplate(template: Template, data: Json): string {
  const out: string[] = [];
  executing(template, () => execute(template.parts, data, out));
  return out.join('');
}

/** Runs `run`; a template that cannot run over the data is an error naming the template, as kubectl's is. */
function executing<T>(template: Template, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof ExecError)) throw err;
    throw new CpaError(`error executing jsonpath ${JSON.stringify(template.source)}: ${err.message}`);
  }
}

/** The values one path finds, for custom-columns (each is a cell part). */
export function findValues(template: Template, data: Json): Json[] {
  return executing(template, () =>
    template.parts.flatMap((p) =>
      p.kind === 'action' ? walk([data], p.steps) : p.kind === 'text' ? [p.text] : [],
    ),
  );
}
