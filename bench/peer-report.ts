// The figures of the side-by-side bench, computed from what was observed of each autoscaler (pure), and the
// table that prints them with the ratio kubectl-cpa / Go CPA and the goal of issue 11 beside each.
import type { ProcSample } from './peer-runner.ts';

/** One hook run as the hook itself stamped it (wall-clock ms). */
export interface HookRecord {
  kind: 'metric' | 'evaluate';
  startMs: number;
  eofMs: number;
  endMs: number;
}

/** Parses the hook's record file: `<kind> <start µs> <stdin EOF µs> <end µs>` per line. */
export function parseRecords(text: string): HookRecord[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length === 4 && (f[0] === 'metric' || f[0] === 'evaluate'))
    .map((f) => ({
      kind: f[0] as HookRecord['kind'],
      startMs: Number(f[1]) / 1000,
      eofMs: Number(f[2]) / 1000,
      endMs: Number(f[3]) / 1000,
    }));
}

/** Everything the figures are computed from, for one autoscaler. */
export interface Observed {
  label: string;
  launchMs: number;
  /** The startTime boundary the loop is anchored to: ticks at anchorMs + k × intervalMs, k ≥ 1. */
  anchorMs: number;
  waitMs: number;
  decisions: number[];
  samples: Partial<Record<'first' | 'warm' | 'end', ProcSample>>;
  records: HookRecord[];
}

/** The figures of one autoscaler (ms unless named otherwise; medians over the measured cycles). */
export interface Figures {
  cpuPerCycle: number;
  threadCpuPerCycle: number;
  wall: number;
  wallMinusHooks: number;
  beforeFirstHook: number;
  betweenHooks: number;
  afterLastHook: number;
  hookStdinWait: number;
  hookCpuPerCycle: number;
  rssMB: number;
  rssGrowthMB: number;
  launchToFirstCycle: number;
  cpuToFirstCycle: number;
  threadCpuToFirstCycle: number;
  cycles: number;
}

export const median = (xs: number[]): number =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Computes the figures from the decisions after `warmup` (the next `measured` ones). */
export function figures(o: Observed, warmup: number, measured: number, intervalMs: number): Figures {
  const tickOf = (t: number): number => Math.floor((t - o.anchorMs) / intervalMs);
  const byTick = new Map<string, HookRecord>(o.records.map((r) => [`${r.kind}${tickOf(r.startMs)}`, r]));
  const rows = o.decisions.slice(warmup, warmup + measured).flatMap((decidedMs) => {
    const k = tickOf(decidedMs);
    const tick = o.anchorMs + k * intervalMs;
    const m = byTick.get(`metric${k}`);
    const e = byTick.get(`evaluate${k}`);
    if (!m || !e) return [];
    const hooks = m.endMs - m.startMs + (e.endMs - e.startMs);
    return [
      {
        wall: decidedMs - tick,
        wallMinusHooks: decidedMs - tick - hooks,
        before: m.startMs - tick,
        between: e.startMs - m.endMs,
        after: decidedMs - e.endMs,
        stdin: m.eofMs - m.startMs + (e.eofMs - e.startMs),
      },
    ];
  });
  const col = (key: keyof (typeof rows)[number]): number => median(rows.map((r) => r[key]));
  const { first, warm, end } = o.samples;
  const per = (f: (s: ProcSample) => number): number => (warm && end ? (f(end) - f(warm)) / measured : NaN);
  return {
    cpuPerCycle: per((s) => s.cpuMs),
    threadCpuPerCycle: per((s) => s.threadCpuMs),
    wall: col('wall'),
    wallMinusHooks: col('wallMinusHooks'),
    beforeFirstHook: col('before'),
    betweenHooks: col('between'),
    afterLastHook: col('after'),
    hookStdinWait: col('stdin'),
    hookCpuPerCycle: per((s) => s.childCpuMs),
    rssMB: end ? end.rssKiB / 1024 : NaN,
    rssGrowthMB: warm && end ? (end.rssKiB - warm.rssKiB) / 1024 : NaN,
    launchToFirstCycle: (o.decisions[0] ?? NaN) - o.launchMs - o.waitMs - intervalMs,
    cpuToFirstCycle: first?.cpuMs ?? NaN,
    threadCpuToFirstCycle: first?.threadCpuMs ?? NaN,
    cycles: rows.length,
  };
}

interface Row {
  name: string;
  value: (f: Figures) => number;
  unit: string;
  /** The goal for the ratio kubectl-cpa / Go CPA (issue 11), if there is one. */
  goal?: string;
}

const ROWS: Row[] = [
  { name: 'CPU of the autoscaler process per cycle', value: (f) => f.cpuPerCycle, unit: 'ms', goal: '≤ 1.0' },
  {
    name: "  the same from the threads' schedstat (ns clock)",
    value: (f) => f.threadCpuPerCycle,
    unit: 'ms',
    goal: '≤ 1.0',
  },
  { name: 'cycle wall time, tick → decision line', value: (f) => f.wall, unit: 'ms' },
  { name: '  the same minus the two hook runs', value: (f) => f.wallMinusHooks, unit: 'ms', goal: '≤ 1.0' },
  { name: '  tick → first hook starts', value: (f) => f.beforeFirstHook, unit: 'ms' },
  { name: '  metric exits → evaluate starts', value: (f) => f.betweenHooks, unit: 'ms' },
  { name: '  evaluate exits → decision line', value: (f) => f.afterLastHook, unit: 'ms' },
  { name: '  hooks waiting for their stdin (both)', value: (f) => f.hookStdinWait, unit: 'ms' },
  { name: 'CPU of the hook processes per cycle', value: (f) => f.hookCpuPerCycle, unit: 'ms', goal: '≤ 1.2' },
  { name: 'RSS at steady state', value: (f) => f.rssMB, unit: 'MB', goal: '≤ 1.5' },
  { name: '  RSS growth over the measured cycles', value: (f) => f.rssGrowthMB, unit: 'MB' },
  {
    name: 'launch → first cycle done, minus interval and wait',
    value: (f) => f.launchToFirstCycle,
    unit: 'ms',
    goal: '≤ 3',
  },
  { name: 'CPU from launch to the first cycle', value: (f) => f.cpuToFirstCycle, unit: 'ms' },
  {
    name: "  the same from the threads' schedstat (ns clock)",
    value: (f) => f.threadCpuToFirstCycle,
    unit: 'ms',
  },
];

const num = (x: number): string => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(2));

/** The table: one row per figure; the Go CPA, then each of ours with its ratio to the Go CPA; the goal. */
export function renderTable(go: Figures, ours: { label: string; f: Figures }[]): string[] {
  const head = ['figure'.padEnd(52), 'Go CPA'.padStart(9)];
  for (const o of ours) head.push(o.label.padStart(12), 'ratio'.padStart(7));
  head.push('  goal (ratio)');
  const lines = [head.join(' ')];
  for (const r of ROWS) {
    const g = r.value(go);
    const cells = [r.name.padEnd(52), `${num(g)} ${r.unit}`.padStart(9)];
    for (const o of ours) {
      const v = r.value(o.f);
      cells.push(`${num(v)} ${r.unit}`.padStart(12), `${num(v / g)}×`.padStart(7));
    }
    cells.push(`  ${r.goal ?? ''}`);
    lines.push(cells.join(' '));
  }
  return lines;
}
