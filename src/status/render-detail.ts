// `kubectl cpa status NAME`: a `kubectl describe hpa`-like view of one autoscaler. Pure.
import { conditionsOf, decisionChain } from './conditions.ts';
import { chainRows } from './render-chain.ts';
import type { EventRow } from './events.ts';
import { age, alignColumns, forTerminal, metricsText, stateText, targetText } from './format.ts';
import type { AutoscalerStatus } from './model.ts';
import { kubernetesMetricRows } from '../autoscaler/k8s-metrics/summary.ts';

export interface DetailOptions {
  nowMs: number;
  color: boolean;
  /** The target's Events, oldest first; null when they could not be read. */
  events: EventRow[] | null;
}

/** `3m ago (2025-01-01T10:00:00Z)` or `<none>`. */
function when(time: string | null, nowMs: number): string {
  return time === null ? '<none>' : `${age(time, nowMs)} ago (${time})`;
}

/** Width of the label column, as describe aligns it (the longest top-level label plus two). */
const LABEL_WIDTH = 'Downscale stabilization:'.length + 2;

/** `Label:` padded to one column, as describe does; nested rows use their own width. */
function fields(rows: [string, string][], indent = ''): string {
  const width = indent === '' ? LABEL_WIDTH : Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}${v}\n`).join('');
}

function header(item: AutoscalerStatus, o: DetailOptions): [string, string][] {
  const source =
    item.source === 'logs'
      ? `logs (pod ${item.pod === null ? '<none>' : `${item.pod.name}, ${item.pod.phase}`})`
      : item.source === 'in-cluster'
        ? `in-cluster (leader pod ${item.leader ?? '<unknown>'}; kubectl-cpa.io/status on ${targetText(item)})`
        : `annotations (kubectl-cpa.io/status on ${targetText(item)})`;
  const runner =
    item.runner === null
      ? '<none>'
      : `${item.runner.host} (pid ${item.runner.pid}), kubectl-cpa ${item.runner.version}`;
  const cfg = item.config;
  const interval = cfg.intervalMs === null ? '<unknown>' : `${cfg.intervalMs}ms`;
  const window =
    cfg.downscaleStabilizationSec === null ? '<unknown>' : `${cfg.downscaleStabilizationSec} seconds`;
  const current = item.currentReplicas ?? '<unknown>';
  const desired = item.desiredReplicas ?? '<unknown>';
  const cycle =
    item.lastCycleTime === null
      ? 'last cycle <unknown>'
      : `last cycle ${age(item.lastCycleTime, o.nowMs)} ago`;
  return [
    ['Name', item.name],
    ['Namespace', item.namespace],
    ['Source', source],
    ['Reference', targetText(item)],
    ['Runner', runner],
    ...(item.heldBy === undefined ? [] : [['Held by', item.heldBy] as [string, string]]),
    ...(item.leader === undefined ? [] : [['Leader', item.leader] as [string, string]]),
    ['Min replicas', item.minReplicas === null ? '<unknown>' : String(item.minReplicas)],
    ['Max replicas', item.maxReplicas === null ? '<unknown>' : String(item.maxReplicas)],
    ['Interval', interval],
    ['Run mode', cfg.runMode ?? '<unknown>'],
    ['Downscale stabilization', window],
    [`${item.target.kind || 'Target'} pods`, `${current} current / ${desired} desired`],
    ['Status', `${stateText(item, o.color)} (${cycle})`],
  ];
}

function lastDecision(item: AutoscalerStatus, o: DetailOptions): string {
  const d = item.lastDecision;
  const title = fields([['Last decision', d === null ? '<none>' : `${d.reason}, ${when(d.time, o.nowMs)}`]]);
  // A record with the decision chain shows each step as the runner took it (render-chain.ts).
  const steps =
    d?.chain === undefined
      ? decisionChain(item, metricsText(item, 200))
      : [['Metrics', metricsText(item, 200)] as [string, string], ...chainRows(d.chain)];
  return title + fields([...kubernetesMetricRows(item.kubernetesMetrics), ...steps], '  ');
}

function conditions(item: AutoscalerStatus): string {
  const rows = conditionsOf(item).map((c) => ['  ' + c.type, c.status, c.reason, c.message]);
  return (
    'Conditions:\n' +
    alignColumns([
      ['  Type', 'Status', 'Reason', 'Message'],
      ['  ----', '------', '------', '-------'],
      ...rows,
    ])
  );
}

/** kubectl's Age column of an Event: `2m`, or `2m (x5 over 10m)` for a repeated one. */
export function eventAge(row: EventRow, nowMs: number): string {
  const last = age(row.lastTime, nowMs);
  if (row.count <= 1) return last;
  return `${last} (x${row.count} over ${age(row.firstTime, nowMs)})`;
}

function events(o: DetailOptions): string {
  if (o.events === null) return 'Events:  <unknown> (the Events could not be read)\n';
  if (o.events.length === 0) return 'Events:  <none>\n';
  const rows = o.events.map((e) => ['  ' + e.type, e.reason, eventAge(e, o.nowMs), e.from, e.message]);
  return (
    'Events:\n' +
    alignColumns([
      ['  Type', 'Reason', 'Age', 'From', 'Message'],
      ['  ----', '------', '----', '----', '-------'],
      ...rows,
    ])
  );
}

/** The whole detail view; outside text (record, log, Events) is escaped for the terminal, one line per value. */
export function renderDetail(raw: AutoscalerStatus, options: DetailOptions): string {
  const item = forTerminal(raw);
  const o = { ...options, events: forTerminal(options.events) };
  const err = item.lastError;
  const errorText =
    err === null
      ? '<none>'
      : `${err.stage === null ? '' : `${err.stage}: `}${err.message} (${age(err.time, o.nowMs)} ago)`;
  const tail: [string, string][] = [
    ['Last scale', when(item.lastScaleTime, o.nowMs)],
    ['Last error', errorText],
    [
      'Consecutive failures',
      item.consecutiveFailures === null ? '<unknown>' : String(item.consecutiveFailures),
    ],
  ];
  const hints = item.hints.length === 0 ? '' : 'Hints:\n' + item.hints.map((h) => `  - ${h}\n`).join('');
  return [
    fields(header(item, o)),
    lastDecision(item, o),
    fields(tail),
    conditions(item),
    hints,
    events(o),
  ].join('');
}
