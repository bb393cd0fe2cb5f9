// kubectl's JSONPath template syntax, parsed: text with `{…}` actions — fields, `[n]`, `[a:b:c]`, `[*]`,
// unions `['a','b']`, `..`, `*`, filters `[?(@.x=="y")]`, quoted text `{"\\n"}`, `{range …}…{end}` — read the
// way kubectl's parser reads them (its quirks included), so that a template means here what it means there.
// jsonpath.ts runs them. Pure.
import { UsageError } from '../errors.ts';
import { GoFloat } from './go-format.ts';

/** One step of a path, applied to every current value. */
export type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | null; end: number | null; step: number | null; single: boolean }
  | { kind: 'union'; branches: Step[][] }
  | { kind: 'filter'; left: Step[]; op: string; right: Step[] }
  | { kind: 'recursive' }
  | { kind: 'literal'; value: unknown };

/** A parsed template: text, actions, and ranges with their bodies. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'action'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: TemplatePart[]; closed: boolean };

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;
const COMPARISON = /^([^!<>=]+)([!<>=]+)(.+?)$/;

function parseError(template: string, why: string): UsageError {
  return new UsageError(`error parsing jsonpath ${template}: ${why}`);
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** A quoted string's body with Go-style escapes (`\n`, `\t`, `\"`, `\u00e9`, `\x41`). */
function unquote(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
    e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e),
  );
}

/** Reads the steps of one action's text (what is between `{` and `}`), as kubectl's parser reads them. */
class ActionReader {
  #pos = 0;
  readonly steps: Step[] = [];
  readonly words: string[] = [];
  readonly text: string;
  readonly template: string;
  constructor(text: string, template: string) {
    this.text = text;
    this.template = template;
  }

  read(): this {
    while (this.#pos < this.text.length) this.#next();
    return this;
  }

  #fail(why: string): never {
    throw parseError(this.template, why);
  }

  #next(): void {
    const rest = this.text.slice(this.#pos);
    const c = rest[0] as string;
    if (rest.startsWith('[?(')) return this.#filter();
    if (rest.startsWith('..')) {
      this.#pos += 2;
      this.steps.push({ kind: 'recursive' });
      if (/[A-Za-z0-9_]/.test(this.text[this.#pos] ?? '')) this.#field();
      return;
    }
    if (c === '\n' || c === '\r') this.#fail('unclosed action');
    if (c === ' ' || c === '@' || c === '$') return void this.#pos++;
    if (c === '[') return this.#array();
    if (c === '"' || c === "'") return this.#quote(c);
    if (c === '.') {
      this.#pos++;
      return this.#field();
    }
    if (/[-+0-9]/.test(c)) return this.#number();
    if (/[A-Za-z0-9_]/.test(c)) return this.#word();
    this.#fail(`unrecognized character in action: ${JSON.stringify(c)}`);
  }

  #field(): void {
    let name = '';
    while (this.#pos < this.text.length) {
      const c = this.text[this.#pos] as string;
      if (c === '\\') {
        name += this.text[this.#pos + 1] ?? '';
        this.#pos += 2;
        continue;
      }
      if (TERMINATORS.has(c)) break;
      name += c;
      this.#pos++;
    }
    this.steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
  }

  #quote(end: string): void {
    // As kubectl's parser: a quote preceded by a backslash does not close the string (even after `\\`).
    let i = this.#pos + 1;
    while (i < this.text.length && !(this.text[i] === end && this.text[i - 1] !== '\\')) i++;
    if (i >= this.text.length) this.#fail('unterminated quoted string');
    this.steps.push({ kind: 'literal', value: unquote(this.text.slice(this.#pos + 1, i)) });
    this.#pos = i + 1;
  }

  #number(): void {
    const m = /^[-+]?[0-9]*(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.text.slice(this.#pos)) as RegExpExecArray;
    const value = Number(m[0]);
    if (m[0] === '' || !Number.isFinite(value)) this.#fail(`cannot parse number ${m[0]}`);
    this.steps.push({ kind: 'literal', value: m[1] || m[2] ? new GoFloat(value) : value });
    this.#pos += m[0].length;
  }

  #word(): void {
    const word = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.#pos))?.[0] ?? '';
    this.#pos += word.length;
    if (word === 'true' || word === 'false') this.steps.push({ kind: 'literal', value: word === 'true' });
    else if (word === 'range' || word === 'end') this.words.push(word);
    else this.#fail(`unrecognized identifier ${word}`);
  }

  #array(): void {
    const close = this.text.indexOf(']', this.#pos);
    if (close < 0) this.#fail('unterminated array');
    let inner = this.text.slice(this.#pos + 1, close);
    this.#pos = close + 1;
    if (inner === '*') inner = ':';
    const parts = inner.split(',');
    if (parts.length > 1) {
      const branches = parts.map((p) => readAction(`[${p.trim()}]`, this.template).steps);
      return void this.steps.push({ kind: 'union', branches });
    }
    const key = DICT_KEY.exec(inner);
    if (key) return void this.steps.push(...readAction(`.${key[1]}`, this.template).steps);
    const m = SLICE.exec(inner);
    if (m === null) this.#fail(`invalid array index ${JSON.stringify(inner)}`);
    const num = (s: string | undefined, colon: boolean) => {
      const digits = s === undefined ? '' : colon ? s.slice(1) : s;
      return digits === '' ? null : Number(digits);
    };
    const start = num(m[1], false);
    this.steps.push({
      kind: 'slice',
      start,
      end: num(m[2], true),
      step: num(m[3], true),
      // `[n]` alone takes one element (kubectl derives the end n+1).
      single: m[2] === undefined && start !== null,
    });
  }

  #filter(): void {
    let i = this.#pos + 3;
    let quote: string | null = null;
    for (; i < this.text.length; i++) {
      const c = this.text[i] as string;
      if (quote !== null) quote = c === quote ? null : quote;
      else if (c === '"' || c === "'") quote = c;
      else if (c === ')') break;
    }
    if (i >= this.text.length) this.#fail('unterminated filter');
    if (this.text[i + 1] !== ']') this.#fail('unclosed array expect ]');
    const inner = this.text.slice(this.#pos + 3, i);
    this.#pos = i + 2;
    const m = COMPARISON.exec(inner);
    if (m === null)
      return void this.steps.push({
        kind: 'filter',
        left: readAction(inner, this.template).steps,
        op: 'exists',
        right: [],
      });
    const [, left = '', op = '', right = ''] = m;
    if (!['==', '!=', '<', '>', '<=', '>='].includes(op)) this.#fail(`unrecognized filter operator ${op}`);
    this.steps.push({
      kind: 'filter',
      left: readAction(left, this.template).steps,
      op,
      right: readAction(right, this.template).steps,
    });
  }
}

function readAction(text: string, template: string): ActionReader {
  return new ActionReader(text, template).read();
}

/** A parsed template and the text it came from (for messages). */
export interface Template {
  source: string;
  parts: TemplatePart[];
}

/** Parses a template; a syntax error is a UsageError naming the template, as kubectl's is. */
export function parseTemplate(template: string): Template {
  return { source: template, parts: parseParts(template) };
}

function parseParts(template: string): TemplatePart[] {
  const root: TemplatePart[] = [];
  const open: Extract<TemplatePart, { kind: 'range' }>[] = [];
  const into = () => open.at(-1)?.body ?? root;
  let pos = 0;
  while (pos < template.length) {
    const start = template.indexOf('{', pos);
    if (start < 0) {
      into().push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (start > pos) into().push({ kind: 'text', text: template.slice(pos, start) });
    const end = actionEnd(template, start + 1);
    if (end < 0) throw parseError(template, 'unclosed action');
    const action = readAction(template.slice(start + 1, end), template);
    pos = end + 1;
    if (action.words.includes('end')) {
      const range = open.pop();
      if (range === undefined)
        throw new UsageError(`error executing jsonpath ${template}: not in range, nothing to end`);
      range.closed = true;
    } else if (action.words.includes('range')) {
      const range: TemplatePart = { kind: 'range', steps: action.steps, body: [], closed: false };
      into().push(range);
      open.push(range);
    } else into().push({ kind: 'action', steps: action.steps });
  }
  return root;
}

/** Index of the `}` closing an action that starts at `from`, skipping quoted text; -1 when unclosed. */
function actionEnd(template: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < template.length; i++) {
    const c = template[i] as string;
    if (quote !== null) {
      if (c === quote && template[i - 1] !== '\\') quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}
