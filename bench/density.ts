// Density: 1,000 autoscalers in one `kubectl cpa run --all PARENT` at a 15 s interval (start times spread
// by the runner), HTTP metric and evaluate hooks served by one loopback server in this process, against the
// real kube-apiserver of the test harness (1,000 Deployments) and against the embedded sandbox (`--sandbox`,
// the same Deployments loaded from each DIR/deployment.yaml). Prints the runner's CPU (% of one core), peak
// and steady RSS, p50/p99 tick lateness, Kubernetes API requests per second and per cycle, each beside its
// goal; when a goal is missed, a short CPU profile (--cpu-prof) says what dominates. Prints only: no
// assertion. Run alone with `node scripts/pinned-node.mjs bench/density.ts [real|sandbox]`.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as netServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { clusterPaths } from '../test/cluster/paths.ts';
import { useCluster, type TestCluster } from '../test/support/cluster.ts';
import { parsePrometheusText, type Family } from '../test/support/prom-text.ts';
import { summariseProfile, type CpuProfile } from './peer-profile.ts';
import { sampleProc, type ProcSample } from './peer-runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env['BENCH_DENSITY_N'] ?? 1000);
const INTERVAL_MS = 15_000;
const MEASURE_MS = Number(process.env['BENCH_DENSITY_MS'] ?? 30_000);
const GOALS = { cpuPct: 10, rssMiB: 200, p99LateMs: 100 };

type Out = (line?: string) => void;

/** The loopback server both hooks call: GET /metric → 1, POST /evaluate → {"targetReplicas": 1}. */
async function hookServer(): Promise<{ server: Server; port: number; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/metric')) res.end('1');
      else res.end('{"targetReplicas": 1}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, port, calls: () => calls };
}

async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const deploymentYaml = (name: string, ns: string): string =>
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 1
  paused: true
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}
`;

/** PARENT/a0000 … with one config each (and deployment.yaml for the sandbox). */
function writeAutoscalers(parent: string, ns: string, hookPort: number): void {
  for (let i = 0; i < N; i++) {
    const name = `d${String(i).padStart(4, '0')}`;
    const dir = join(parent, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.yaml'),
      `name: ${name}
namespace: ${ns}
interval: ${INTERVAL_MS}
startTime: 0
runMode: per-resource
minReplicas: 1
maxReplicas: 3
scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
metric: {type: http, timeout: 5000, http: {method: GET, url: "http://127.0.0.1:${hookPort}/metric", successCodes: [200], parameterMode: query}}
evaluate: {type: http, timeout: 5000, http: {method: POST, url: "http://127.0.0.1:${hookPort}/evaluate", successCodes: [200], parameterMode: body}}
`,
    );
    writeFileSync(join(dir, 'deployment.yaml'), deploymentYaml(name, ns));
  }
}

/** Creates the N Deployments on the real API server, 50 requests at a time. */
async function createDeployments(cluster: TestCluster, ns: string): Promise<void> {
  const names = Array.from({ length: N }, (_, i) => `d${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(
      names.slice(i, i + 50).map(async (name) => {
        const body = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: {
            replicas: 1,
            paused: true,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: { containers: [{ name: 'c', image: 'registry.invalid/x:1' }] },
            },
          },
        };
        const r = await cluster.api('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, body);
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.body.slice(0, 200)}`);
      }),
    );
  }
}

async function scrape(port: number): Promise<Map<string, Family> | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    return parsePrometheusText(await res.text());
  } catch {
    return null;
  }
}

function sum(f: Map<string, Family> | null, name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const family of f?.values() ?? [])
    for (const s of family.samples)
      if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  return total;
}

/**
 * A quantile of the tick lateness over the window between two scrapes: the histogram's buckets diffed,
 * interpolated inside the bucket as PromQL's histogram_quantile does.
 */
function windowQuantile(
  before: Map<string, Family> | null,
  after: Map<string, Family> | null,
  q: number,
  family = 'kubectl_cpa_tick_lateness_seconds',
): number {
  const buckets = (f: Map<string, Family> | null): Map<number, number> => {
    const m = new Map<number, number>();
    for (const s of f?.get(family)?.samples ?? []) {
      if (!s.name.endsWith('_bucket')) continue;
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      m.set(le, (m.get(le) ?? 0) + s.value); // summed over every autoscaler's series
    }
    return m;
  };
  const b0 = buckets(before);
  const diff = [...buckets(after)]
    .map(([le, n]) => [le, n - (b0.get(le) ?? 0)] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = diff.at(-1)?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of diff) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Figures {
  cpuPct: number;
  peakRssMiB: number;
  steadyRssMiB: number;
  p50LateMs: number;
  p99LateMs: number;
  apiPerSec: number;
  apiPerCycle: number;
  byMethod: string;
  cyclesPerSec: number;
  errorsPerSec: number;
  hookCallsPerSec: number;
  readyAfterMs: number;
  cycleP50Ms: number;
  cycleP99Ms: number;
  heapUsedMiB: number;
  externalMiB: number;
  loadAverage: string;
  hookP50Ms: number;
  hooksWaiting: number;
}

/** Starts the runner over PARENT, waits for /readyz, measures MEASURE_MS; with `profileDir`, profiles it. */
async function measure(
  kind: 'real' | 'sandbox',
  parent: string,
  kubeconfig: string | undefined,
  hooks: { calls: () => number },
  profileDir?: string,
): Promise<Figures> {
  const metricsPort = await freePort();
  const args = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    join(root, 'dist', 'lib', 'kubectl-cpa.cjs'),
    'run',
    '--all',
    parent,
    '--no-api',
    '--metrics-addr',
    `127.0.0.1:${metricsPort}`,
    ...(kind === 'sandbox' ? ['--sandbox'] : []),
  ];
  // The log goes to a file, as a container runtime drains it: a pipe that this busy process reads late
  // would block the runner's synchronous stderr writes and show up as its own lateness.
  const logFile = join(parent, '..', `run-${kind}${profileDir ? '-profiled' : ''}.log`);
  const logFd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...(kubeconfig ? { KUBECONFIG: kubeconfig } : {}) },
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  const tailOf = (): string => readFileSync(logFile, 'utf8').slice(-4000);
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const samples: ProcSample[] = [];
  const started = Date.now();
  try {
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const s = sampleProc(child.pid!);
        samples.push(s);
        peakKiB = Math.max(peakKiB, s.rssKiB);
      } catch {
        /* exited */
      }
    }, 1000);
    try {
      // Ready once every autoscaler completed its first cycle (the last starts ~one interval late).
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the runner exited ${child.exitCode}:\n${tailOf()}`);
        const r = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => null);
        if (r?.status === 200) break;
        if (Date.now() - started > 180_000) throw new Error(`not ready after 180 s:\n${tailOf()}`);
        await sleep(500);
      }
      const readyAfterMs = Date.now() - started;
      const before = await scrape(metricsPort);
      const hooksBefore = hooks.calls();
      const from = samples.length;
      const t0 = Date.now();
      await sleep(MEASURE_MS);
      const after = await scrape(metricsPort);
      const seconds = (Date.now() - t0) / 1000;
      const window = samples.slice(from);
      const first = window[0]!;
      const last = window.at(-1)!;
      const cycles = sum(after, 'kubectl_cpa_cycles_total') - sum(before, 'kubectl_cpa_cycles_total');
      const errors =
        sum(after, 'kubectl_cpa_cycles_total', { result: 'error' }) -
        sum(before, 'kubectl_cpa_cycles_total', { result: 'error' });
      const api =
        sum(after, 'kubectl_cpa_kube_requests_total') - sum(before, 'kubectl_cpa_kube_requests_total');
      const methods = ['GET', 'PATCH', 'POST', 'LIST'].map((m) => {
        const n =
          sum(after, 'kubectl_cpa_kube_requests_total', { method: m }) -
          sum(before, 'kubectl_cpa_kube_requests_total', { method: m });
        return `${m} ${(n / Math.max(1, cycles)).toFixed(2)}`;
      });
      const q = (quantile: number): number => windowQuantile(before, after, quantile) * 1000;
      return {
        cpuPct: ((last.cpuMs - first.cpuMs) / (last.atMs - first.atMs)) * 100,
        peakRssMiB: peakKiB / 1024,
        steadyRssMiB: median(window.map((s) => s.rssKiB)) / 1024,
        p50LateMs: q(0.5),
        p99LateMs: q(0.99),
        apiPerSec: api / seconds,
        apiPerCycle: api / Math.max(1, cycles),
        byMethod: methods.join(', '),
        cyclesPerSec: cycles / seconds,
        errorsPerSec: errors / seconds,
        hookCallsPerSec: (hooks.calls() - hooksBefore) / seconds,
        readyAfterMs,
        cycleP50Ms: windowQuantile(before, after, 0.5, 'kubectl_cpa_cycle_duration_seconds') * 1000,
        cycleP99Ms: windowQuantile(before, after, 0.99, 'kubectl_cpa_cycle_duration_seconds') * 1000,
        hookP50Ms: windowQuantile(before, after, 0.5, 'kubectl_cpa_hook_duration_seconds') * 1000,
        hooksWaiting: sum(after, 'kubectl_cpa_hooks_waiting'),
        heapUsedMiB: sum(after, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        externalMiB: sum(after, 'nodejs_external_memory_bytes') / 2 ** 20,
        loadAverage: loadavg()
          .map((l) => l.toFixed(1))
          .join(' '),
      };
    } finally {
      clearInterval(poll);
    }
  } finally {
    child.kill('SIGTERM');
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(guard);
  }
}

/** The top self-time functions of the profile written to `dir`, per cycle, over the whole run. */
function profileLines(dir: string, cycles: number): string[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return ['(no profile written)'];
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const s = summariseProfile(p, 0, Number.MAX_SAFE_INTEGER, cycles);
  return [
    `sampled ${s.sampledMsPerCycle.toFixed(3)} ms of CPU per cycle; top self time per cycle:`,
    ...s.top.slice(0, 8).map((t) => `  ${t.msPerCycle.toFixed(3).padStart(7)} ms  ${t.name}`),
    ...s.subtrees.map((t) => `  ${t.msPerCycle.toFixed(3).padStart(7)} ms  ${t.name}`),
  ];
}

function report(out: Out, label: string, f: Figures): void {
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  out(`  ${label}: ready after ${(f.readyAfterMs / 1000).toFixed(1)} s; measured ${MEASURE_MS / 1000} s`);
  out(
    `    runner CPU             ${f.cpuPct.toFixed(1).padStart(6)} % of one core   (goal ≤ ${GOALS.cpuPct} %: ${mark(f.cpuPct <= GOALS.cpuPct)})`,
  );
  out(
    `    RSS peak / steady      ${f.peakRssMiB.toFixed(0).padStart(6)} / ${f.steadyRssMiB.toFixed(0)} MiB  (goal ≤ ${GOALS.rssMiB} MB: ${mark(f.peakRssMiB <= GOALS.rssMiB)})`,
  );
  out(
    `    tick lateness p50/p99  ${f.p50LateMs.toFixed(1).padStart(6)} / ${f.p99LateMs.toFixed(1)} ms   (goal p99 ≤ ${GOALS.p99LateMs} ms: ${mark(f.p99LateMs <= GOALS.p99LateMs)})`,
  );
  out(
    `    Kubernetes API         ${f.apiPerSec.toFixed(1).padStart(6)} requests/s, ${f.apiPerCycle.toFixed(2)} per cycle (${f.byMethod}); goal for an unchanged cycle ≤ 1 scale read, no write`,
  );
  out(
    `    cycle duration p50/p99 ${f.cycleP50Ms.toFixed(0).padStart(6)} / ${f.cycleP99Ms.toFixed(0)} ms (a tick waits for the cycle before it: cycles longer than the interval make later ticks late)`,
  );
  out(
    `    hook call p50          ${f.hookP50Ms.toFixed(0).padStart(6)} ms once started; ${f.hooksWaiting} calls waiting for a --max-hooks slot at the end`,
  );
  out(
    `    V8 heap used / external ${f.heapUsedMiB.toFixed(0).padStart(5)} / ${f.externalMiB.toFixed(0)} MiB of the RSS; machine: ${cpus().length} cores, load average ${f.loadAverage} (1/5/15 min) at the end`,
  );
  out(
    `    cycles                 ${f.cyclesPerSec.toFixed(1).padStart(6)} /s (${(N / (INTERVAL_MS / 1000)).toFixed(1)} expected), failed ${f.errorsPerSec.toFixed(2)} /s; hook calls ${f.hookCallsPerSec.toFixed(1)} /s`,
  );
}

/** Runs the density bench against `kinds` and prints the figures. */
export async function benchDensity(
  out: Out,
  kinds: ('real' | 'sandbox')[] = ['real', 'sandbox'],
): Promise<void> {
  out(
    `Density (${N} autoscalers in one process, ${INTERVAL_MS / 1000} s interval, HTTP hooks on one loopback server)`,
  );
  if (!existsSync(clusterPaths.clusterJson)) return out('  no test cluster (npm run cluster:up), skipped');
  const hooks = await hookServer();
  const work = mkdtempSync(join(tmpdir(), 'cpa-density-'));
  try {
    for (const kind of kinds) {
      const parent = join(work, kind);
      let kubeconfig: string | undefined;
      let ns = 'default';
      if (kind === 'real') {
        const cluster = await useCluster();
        ns = await cluster.createNamespace('density');
        process.stderr.write(`bench: creating ${N} Deployments in ${ns}...\n`);
        await createDeployments(cluster, ns);
        kubeconfig = cluster.adminKubeconfig;
      }
      writeAutoscalers(parent, ns, hooks.port);
      process.stderr.write(
        `bench: density against the ${kind} API server (about ${Math.round((MEASURE_MS + 40_000) / 1000)} s)...\n`,
      );
      const f = await measure(kind, parent, kubeconfig, hooks);
      report(
        out,
        kind === 'real' ? 'real kube-apiserver' : 'embedded sandbox (runner and sandbox in one process)',
        f,
      );
      const missed = f.cpuPct > GOALS.cpuPct || f.peakRssMiB > GOALS.rssMiB || f.p99LateMs > GOALS.p99LateMs;
      if (missed && kind === 'real' && process.env['BENCH_DENSITY_PROFILE'] !== '0') {
        const dir = join(work, `profile-${kind}`);
        mkdirSync(dir);
        process.stderr.write('bench: a goal was missed; profiling a second run (--cpu-prof)...\n');
        const p = await measure(kind, parent, kubeconfig, hooks, dir);
        const cycles = Math.round(p.cyclesPerSec * (MEASURE_MS / 1000) + N);
        out(`    CPU profile of a second run (--cpu-prof; about ${cycles} cycles):`);
        for (const line of profileLines(dir, cycles)) out(`      ${line}`);
      }
    }
  } finally {
    hooks.server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const asked = process.argv[2];
  const kinds: ('real' | 'sandbox')[] | undefined =
    asked === 'real' || asked === 'sandbox' ? [asked] : undefined;
  await benchDensity((line = '') => void process.stdout.write(`${line}\n`), kinds);
  process.exit(0);
}
