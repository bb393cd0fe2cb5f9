// The long mode of the side-by-side bench (issue 11: "RSS flat ± 2 MB over 10,000 cycles"): the Go CPA and
// our launcher against the sandbox with a short interval, RSS sampled every tenth of the run after a warm-up
// of 100 cycles. `BENCH_CPA_SOAK_CYCLES=10000 node scripts/pinned-node.mjs bench/peer.ts` (interval
// BENCH_CPA_SOAK_INTERVAL_MS, 100 ms by default: about 17 minutes). A short interval is a high allocation
// rate: V8 then grows its young generation once (up to 2 × 16 MB), so the spread is also printed for the
// last 80 % of the run, after the heap has sized itself. The sampling stops at a time limit, so an autoscaler
// that makes fewer cycles in that time (the Go CPA did, at 50 ms on a loaded machine) shows fewer samples.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Runner, sampleProc, type RunnerSpec } from './peer-runner.ts';
import { configYaml, writeServiceAccount, type Credentials } from './peer-setup.ts';
import { deployment, send } from './sandbox-procs.ts';

export interface SoakInput {
  go: string;
  hook: string;
  launcher: string;
  server: Credentials & { kubeconfig: string };
  work: string;
  baseEnv: Record<string, string>;
  cycles: number;
  intervalMs: number;
}

const WARMUP = 100;

/** RSS (MB) of one autoscaler at each tenth of the run, from cycle WARMUP on. */
interface Series {
  label: string;
  atCycle: number[];
  rssMB: number[];
}

/** Runs both autoscalers side by side for `cycles` cycles; returns the lines to print. */
export async function soak(o: SoakInput): Promise<string[]> {
  const agent = new Agent({ keepAlive: false });
  const specs: RunnerSpec[] = [];
  const removers: (() => void)[] = [];
  for (const [label, dialect] of [
    ['Go CPA', 'go'],
    ['launcher', 'ours'],
  ] as const) {
    const name = `cpa-soak-${dialect}`;
    await send(
      o.server,
      agent,
      'POST',
      `/apis/apps/v1/namespaces/${o.server.namespace}/deployments`,
      deployment(name, 1),
      'application/json',
    );
    const dir = join(o.work, `soak-${dialect}`);
    mkdirSync(dir);
    const records = join(dir, 'records');
    const configPath = join(dir, 'config.yaml');
    const text = configYaml({ name, namespace: o.server.namespace, hook: o.hook, records: '/dev/null' })
      .replace(/^interval: \d+$/m, `interval: ${o.intervalMs}`)
      .replace(/^startTime: \d+$/m, 'startTime: 1');
    writeFileSync(configPath, text);
    const sa = dialect === 'go' ? writeServiceAccount(o.server) : undefined;
    if (sa) removers.push(sa.remove);
    const env = {
      ...o.baseEnv,
      HOME: dir,
      ...(sa ? { ...sa.env, configPath } : { KUBECONFIG: o.server.kubeconfig }),
    };
    const args = dialect === 'go' ? [] : ['run', dir];
    specs.push({ label, dialect, file: dialect === 'go' ? o.go : o.launcher, args, env, records });
  }
  agent.destroy();
  const runners = specs.map((s) => new Runner(s, { warmup: WARMUP, measured: o.cycles }));
  const series: Series[] = specs.map((s) => ({ label: s.label, atCycle: [], rssMB: [] }));
  const step = Math.max(1, Math.floor(o.cycles / 10));
  try {
    await Promise.all(runners.map((r) => r.started));
    const limitMs = (WARMUP + o.cycles) * o.intervalMs * 3 + 60_000;
    const until = performance.now() + limitMs;
    const pending = (r: Runner, i: number): boolean =>
      r.child.exitCode === null && next(series[i]!, step) <= WARMUP + o.cycles;
    while (performance.now() < until && runners.some(pending)) {
      runners.forEach((r, i) => {
        const s = series[i]!;
        if (pending(r, i) && r.decisions.length >= next(s, step)) {
          s.atCycle.push(r.decisions.length);
          s.rssMB.push(sampleProc(r.child.pid!).rssKiB / 1024);
        }
      });
      await sleep(200);
    }
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    removers.forEach((remove) => remove());
  }
  return render(series, o);
}

/** The decision count at which the next sample of `s` is due. */
function next(s: Series, step: number): number {
  return WARMUP + s.atCycle.length * step;
}

function render(series: Series[], o: SoakInput): string[] {
  const lines = [
    `RSS over ${o.cycles} cycles after ${WARMUP} of warm-up (interval ${o.intervalMs} ms, sandbox); goal: flat ± 2 MB`,
  ];
  const spreadOf = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
  const verdict = (mb: number): string => (mb <= 2 ? '(flat: within 2 MB)' : '(NOT flat)');
  for (const s of series) {
    const last = s.rssMB.length - 1;
    if (last < 0) {
      lines.push(`  ${s.label.padEnd(10)} no sample (fewer than ${WARMUP} cycles)`);
      continue;
    }
    const all = spreadOf(s.rssMB);
    const tail = spreadOf(s.rssMB.slice(Math.floor(s.rssMB.length / 5)));
    lines.push(
      `  ${s.label.padEnd(10)} ${s.rssMB.map((r) => r.toFixed(1)).join(' ')} MB at cycles ${s.atCycle[0]}…${s.atCycle[last]}`,
      `  ${''.padEnd(10)} spread ${all.toFixed(1)} MB ${verdict(all)}; over the last 80 %: ${tail.toFixed(1)} MB ${verdict(tail)}`,
    );
  }
  return lines;
}
