// A parser of the Prometheus text exposition format (version 0.0.4), written to its grammar: a scanner over
// characters for metric names, label sets with escaped values, sample values (floats, +Inf, -Inf, NaN) and
// optional timestamps; `# HELP` / `# TYPE` metadata; and the family rules a scraper enforces (one TYPE per
// family, before its samples; histogram series `_bucket{le}`, `_sum`, `_count` with cumulative buckets
// ending in `+Inf` equal to `_count`). It throws on anything a Prometheus server would reject.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

class Scanner {
  pos = 0;
  readonly text: string;
  readonly lineNo: number;
  constructor(text: string, lineNo: number) {
    this.text = text;
    this.lineNo = lineNo;
  }
  fail(what: string): never {
    throw new Error(`line ${this.lineNo}, column ${this.pos + 1}: ${what}: ${JSON.stringify(this.text)}`);
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }
  /** [a-zA-Z_:][a-zA-Z0-9_:]* (metric names); labels use the same without ':'. */
  name(colons: boolean): string {
    const start = this.pos;
    const first = (c: string): boolean => isLetter(c) || c === '_' || (colons && c === ':');
    if (!first(this.peek())) this.fail('expected a name');
    this.pos++;
    while (first(this.peek()) || isDigit(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** A double-quoted label value with \\, \" and \n escapes. */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('unterminated label value');
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.peek();
      this.pos++;
      if (e === '\\') out += '\\';
      else if (e === '"') out += '"';
      else if (e === 'n') out += '\n';
      else this.fail(`bad escape \\${e}`);
    }
  }
  /** A run of non-blank characters. */
  token(): string {
    const start = this.pos;
    while (!this.done() && this.peek() !== ' ' && this.peek() !== '\t') this.pos++;
    return this.text.slice(start, this.pos);
  }
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** A value as Go's ParseFloat reads it (Prometheus does): floats, and Inf, Infinity, NaN in any case. */
function parseValue(text: string, s: Scanner): number {
  const word = text.toLowerCase();
  if (['inf', '+inf', 'infinity', '+infinity'].includes(word)) return Infinity;
  if (['-inf', '-infinity'].includes(word)) return -Infinity;
  if (word === 'nan') return NaN;
  const n = Number(text);
  if (text === '' || Number.isNaN(n) || /[^0-9eE.+-]/.test(text))
    s.fail(`bad sample value ${JSON.stringify(text)}`);
  return n;
}

function parseSample(line: string, lineNo: number): Sample {
  const s = new Scanner(line, lineNo);
  const name = s.name(true);
  const labels: Record<string, string> = {};
  s.skipBlanks();
  if (s.peek() === '{') {
    s.pos++;
    s.skipBlanks();
    while (s.peek() !== '}') {
      const label = s.name(false);
      if (label in labels) s.fail(`label ${label} repeated`);
      s.skipBlanks();
      s.expect('=');
      s.skipBlanks();
      labels[label] = s.quoted();
      s.skipBlanks();
      if (s.peek() === ',') {
        s.pos++;
        s.skipBlanks();
      } else if (s.peek() !== '}') s.fail('expected , or }');
    }
    s.pos++;
  }
  s.skipBlanks();
  const value = parseValue(s.token(), s);
  s.skipBlanks();
  const sample: Sample = { name, labels, value };
  if (!s.done()) {
    const ts = s.token();
    if (!/^-?\d+$/.test(ts)) s.fail('bad timestamp');
    sample.timestampMs = Number(ts);
    s.skipBlanks();
    if (!s.done()) s.fail('trailing characters');
  }
  return sample;
}

/** The family a sample belongs to: histogram/summary series map to their base name. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sample);
  if (direct !== undefined) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const base = families.get(sample.slice(0, -suffix.length));
    if (base !== undefined && (base.type === 'histogram' || base.type === 'summary')) return base;
  }
  return undefined;
}

/** Parses a whole exposition; throws naming the line on any violation. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '') return;
    if (line.startsWith('#')) {
      const s = new Scanner(line, lineNo);
      s.pos = 1;
      s.skipBlanks();
      const keyword = s.token();
      if (keyword !== 'HELP' && keyword !== 'TYPE') return; // a plain comment
      s.skipBlanks();
      const name = s.name(true);
      s.skipBlanks();
      const rest = line.slice(s.pos);
      const family = families.get(name) ?? { name, type: 'untyped' as MetricType, samples: [] };
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) s.fail(`unknown type ${rest}`);
        if (families.has(name) && (family.samples.length > 0 || family.type !== 'untyped'))
          s.fail(`TYPE for ${name} after its samples or a second TYPE`);
        family.type = rest as MetricType;
      } else {
        if (family.help !== undefined) s.fail(`second HELP for ${name}`);
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      families.set(name, family);
      return;
    }
    const sample = parseSample(line, lineNo);
    let family = familyOf(sample.name, families);
    if (family === undefined) {
      family = { name: sample.name, type: 'untyped', samples: [] };
      families.set(sample.name, family);
    }
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** Buckets cumulative per series, ending in le="+Inf" equal to the series' _count. */
function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${s.name} without le`);
      entry.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
    } else if (s.name === `${family.name}_count`) entry.count = s.value;
    else if (s.name !== `${family.name}_sum`)
      throw new Error(`${s.name} is not a series of histogram ${family.name}`);
  }
  for (const [key, entry] of series) {
    const sorted = [...entry.buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${family.name}${key}: buckets not cumulative`);
    const inf = sorted.at(-1);
    if (inf?.[0] !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (entry.count !== inf[1])
      throw new Error(`${family.name}${key}: +Inf bucket ${inf[1]} ≠ _count ${entry.count}`);
  }
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
