// A metric trace: per timestamp, what the metric stage would have yielded (one value, a JSON document, or
// one value per pod) and optionally the replicas really needed (`demand`). Read from CSV (header row) or
// JSON lines; every bad line is reported at once with its line number. Pure.

/** One timestamp of the trace. */
export interface TraceSample {
  timeMs: number;
  /** The metric output as the evaluator would receive it (text); undefined when only `pods` is given. */
  value?: string;
  /** Per-pod metric outputs, handed to the simulated pods in order (repeating when there are more pods). */
  pods?: string[];
  /** Replicas really needed at this time, for the under/over-provisioning summary. */
  demand?: number;
}

/** The parsed trace, or every problem found. */
export type ParsedTrace = { ok: true; samples: TraceSample[] } | { ok: false; problems: string[] };

/** Problems listed before the rest are summarised as a count: a wrong file should not flood the terminal. */
const MAX_PROBLEMS = 20;

/**
 * Reads a time: ISO 8601 text, or a number of seconds (below 1e11) or milliseconds since the epoch, as
 * exporters write either. Null when it is neither.
 */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  // Only date-shaped text: Date.parse accepts odd things like "1" or "March".
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/** Splits one CSV line (RFC 4180 quoting: `"a ""b"""`), so a JSON document fits in one field. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      fields.push(field);
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const end = line.indexOf(',', i);
      fields.push((end < 0 ? line.slice(i) : line.slice(i, end)).trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++;
  }
}

function demandOf(raw: unknown, where: string, problems: string[]): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(n) || n < 0) {
    problems.push(`${where}: demand ${JSON.stringify(raw)} is not a number of replicas (0 or more)`);
    return undefined;
  }
  return n;
}

/** A metric output as text: strings verbatim, numbers as written, documents as compact JSON. */
function outputText(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function sampleOf(
  fields: { time: unknown; value: unknown; pods: unknown; demand: unknown },
  where: string,
  problems: string[],
): TraceSample | null {
  const timeMs =
    typeof fields.time === 'number'
      ? parseTime(String(fields.time))
      : parseTime(typeof fields.time === 'string' ? fields.time : '');
  if (timeMs === null) {
    problems.push(
      `${where}: time ${JSON.stringify(fields.time ?? null)} is not an ISO 8601 time or epoch seconds/ms`,
    );
    return null;
  }
  const sample: TraceSample = { timeMs };
  if (fields.value !== undefined && fields.value !== null && fields.value !== '')
    sample.value = outputText(fields.value);
  if (fields.pods !== undefined && fields.pods !== null && fields.pods !== '') {
    const pods = typeof fields.pods === 'string' ? fields.pods.split(';').map((p) => p.trim()) : fields.pods;
    if (!Array.isArray(pods) || pods.length === 0) {
      problems.push(`${where}: pods must be a list of per-pod values (JSON array, or "a;b;c" in CSV)`);
      return null;
    }
    sample.pods = pods.map(outputText);
  }
  if (sample.value === undefined && sample.pods === undefined) {
    problems.push(`${where}: needs a value (or per-pod values in pods)`);
    return null;
  }
  const demand = demandOf(fields.demand, where, problems);
  if (demand !== undefined) sample.demand = demand;
  return sample;
}

function parseJsonLines(lines: { text: string; no: number }[], problems: string[]): TraceSample[] {
  const samples: TraceSample[] = [];
  for (const { text, no } of lines) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      problems.push(`line ${no}: not a JSON object`);
      continue;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`line ${no}: not a JSON object`);
      continue;
    }
    const o = doc as Record<string, unknown>;
    const sample = sampleOf(
      { time: o.time, value: o.value, pods: o.pods, demand: o.demand },
      `line ${no}`,
      problems,
    );
    if (sample) samples.push(sample);
  }
  return samples;
}

const CSV_COLUMNS = ['time', 'value', 'pods', 'demand'];

function parseCsv(lines: { text: string; no: number }[], problems: string[]): TraceSample[] {
  const [head, ...rows] = lines;
  if (head === undefined) return [];
  const header = (splitCsvLine(head.text) ?? []).map((h) => h.toLowerCase());
  for (const name of header)
    if (!CSV_COLUMNS.includes(name))
      problems.push(`line ${head.no}: unknown column "${name}" (columns: ${CSV_COLUMNS.join(', ')})`);
  if (!header.includes('time') || !(header.includes('value') || header.includes('pods'))) {
    problems.push(`line ${head.no}: the header needs a time column and a value (or pods) column`);
    return [];
  }
  const samples: TraceSample[] = [];
  for (const { text, no } of rows) {
    const cells = splitCsvLine(text);
    if (cells === null || cells.length !== header.length) {
      problems.push(`line ${no}: expected ${header.length} fields (${header.join(',')})`);
      continue;
    }
    const get = (name: string): string | undefined => {
      const index = header.indexOf(name);
      return index < 0 ? undefined : cells[index];
    };
    const fields = { time: get('time'), value: get('value'), pods: get('pods'), demand: get('demand') };
    const sample = sampleOf(fields, `line ${no}`, problems);
    if (sample) samples.push(sample);
  }
  return samples;
}

/** Parses a trace; CSV unless the first data line starts with `{`. Blank lines and `#` comments are skipped. */
export function parseTrace(text: string): ParsedTrace {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), no: index + 1 }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
  const problems: string[] = [];
  const samples = lines[0]?.text.startsWith('{')
    ? parseJsonLines(lines, problems)
    : parseCsv(lines, problems);
  if (problems.length === 0 && samples.length === 0) problems.push('the trace holds no samples');
  for (let i = 1; i < samples.length && problems.length === 0; i++) {
    if (samples[i]!.timeMs <= samples[i - 1]!.timeMs)
      problems.push(
        `sample ${i + 1}: time ${new Date(samples[i]!.timeMs).toISOString()} is not after the one before`,
      );
  }
  if (problems.length === 0) return { ok: true, samples };
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more`);
  return { ok: false, problems: shown };
}

/** The sample in force at `timeMs`: the last one at or before it (the trace holds its value until the next). */
export function sampleAt(samples: readonly TraceSample[], timeMs: number, from = 0): number {
  let index = Math.max(0, from);
  while (index + 1 < samples.length && samples[index + 1]!.timeMs <= timeMs) index++;
  return index;
}
