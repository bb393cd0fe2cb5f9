// Pure renderers for `kubectl cpa logs`: raw lines (kubelet stamp kept or dropped, pod prefix, colour per
// pod) and the compact per-cycle decision line.
import { escapeTerminal } from '../status/terminal-text.ts';
import type { Cycle } from './cycles.ts';
import { splitStamp } from './line.ts';
import { errorWithStderr } from './summary.ts';

/** SGR colours given to pods in turn (cyan, green, yellow, magenta, blue, red). */
const PALETTE = [36, 32, 33, 35, 34, 31];

/** The colour of the n-th pod seen. */
export function podColor(index: number): number {
  return PALETTE[index % PALETTE.length]!;
}

/** How a line is decorated. */
export interface LineStyle {
  /** Keep the kubelet stamp (`--timestamps`). */
  timestamps: boolean;
  /** `[pod/NAME/CONTAINER] ` in front, when more than one pod is shown. */
  prefix?: string;
  /** SGR colour of the prefix; absent when not on a TTY or NO_COLOR is set. */
  color?: number;
}

/** The kubectl-style prefix of a pod's lines. */
export function podPrefix(pod: string, container: string): string {
  return container === '' ? `[pod/${pod}] ` : `[pod/${pod}/${container}] `;
}

function decorate(text: string, style: LineStyle): string {
  if (style.prefix === undefined) return text;
  const prefix = style.color === undefined ? style.prefix : `\u001b[${style.color}m${style.prefix}\u001b[0m`;
  return prefix + text;
}

/** One raw log line as shown (without newline). */
export function renderLine(raw: string, style: LineStyle): string {
  const text = style.timestamps ? raw : (splitStamp(raw)?.rest ?? raw);
  return decorate(text, style);
}

/** `2026-06-12T14:03:15Z` from an RFC 3339 time; `06-12 14:03:15` from glog's year-less clock. */
export function cycleTime(cycle: Cycle): string {
  if (cycle.time !== undefined) return cycle.time.replace(/\.\d+/, '').replace(/\+00:00$/, 'Z');
  const m = /^(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(cycle.clock ?? '');
  return m === null ? '?' : `${m[1]}-${m[2]} ${m[3]}`;
}

const num = (n: number | undefined): string => (n === undefined ? '?' : String(n));

/**
 * The decision line of one cycle: `TIME  eval E  FROM → TO  REASONS  [error: …]`, `?` where the log's
 * verbosity did not say. Multi-line errors are kept on one line (`\n` shown as `⏎`). The log is outside
 * input: its other control characters are escaped, as kubectl escapes them (CVE-2021-25743).
 */
export function renderDecision(cycle: Cycle, style: LineStyle): string {
  const reasons = cycle.reasons.length > 0 ? cycle.reasons.join(',') : 'Failed';
  const tags = [
    cycle.runType === undefined ? '' : ` [${cycle.runType}]`,
    cycle.dryRun === true ? ' (dry run)' : '',
  ].join('');
  const fields = [
    cycleTime(cycle).padEnd(20),
    `eval ${num(cycle.evaluation)}`.padEnd(9),
    `${num(cycle.from)} → ${num(cycle.to)}`.padEnd(9),
    reasons + tags,
  ];
  if (cycle.error !== undefined) fields.push(` error: ${errorWithStderr(cycle.error, cycle.stderr)}`);
  return decorate(escapeTerminal(fields.join(' '), '\n').replace(/\n/g, '⏎').trimEnd(), style);
}

/** Go CPA logs the evaluation from logVerbosity 2 and metric values from 3 (spec §8.3). */
export function verbosityHint(cycle: Cycle, verbosity: number | 'unknown'): string | undefined {
  if (cycle.format !== 'glog' || cycle.evaluation !== undefined) return undefined;
  if (verbosity !== 'unknown' && verbosity >= 2) return undefined;
  return (
    'evaluations show as ? because this autoscaler logs them only from logVerbosity 2 (metric values from 3); ' +
    'add {name: logVerbosity, value: "3"} to spec.config of the CustomPodAutoscaler ' +
    '(the operator then recreates its pod)'
  );
}
