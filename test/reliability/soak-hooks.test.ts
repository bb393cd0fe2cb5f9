// Hook faults over 1,000 cycles: the real pipeline (runCycle) with the real process runner, the evaluate
// hook rotating through the ways user code goes wrong — hanging past its timeout with grandchildren, output
// over the limit, bytes that are not UTF-8, malformed evaluations, a failing exit code, death by signal, a
// background child left behind — between healthy cycles. Each fault must end as a failed cycle (a healthy
// one as a decision), the process's memory must stay flat, and no process of any hook may outlive the run:
// every hook and everything it starts carries a unique marker in its environment, and /proc is scanned for it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { runProcess } from '../../src/adapters/process.ts';
import type { CycleContext } from '../../src/autoscaler/context.ts';
import { runCycle } from '../../src/autoscaler/cycle.ts';
import type { Method } from '../../src/config/types.ts';
import { FakeKube, testConfig } from '../support/fakes.ts';

const CYCLES = 1_000;
const WARM_UP = 100;
const MARKER = `cpa-soak-${randomUUID()}`;

/** The evaluate step of one fault mode, and what the cycle's outcome must look like. */
interface Mode {
  name: string;
  script: string;
  timeoutMs?: number;
  /** A pattern of the cycle's error message, or null for a healthy cycle. */
  want: RegExp | null;
}

const MODES: Mode[] = [
  { name: 'healthy', script: `echo '{"targetReplicas": 3}'`, want: null },
  {
    name: 'hang past the timeout with grandchildren',
    script: 'sleep 30 & sleep 30 & sleep 30',
    timeoutMs: 60,
    want: /timed out after 60ms/,
  },
  {
    name: 'stdout over the 1 MiB limit',
    script: `head -c 3000000 /dev/zero | tr '\\0' x`,
    want: /exceeded 1 MiB limit/,
  },
  { name: 'not UTF-8', script: `printf '\\377\\376{"targetReplicas": 2}'`, want: /evaluat/i },
  { name: 'malformed evaluation', script: `echo '{"targetReplicas": "three"}'`, want: /evaluat/i },
  { name: 'not JSON at all', script: 'echo nope', want: /evaluat/i },
  { name: 'exit status 3', script: 'echo broken >&2; exit 3', want: /exit status 3/ },
  { name: 'killed by a signal', script: 'kill -SEGV $$', want: /signal/ },
  {
    name: 'a background child left behind',
    script: `(sleep 30 >/dev/null 2>&1 &); echo '{"targetReplicas": 4}'`,
    want: null,
  },
];

function evaluateMethod(mode: Mode): Method {
  return {
    type: 'shell',
    timeoutMs: mode.timeoutMs ?? 5_000,
    // The marker also goes into the hook's command line, so `ps` shows which hooks these are.
    shell: { entrypoint: '/bin/sh', command: ['-c', `: ${MARKER}; ${mode.script}`], logStderr: false },
  };
}

/** Pids of live (not zombie) processes whose environment or command line carries the marker. */
function markedProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (env.includes(MARKER) || cmd.includes(MARKER)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function rssMiB(): number {
  gc();
  return process.memoryUsage().rss / 1024 / 1024;
}

test(
  `${CYCLES} cycles of hook faults: every fault a failed cycle, RSS flat, no process left behind`,
  { timeout: 150_000 },
  async (t) => {
    const kube = new FakeKube(2);
    const configs = MODES.map((mode) =>
      testConfig({
        metric: evaluateMethod({ name: 'metric', script: 'echo 1', want: null }),
        evaluate: evaluateMethod(mode),
      }),
    );
    const ctx: CycleContext = {
      config: configs[0]!,
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      namespace: 'default',
      kube,
      methods: {
        runner: runProcess,
        request: async () => ({ kind: 'error', message: 'no http hooks here', durationMs: 0 }),
        files: { readText: async () => null, exists: async () => false },
        cwd: '/tmp',
        env: { PATH: process.env['PATH'], CPA_SOAK_MARKER: MARKER },
      },
      clock: { nowMs: () => Date.now(), sleep: async () => {} },
      logger: { log: () => {}, enabled: () => false },
      state: { history: [], consecutiveFailures: 0 },
      dryRun: false,
    };
    const wrong: string[] = [];
    let baseline = 0;
    let peak = 0;
    const startedMs = Date.now();
    for (let i = 0; i < CYCLES; i++) {
      const mode = MODES[i % MODES.length]!;
      ctx.config = configs[i % MODES.length]!;
      const report = await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' });
      const message = report.error?.message;
      const ok =
        mode.want === null ? message === undefined : message !== undefined && mode.want.test(message);
      if (!ok && wrong.length < 5) wrong.push(`cycle ${i} (${mode.name}): ${message ?? 'no error'}`);
      if (i === WARM_UP) baseline = rssMiB();
      if (i > WARM_UP && i % 100 === 0) peak = Math.max(peak, rssMiB());
    }
    const end = rssMiB();
    peak = Math.max(peak, end);
    // The group kill is synchronous, but the kernel may take a moment to tear processes down.
    let left = markedProcesses();
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = markedProcesses();
    }
    t.diagnostic(
      `${CYCLES} cycles in ${((Date.now() - startedMs) / 1000).toFixed(1)} s; RSS after ${WARM_UP} cycles ` +
        `${baseline.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB, end ${end.toFixed(1)} MiB ` +
        `(growth ${(peak - baseline).toFixed(1)} MiB); processes left: ${left.length}`,
    );
    assert.deepEqual(wrong, [], 'cycles that did not end as their fault should');
    assert.deepEqual(
      left.map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ')}`),
      [],
      'hook processes outlived their call',
    );
    assert.ok(peak - baseline < 30, `RSS grew by ${(peak - baseline).toFixed(1)} MiB over ${CYCLES} cycles`);
  },
);
