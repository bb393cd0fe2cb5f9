// One autoscaler process under the side-by-side bench: launched by the bench, its stderr read line by line
// with each line's arrival time, and its /proc figures (own CPU, children's CPU, RSS) sampled at fixed
// points of its life: 100 ms after its first decision, after the warm-up cycles and after the measured ones
// (100 ms after the decision line, so that the cycle is over and the next tick is far away).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { onCleanup } from './peer-setup.ts';

/** Wall-clock time in ms with sub-ms resolution (the hooks stamp CLOCK_REALTIME in µs). */
export const wallMs = (): number => performance.timeOrigin + performance.now();

const CLK_TCK = 100; // USER_HZ on Linux: /proc/PID/stat counts CPU time in 10 ms ticks

/** What /proc says about a process at one moment. */
export interface ProcSample {
  atMs: number;
  /** utime + stime of the process itself. */
  cpuMs: number;
  /** Sum of the threads' run time in /proc/PID/task/TID/schedstat (ns resolution; exited threads are lost). */
  threadCpuMs: number;
  /** cutime + cstime: its children that it has waited for (the hook processes). */
  childCpuMs: number;
  rssKiB: number;
}

/** Reads a ProcSample of `pid`. */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  const ticks = (i: number): number => Number(f[i - 3]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let threadNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    threadNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  }
  return {
    atMs: wallMs(),
    threadCpuMs: threadNs / 1e6,
    cpuMs: ((ticks(14) + ticks(15)) * 1000) / CLK_TCK,
    childCpuMs: ((ticks(16) + ticks(17)) * 1000) / CLK_TCK,
    rssKiB: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN),
  };
}

/** How to tell the lines of one implementation apart. */
interface Dialect {
  /** The line logged when the loop starts ticking (after the startTime wait); group 1 = the wait in ms if present. */
  start: RegExp;
  /** The line that states the wait, when it is a separate line. */
  wait?: RegExp;
  decision: RegExp;
  error: RegExp;
}

export const DIALECTS: Record<'go' | 'ours', Dialect> = {
  // glog: `I1206 03:47:37.123456      42 main.go:123] Starting autoscaler`
  go: {
    start: /\] Starting autoscaler$/,
    wait: /\] Waiting (\d+) milliseconds before starting autoscaler/,
    decision: /\] (No change in target replicas|Rescaling from)/,
    error: /^[EF]\d{4} /,
  },
  ours: {
    start: /waited (\d+)ms for startTime alignment/,
    decision: /\(evaluation [^)]*\)( — dry run, not patched)? in [\d.]+m?s$/,
    error: / (error|warning): /,
  },
};

/** What to launch. */
export interface RunnerSpec {
  label: string;
  dialect: 'go' | 'ours';
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The file the hook appends its timestamps to. */
  records: string;
}

/** Sample points, by decision number (1-based): the first, the last of the warm-up, the last measured. */
export interface Marks {
  warmup: number;
  measured: number;
}

/** A launched autoscaler and everything observed of it. */
export class Runner {
  readonly child: ChildProcess;
  readonly launchMs = wallMs();
  startLineMs?: number;
  /** The startTime wait the autoscaler reported, ms. */
  waitMs?: number;
  readonly decisions: number[] = [];
  readonly problems: string[] = [];
  readonly samples = new Map<'launch' | 'first' | 'warm' | 'end', ProcSample>();
  readonly #tail: string[] = [];
  readonly started: Promise<void>;
  readonly done: Promise<void>;
  #exited = false;

  readonly spec: RunnerSpec;

  constructor(spec: RunnerSpec, marks: Marks) {
    this.spec = spec;
    const d = DIALECTS[spec.dialect];
    this.child = spawn(spec.file, spec.args, { env: spec.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = this.child.pid!;
    onCleanup(() => void (this.#exited || this.child.kill('SIGKILL')));
    let started!: () => void;
    let done!: () => void;
    let failed!: (e: Error) => void;
    this.started = new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject)));
    this.done = new Promise<void>((resolve) => (done = resolve));
    this.child.once('exit', (code, signal) => {
      this.#exited = true;
      failed(
        new Error(`${spec.label} exited (${code ?? signal}) before it started:\n${this.#tail.join('\n')}`),
      );
      done();
    });
    const later = (name: 'first' | 'warm' | 'end', then?: () => void): void =>
      void setTimeout(() => {
        if (!this.#exited) this.samples.set(name, sampleProc(pid));
        then?.();
      }, 100);
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      const at = wallMs();
      this.#tail.push(line);
      if (this.#tail.length > 20) this.#tail.shift();
      const wait = d.wait?.exec(line) ?? d.start.exec(line);
      if (wait?.[1] !== undefined) this.waitMs = Number(wait[1]);
      if (d.start.test(line)) {
        this.startLineMs = at;
        started();
      } else if (d.decision.test(line)) {
        const n = this.decisions.push(at);
        if (n === 1) later('first');
        if (n === marks.warmup) later('warm');
        if (n === marks.warmup + marks.measured) later('end', done);
      } else if (d.error.test(line) && this.problems.length < 5) this.problems.push(line);
    });
  }

  /** The last lines of stderr, for error messages. */
  tail(): string {
    return this.#tail.join('\n');
  }

  /** SIGTERM, then SIGKILL after 3 s. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const closed = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await closed;
    clearTimeout(timer);
  }
}
