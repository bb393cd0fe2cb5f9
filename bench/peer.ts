// `npm run bench`, issue 11: kubectl-cpa beside the Go CPA v2.12.2 (../shared/peers), same config, same
// compiled hook, same kube-apiserver (the test harness's real one, then the sandbox), all autoscalers in one
// run, each in its own quarter of the second (startTime 250 ms; the launch is timed so that Go and our
// launcher tick 500 ms apart, the SEA binary 250 ms from both). Prints the figures with the ratio
// kubectl-cpa / Go and the goal. Counts: BENCH_CPA_WARMUP (10), BENCH_CPA_CYCLES (60),
// BENCH_CPA_PROFILE_CYCLES (20; 0 skips the profile), BENCH_CPA_SERVERS (cluster,sandbox), BENCH_CPA_PODS
// (1; 0 skips the per-pod row, bench/peer-pods.ts). BENCH_CPA_SOAK_CYCLES=10000 runs only the long RSS mode
// (bench/peer-soak.ts). Run alone: `node scripts/pinned-node.mjs bench/peer.ts`.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent } from 'node:https';
import { parse } from 'yaml';
import { clusterPaths } from '../test/cluster/paths.ts';
import { useCluster } from '../test/support/cluster.ts';
import { perPodRow, renderPods } from './peer-pods.ts';
import { summariseProfile, type CpuProfile } from './peer-profile.ts';
import { figures, parseRecords, renderTable, type Figures } from './peer-report.ts';
import { Runner, wallMs, type Marks, type RunnerSpec } from './peer-runner.ts';
import { soak } from './peer-soak.ts';
import {
  INTERVAL_MS,
  START_TIME_MS,
  compileHook,
  configYaml,
  onCleanup,
  runCleanups,
  unpackPeer,
  writeServiceAccount,
  type Credentials,
} from './peer-setup.ts';
import { deployment, send } from './sandbox-procs.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const MARKS: Marks = { warmup: env('BENCH_CPA_WARMUP', 10), measured: env('BENCH_CPA_CYCLES', 60) };
const PROFILE_CYCLES = env('BENCH_CPA_PROFILE_CYCLES', 20);
const SERVERS = (process.env['BENCH_CPA_SERVERS'] ?? 'cluster,sandbox').split(',');
const PODS_ROW = env('BENCH_CPA_PODS', 1) > 0;
const SOAK_CYCLES = env('BENCH_CPA_SOAK_CYCLES', 0);

/** The programs under test. */
interface Programs {
  go: string;
  hook: string;
  launcher: string;
  sea?: string;
}

/** A kube-apiserver to run against: credentials, the kubeconfig for ours, a namespace for the Deployments. */
interface Server extends Credentials {
  name: string;
  kubeconfig: string;
}

function prepare(work: string): Programs {
  const launcher = join(root, 'dist', 'kubectl-cpa');
  if (!existsSync(launcher)) {
    process.stderr.write('bench: building dist/kubectl-cpa\n');
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('failed to build dist/kubectl-cpa');
  }
  const release = join(root, 'dist', 'release');
  const archive = existsSync(release)
    ? readdirSync(release).find((f) => f.endsWith('linux_amd64.tar.gz'))
    : '';
  let sea: string | undefined;
  if (archive) {
    mkdirSync(join(work, 'sea'));
    const x = spawnSync('tar', ['xzf', join(release, archive), '-C', join(work, 'sea'), 'kubectl-cpa']);
    if (x.status === 0) sea = join(work, 'sea', 'kubectl-cpa');
  }
  return { go: unpackPeer(work), hook: compileHook(work), launcher, sea };
}

const BASE_ENV = { PATH: '/usr/bin:/bin', TZ: 'UTC' };

/** Launches `spec` again and again until its loop is anchored at `slotMs` (mod 1 s); at most 8 tries. */
async function launchInSlot(spec: RunnerSpec, slotMs: number | undefined, guessMs: number): Promise<Runner> {
  let setupMs = guessMs; // launch → the moment it computes its startTime wait
  for (let attempt = 0; attempt < 8; attempt++) {
    if (slotMs !== undefined) {
      // Aim the wait's computation at the middle of the quarter before the slot.
      let target = Math.floor(wallMs() / 1000) * 1000 + slotMs;
      while (target - START_TIME_MS / 2 - setupMs < wallMs() + 20) target += 1000;
      await sleep(target - START_TIME_MS / 2 - setupMs - wallMs());
    }
    const r = new Runner(spec, MARKS);
    await Promise.race([
      r.started,
      sleep(20_000).then(() => {
        throw new Error(`${spec.label} did not start within 20 s:\n${r.tail()}`);
      }),
    ]);
    const anchor = Math.floor(r.startLineMs! / START_TIME_MS) * START_TIME_MS;
    if (slotMs === undefined || anchor % 1000 === slotMs) return r;
    setupMs = r.startLineMs! - (r.waitMs ?? 0) - r.launchMs;
    await r.stop();
  }
  throw new Error(`${spec.label}: could not place its ticks at ${slotMs} ms of the second`);
}

const anchorOf = (r: Runner): number => Math.floor(r.startLineMs! / START_TIME_MS) * START_TIME_MS;

/** One run of every program against `server`; returns the figures of each. */
async function session(p: Programs, server: Server, work: string): Promise<Map<string, Figures>> {
  const dir = mkdtempSync(join(work, `${server.name}-`));
  const agent = new Agent({ keepAlive: false });
  const specs: RunnerSpec[] = [];
  const sa = writeServiceAccount(server);
  const programs: [string, 'go' | 'ours', string, string[], Record<string, string>][] = [
    ['Go CPA', 'go', p.go, [], { ...sa.env }],
    ['launcher', 'ours', p.launcher, [], { KUBECONFIG: server.kubeconfig }],
  ];
  if (p.sea) programs.push(['SEA', 'ours', p.sea, [], { KUBECONFIG: server.kubeconfig }]);
  for (const [label, dialect, file, , extra] of programs) {
    const tag = label.toLowerCase().replace(/[^a-z]+/g, '');
    const name = `cpa-bench-${tag}`;
    const created = await send(
      server,
      agent,
      'POST',
      `/apis/apps/v1/namespaces/${server.namespace}/deployments`,
      deployment(name, 1),
      'application/json',
    );
    if (created.status !== 201) throw new Error(`creating deployment ${name}: HTTP ${created.status}`);
    const runDir = join(dir, tag);
    mkdirSync(runDir);
    const records = join(runDir, 'records');
    const configPath = join(runDir, 'config.yaml');
    writeFileSync(configPath, configYaml({ name, namespace: server.namespace, hook: p.hook, records }));
    const args = dialect === 'go' ? [] : ['run', runDir];
    const runEnv = { ...BASE_ENV, HOME: runDir, ...(dialect === 'go' ? { configPath } : {}), ...extra };
    specs.push({ label, dialect, file, args, env: runEnv, records });
  }
  agent.destroy();
  const runners: Runner[] = [];
  try {
    const go = await launchInSlot(specs[0]!, undefined, 50);
    runners.push(go);
    const goSlot = anchorOf(go) % 1000;
    runners.push(await launchInSlot(specs[1]!, (goSlot + 500) % 1000, 450));
    if (specs[2]) runners.push(await launchInSlot(specs[2], (goSlot + 250) % 1000, 350));
    const limitMs = (MARKS.warmup + MARKS.measured + 10) * INTERVAL_MS;
    await Promise.race([Promise.all(runners.map((r) => r.done)), sleep(limitMs)]);
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    sa.remove();
  }
  const result = new Map<string, Figures>();
  for (const r of runners) {
    for (const problem of r.problems) process.stderr.write(`bench: ${r.spec.label}: ${problem}\n`);
    const records = existsSync(r.spec.records) ? parseRecords(readFileSync(r.spec.records, 'utf8')) : [];
    const observed = {
      label: r.spec.label,
      launchMs: r.launchMs,
      anchorMs: anchorOf(r),
      waitMs: r.waitMs ?? NaN,
      decisions: r.decisions,
      samples: Object.fromEntries(r.samples),
      records,
    };
    result.set(r.spec.label, figures(observed, MARKS.warmup, MARKS.measured, INTERVAL_MS));
  }
  return result;
}

async function clusterServer(): Promise<Server> {
  if (!existsSync(clusterPaths.clusterJson)) {
    process.stderr.write('bench: starting the test cluster (npm run cluster:up)\n');
    const up = spawnSync(process.execPath, [join(root, 'test', 'cluster', 'up.ts')], { stdio: 'inherit' });
    if (up.status !== 0) throw new Error('failed to start the test cluster');
  }
  const cluster = await useCluster();
  const namespace = await cluster.createNamespace('cpa-bench');
  onCleanup(() => void cluster.api('DELETE', `/api/v1/namespaces/${namespace}`).catch(() => undefined));
  return {
    name: 'cluster',
    url: cluster.server,
    caPem: readFileSync(cluster.caFile, 'utf8'),
    token: cluster.adminToken,
    namespace,
    kubeconfig: cluster.adminKubeconfig,
  };
}

/** `dist/kubectl-cpa sandbox` in a child process (stopped on cleanup). */
async function sandboxServer(work: string, launcher: string): Promise<Server & { stop(): void }> {
  const kubeconfig = join(work, 'sandbox.kubeconfig');
  const child = spawn(launcher, ['sandbox', '--kubeconfig-out', kubeconfig], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stop = (): void => void (child.exitCode === null && child.kill('SIGKILL'));
  onCleanup(stop);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const c = config.clusters[0]!.cluster;
  return {
    name: 'sandbox',
    url: c.server,
    caPem: Buffer.from(c['certificate-authority-data'], 'base64').toString('utf8'),
    token: config.users[0]!.user.token,
    namespace: 'default',
    kubeconfig,
    stop,
  };
}

/** Our launcher under --cpu-prof against `server` for PROFILE_CYCLES cycles after the first. */
async function profile(p: Programs, server: Server, work: string): Promise<string[]> {
  const dir = mkdtempSync(join(work, 'profile-'));
  const records = join(dir, 'records');
  const namespace = server.namespace;
  const agent = new Agent({ keepAlive: false });
  const name = 'cpa-bench-profile';
  await send(
    server,
    agent,
    'POST',
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    deployment(name, 1),
    'application/json',
  );
  agent.destroy();
  writeFileSync(join(dir, 'config.yaml'), configYaml({ name, namespace, hook: p.hook, records }));
  const spec: RunnerSpec = {
    label: 'profiled launcher',
    dialect: 'ours',
    file: p.launcher,
    args: ['run', dir],
    env: {
      ...BASE_ENV,
      HOME: dir,
      KUBECONFIG: server.kubeconfig,
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`,
    },
    records,
  };
  const r = new Runner(spec, { warmup: 1, measured: PROFILE_CYCLES });
  await Promise.race([r.done, sleep((PROFILE_CYCLES + 5) * INTERVAL_MS)]);
  await r.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file || r.decisions.length < PROFILE_CYCLES + 1)
    return ['  (no profile: the profiled run did not finish)'];
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const from = r.decisions[0]! + 100 - r.launchMs;
  const to = r.decisions[PROFILE_CYCLES]! + 100 - r.launchMs;
  const s = summariseProfile(prof, from, to, PROFILE_CYCLES);
  const row = (name: string, ms: number): string => `  ${ms.toFixed(2).padStart(6)} ms  ${name}`;
  return [
    `What our CPU per cycle goes to (V8 CPU profile of the launcher on the ${server.name}, ${PROFILE_CYCLES} cycles; the`,
    `  main thread was busy ${s.sampledMsPerCycle.toFixed(2)} ms per cycle under the profiler, which slows it, and a`,
    "  blocking spawn counts whole, and the profiler's SIGPROF restarts the fork, so spawn reads large; `perf`",
    "  puts fork + the hook's execve at about a quarter of a cycle; ms per cycle):",
    ...s.subtrees.map((t) => row(t.name, t.msPerCycle)),
    '  top functions by self time:',
    ...s.top.map((t) => row(t.name, t.msPerCycle)),
  ];
}

const METHOD = [
  'Method: each autoscaler runs with startTime 250 ms and interval 1 s, so its ticks fall at its startTime',
  'boundary + k s; the launches are timed so that Go and the launcher tick 500 ms apart and the SEA binary 250 ms',
  'from both, and a tick is that nominal boundary (a late timer counts in the cycle). The decision time is when',
  "the bench reads the decision line from the autoscaler's stderr (the same pipe path for both). The hook stamps",
  'its start, its stdin EOF and its exit (CLOCK_REALTIME, µs). CPU and hook CPU: /proc/PID/stat utime+stime and',
  'cutime+cstime (10 ms ticks) between 100 ms after the last warm-up decision and 100 ms after the last measured',
  'one, divided by the cycles; RSS: VmRSS at the end. Launch → first cycle subtracts the interval and the',
  'startTime wait each reports; CPU to the first cycle is read 100 ms after the first decision line.',
];

/** Runs the sessions and the profile, printing through `out`. */
export async function benchPeer(out: (line?: string) => void): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cpa-bench-peer-'));
  onCleanup(() => rmSync(work, { recursive: true, force: true }));
  try {
    const p = prepare(work);
    if (SOAK_CYCLES > 0) {
      const server = await sandboxServer(work, p.launcher);
      const intervalMs = env('BENCH_CPA_SOAK_INTERVAL_MS', 100);
      const input = { ...p, server, work, baseEnv: BASE_ENV, cycles: SOAK_CYCLES, intervalMs };
      for (const line of await soak(input)) out(line);
      server.stop();
      return;
    }
    out(
      `kubectl-cpa beside the Go CPA v2.12.2 (issue 11): ${MARKS.warmup} warm-up + ${MARKS.measured} measured cycles, medians`,
    );
    out(
      `  machine: ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores, load ${loadavg()[0]!.toFixed(2)} at start`,
    );
    let profiled: Server | undefined;
    for (const which of SERVERS) {
      const server = which === 'sandbox' ? await sandboxServer(work, p.launcher) : await clusterServer();
      process.stderr.write(`bench: against the ${which} (about ${MARKS.warmup + MARKS.measured + 5} s)\n`);
      const figs = await session(p, server, work);
      const go = figs.get('Go CPA')!;
      const ours = [...figs].filter(([label]) => label !== 'Go CPA').map(([label, f]) => ({ label, f }));
      out(
        `Against the ${which === 'sandbox' ? 'sandbox (dist/kubectl-cpa sandbox)' : 'test cluster (kube-apiserver v1.37.2)'} — cycles used: ${[...figs].map(([l, f]) => `${l} ${f.cycles}`).join(', ')}`,
      );
      for (const line of renderTable(go, ours)) out(`  ${line}`);
      if (PROFILE_CYCLES > 0 && which === SERVERS[SERVERS.length - 1]) profiled = server;
      if (profiled) for (const line of await profile(p, profiled, work)) out(line);
      if (PODS_ROW && which === 'sandbox') {
        process.stderr.write('bench: per-pod, 100 pods (about a minute)\n');
        const row = await perPodRow({ go: p.go, launcher: p.launcher, server, work, baseEnv: BASE_ENV });
        for (const line of renderPods(row)) out(line);
      }
      if ('stop' in server) (server as { stop(): void }).stop();
    }
    out(`  load ${loadavg()[0]!.toFixed(2)} at the end`);
    for (const line of METHOD) out(`  ${line}`);
  } finally {
    runCleanups();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPeer((line = '') => void process.stdout.write(`${line}\n`));
}
