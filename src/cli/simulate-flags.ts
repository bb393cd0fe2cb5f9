// `kubectl cpa simulate` flags: parsed and validated as a whole (every problem reported at once). Pure.
import { parseDuration } from '../config/duration.ts';
import { UsageError } from '../errors.ts';
import { parseTime } from '../simulate/trace.ts';

/** Raw options as commander delivers them. */
export interface RawSimulateFlags {
  filename?: string;
  trace?: string;
  prometheus?: string;
  query?: string;
  step?: string;
  interval?: string;
  startReplicas?: string;
  from?: string;
  to?: string;
  readyDelay?: string;
  liveMetrics?: boolean;
  hooks?: boolean;
  output?: string;
  chart?: string;
  v?: string;
}

/** Where the trace comes from. */
export type TraceSource =
  { kind: 'file'; path: string } | { kind: 'prometheus'; url: string; query: string; stepMs?: number };

/** Validated options of one `simulate`. */
export interface SimulateFlags {
  dir: string;
  configFile?: string;
  source: TraceSource;
  intervalMs?: number;
  startReplicas: number;
  fromMs?: number;
  toMs?: number;
  readyDelayMs: number;
  liveMetrics: boolean;
  hooks: boolean;
  output: 'table' | 'json' | 'csv';
  chart?: { path: string; format: 'svg' | 'html' };
  verbosity: number;
}

const OUTPUTS = ['table', 'json', 'csv'] as const;

function duration(
  flag: string,
  raw: string | undefined,
  problems: string[],
  positive: boolean,
): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === null || (positive && ms <= 0) || ms < 0) {
    problems.push(
      `--${flag}: "${raw}" is not a ${positive ? 'positive ' : ''}duration; use e.g. 500ms, 15s, 1m`,
    );
    return undefined;
  }
  return ms;
}

function time(flag: string, raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseTime(raw);
  if (ms === null)
    problems.push(`--${flag}: "${raw}" is not an ISO 8601 time (2026-12-01T00:00:00Z) or epoch seconds`);
  return ms ?? undefined;
}

function source(raw: RawSimulateFlags, problems: string[]): TraceSource | undefined {
  if (raw.trace !== undefined && raw.prometheus !== undefined) {
    problems.push('--trace and --prometheus cannot be used together: the trace comes from one of them');
    return undefined;
  }
  if (raw.prometheus !== undefined) {
    if (!/^https?:\/\/[^/]/.test(raw.prometheus))
      problems.push(`--prometheus: "${raw.prometheus}" is not an http(s) URL (e.g. http://prometheus:9090)`);
    if (raw.query === undefined || raw.query.trim() === '')
      problems.push(
        '--prometheus needs --query PROMQL (the metric over time, e.g. sum(rate(http_requests_total[1m])))',
      );
    const stepMs = duration('step', raw.step, problems, true);
    return {
      kind: 'prometheus',
      url: raw.prometheus,
      query: raw.query ?? '',
      ...(stepMs === undefined ? {} : { stepMs }),
    };
  }
  if (raw.query !== undefined || raw.step !== undefined)
    problems.push('--query and --step go with --prometheus URL');
  if (raw.trace === undefined || raw.trace === '') {
    problems.push('a trace is needed: --trace FILE (CSV or JSON lines) or --prometheus URL --query PROMQL');
    return undefined;
  }
  return { kind: 'file', path: raw.trace };
}

function chart(raw: string | undefined, problems: string[]): SimulateFlags['chart'] {
  if (raw === undefined) return undefined;
  const format = raw.endsWith('.svg') ? 'svg' : raw.endsWith('.html') || raw.endsWith('.htm') ? 'html' : null;
  if (format === null) {
    problems.push(`--chart: "${raw}" must end in .svg or .html (the chart's format follows the name)`);
    return undefined;
  }
  return { path: raw, format };
}

/** Validates the flags; throws one UsageError listing every problem. */
export function validateSimulateFlags(dir: string | undefined, raw: RawSimulateFlags): SimulateFlags {
  const problems: string[] = [];
  const src = source(raw, problems);
  const intervalMs = duration('interval', raw.interval, problems, true);
  const readyDelayMs = duration('ready-delay', raw.readyDelay, problems, false) ?? 0;
  const startReplicas = raw.startReplicas === undefined ? 1 : Number(raw.startReplicas);
  if (raw.startReplicas !== undefined && !/^\d+$/.test(raw.startReplicas))
    problems.push(`--start-replicas: "${raw.startReplicas}" is not a whole number of replicas (0 or more)`);
  const fromMs = time('from', raw.from, problems);
  const toMs = time('to', raw.to, problems);
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) problems.push('--to is before --from');
  const output = raw.output ?? 'table';
  if (!(OUTPUTS as readonly string[]).includes(output))
    problems.push(`--output: "${output}" is not one of ${OUTPUTS.join(', ')}`);
  const verbosity = raw.v === undefined ? 0 : Number(raw.v);
  if (raw.v !== undefined && !/^[0-4]$/.test(raw.v)) problems.push(`-v: "${raw.v}" is not a verbosity 0-4`);
  const chartFlag = chart(raw.chart, problems);
  if (problems.length > 0 || src === undefined)
    throw new UsageError(`invalid flags for "simulate":\n  - ${problems.join('\n  - ')}`);
  return {
    dir: dir ?? '.',
    ...(raw.filename === undefined ? {} : { configFile: raw.filename }),
    source: src,
    ...(intervalMs === undefined ? {} : { intervalMs }),
    startReplicas,
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
    readyDelayMs,
    liveMetrics: raw.liveMetrics === true,
    hooks: raw.hooks === true,
    output: output as SimulateFlags['output'],
    ...(chartFlag === undefined ? {} : { chart: chartFlag }),
    verbosity,
  };
}
