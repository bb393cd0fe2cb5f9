// kubectl-cpa's own log lines (src/logger/format.ts, text and JSON) → records. The text patterns are pinned
// to the formatter by a round-trip test (format an event, parse it back).
import { REASON_TEXT } from '../logger/format.ts';
import type { LogEntry } from './entries.ts';
import type { DecisionReason, LogRecord } from './records.ts';

/**
 * The reason words of the text format, back to their codes: REASON_TEXT inverted, so that a reason added
 * there is read here too. A phrase is matched without its parenthetical note (`autoscaling disabled (…)`):
 * DECISION's reason group stops at the first `)`, so the note never arrives whole.
 */
const REASON_WORDS: readonly (readonly [string, DecisionReason])[] = Object.entries(REASON_TEXT).map(
  ([code, text]) => [text.replace(/ \(.*$/s, ''), code as DecisionReason] as const,
);

const REASON_CODES = new Set<string>(Object.keys(REASON_TEXT));

function reasonsFromWords(text: string): DecisionReason[] {
  return text
    .split(', ')
    .map((word) => REASON_WORDS.find(([w]) => word.startsWith(w))?.[1])
    .filter((code): code is DecisionReason => code !== undefined);
}

const DECISION =
  /^\S+(?: \[(\w+)\])? (\d+)(?: → (\d+))? replicas \(evaluation (-?\d+); ([^)]*)\)( — dry run, not patched)?(?: — held by .+, not patched)? in \S+$/;
/** A dry run's line (`… would scale 1 → 3 (evaluation 3) — dry run, not patched in 5ms`); Scaled is implied. */
const WOULD_SCALE =
  /^\S+(?: \[(\w+)\])? would scale (\d+) → (\d+) \(evaluation (-?\d+)(?:; ([^)]*))?\) — dry run, not patched in \S+$/;
const DISABLED = /^\S+(?: \[(\w+)\])? (\d+) replicas: .*; evaluation (-?\d+), not scaled \(in \S+\)$/;
const CYCLE_ERROR = /^error: \S+ cycle failed \([^,]+, after [^)]*\): (.*)$/s;

/** Info messages that carry values, with the verbosity they are logged at. */
function infoRecord(message: string): { record: LogRecord; v?: number } {
  const metric = /^metric gathered for ([^:]+): (.*)$/s.exec(message);
  if (metric !== null) return { record: { kind: 'metric', resource: metric[1], value: metric[2]! }, v: 3 };
  const raw = /^evaluation determined: (.*)$/s.exec(message);
  if (raw !== null) return { record: { kind: 'evaluation-raw', raw: raw[1]! }, v: 3 };
  const scale = /^scale: (\d+) replicas, selector /.exec(message);
  if (scale !== null) return { record: { kind: 'current', replicas: Number(scale[1]) }, v: 2 };
  if (/^(\S+ hook response: |per-pod mode: )/.test(message)) return { record: { kind: 'detail' }, v: 3 };
  // `calling metric (shell): python /metric.py`; older versions ended at the parenthesis.
  if (/^calling .+ \((shell|http)\)(: .*)?$/s.test(message)) return { record: { kind: 'detail' }, v: 4 };
  if (/^(autoscaling \S+ in \S+ every |REST API |received SIG)/.test(message))
    return { record: { kind: 'lifecycle' }, v: 0 };
  return { record: { kind: 'other' } };
}

function textRecord(line: string): { record: LogRecord; v?: number } {
  // A process running several autoscalers starts each of their lines with `[NAME] `.
  const message = line.replace(/^\[[A-Za-z0-9._-]+\] /, '');
  const d = DECISION.exec(message);
  if (d !== null) {
    const [, runType, from, to, evaluation, words, dry] = d;
    const record: LogRecord = {
      kind: 'decision',
      from: Number(from),
      to: Number(to ?? from),
      evaluation: Number(evaluation),
      reasons: reasonsFromWords(words!),
      ...(runType === undefined ? {} : { runType }),
      ...(dry === undefined ? {} : { dryRun: true }),
    };
    return { record, v: 0 };
  }
  const would = WOULD_SCALE.exec(message);
  if (would !== null) {
    const [, runType, from, to, evaluation, words] = would;
    const record: LogRecord = {
      kind: 'decision',
      from: Number(from),
      to: Number(to),
      evaluation: Number(evaluation),
      // The line leaves Scaled out ("would scale" says it); a change implies it, as the decision chain adds it last.
      reasons: [...reasonsFromWords(words ?? ''), ...(from === to ? [] : (['Scaled'] as const))],
      ...(runType === undefined ? {} : { runType }),
      dryRun: true,
    };
    return { record, v: 0 };
  }
  const off = DISABLED.exec(message);
  if (off !== null) {
    const [, runType, from, evaluation] = off;
    const base = {
      kind: 'decision',
      from: Number(from),
      to: Number(from),
      evaluation: Number(evaluation),
    } as const;
    const record: LogRecord = { ...base, reasons: ['AutoscalingDisabled'], ...(runType ? { runType } : {}) };
    return { record, v: 0 };
  }
  const failed = CYCLE_ERROR.exec(message);
  if (failed !== null) return { record: { kind: 'error', message: failed[1]!, cycle: true }, v: 0 };
  const hook = /^stderr of [^:\n]+:\n?(.*)$/s.exec(message);
  if (hook !== null) return { record: { kind: 'stderr', text: hook[1]!, failed: false }, v: 0 };
  if (message.startsWith('error: '))
    return { record: { kind: 'error', message: message.slice(7), cycle: false } };
  return infoRecord(message);
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function jsonRecord(json: Record<string, unknown>): { record: LogRecord; v?: number } {
  const runType = typeof json.runType === 'string' && json.runType !== 'scaler' ? json.runType : undefined;
  switch (json.event) {
    case 'decision': {
      const reasons = Array.isArray(json.reasons)
        ? json.reasons.filter((r): r is DecisionReason => typeof r === 'string' && REASON_CODES.has(r))
        : [];
      const from = num(json.from) ?? 0;
      const record: LogRecord = {
        kind: 'decision',
        from,
        to: num(json.to) ?? from,
        evaluation: num(json.evaluation),
        reasons,
        ...(runType === undefined ? {} : { runType }),
        ...(json.action === 'would-scale' ? { dryRun: true } : {}),
      };
      return { record, v: 0 };
    }
    case 'cycle-error':
      return { record: { kind: 'error', message: String(json.message ?? ''), cycle: true }, v: 0 };
    case 'hook-stderr':
      return {
        record: { kind: 'stderr', text: String(json.stderr ?? '').replace(/\n+$/, ''), failed: false },
        v: 0,
      };
    case 'info': {
      const found = infoRecord(String(json.message ?? ''));
      return { record: found.record, v: num(json.v) };
    }
    default:
      return { record: { kind: 'other' } };
  }
}

/** Classifies an entry written by kubectl-cpa (`--log-format text` or `json`). */
export function classifyOwn(entry: LogEntry): { record: LogRecord; v?: number } {
  if (entry.format === 'json' && entry.json !== undefined) return jsonRecord(entry.json);
  return textRecord(entry.message);
}
