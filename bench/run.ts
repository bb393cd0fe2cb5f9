// npm run bench: start-up of the linux-amd64 release binary against the Go kubectl, measured in the same
// run (interleaved rounds, medians, printed as ratios), what the code cache and lazy loading buy, archive
// sizes per platform, and resident memory while the loop idles. Needs `npm run package` first; the idle
// RSS needs the test cluster (`npm run cluster:up`). Then kubectl-cpa beside the Go CPA (bench/peer.ts),
// and 1,000 autoscalers in one process (bench/density.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheBase, nodeCacheDir, readPins } from '../scripts/package-node.ts';
import { TARGETS, archiveName } from '../scripts/package-targets.ts';
import { buildBinaries } from '../test/cluster/harness.ts';
import { clusterPaths } from '../test/cluster/paths.ts';
import { useCluster } from '../test/support/cluster.ts';
import { benchPeer } from './peer.ts';
import { buildVariants, fileBytes, type Variants } from './variants.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 21);
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Command {
  label: string;
  file: string;
  args: string[];
}

function timeOnce(c: Command): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(c.file, c.args, {
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir() },
  });
  if (result.status !== 0) throw new Error(`${c.label} exited ${result.status ?? result.signal}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The first stderr line of a command that fails, or undefined when it succeeds. */
function failure(c: Command): string | undefined {
  const result = spawnSync(c.file, c.args, {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir() },
  });
  if (result.status === 0) return undefined;
  return `exit ${result.status ?? result.signal}: ${/^\w*Error.*$/m.exec(result.stderr)?.[0] ?? result.stderr.split('\n')[0]}`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time of each command over ROUNDS interleaved rounds (after one warm-up each); NaN if it fails. */
function startTimes(commands: Command[]): Map<string, number> {
  const failures = new Map(commands.map((c) => [c.label, failure(c)]));
  for (const [label, why] of failures) if (why) out(`  (${label} cannot run: ${why})`);
  const ok = commands.filter((c) => !failures.get(c.label));
  const samples = new Map<string, number[]>(commands.map((c) => [c.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of ok) samples.get(c.label)!.push(timeOnce(c));
  }
  return new Map([...samples].map(([label, xs]) => [label, xs.length ? median(xs) : NaN]));
}

function startupCommands(kubectl: string, v: Variants): Command[] {
  const node = process.execPath;
  return [
    { label: 'kubectl version --client (Go, reference)', file: kubectl, args: ['version', '--client'] },
    { label: 'node -e 0 (the Node runtime alone)', file: node, args: ['-e', '0'] },
    { label: 'release SEA: version', file: v.release, args: ['version'] },
    { label: 'release SEA: --help', file: v.release, args: ['--help'] },
    {
      label: 'bundle on node, no SEA: version',
      file: node,
      args: [join(root, 'dist', 'lib', 'kubectl-cpa.cjs'), 'version'],
    },
    { label: 'SEA without code cache: version', file: v.noCodeCache, args: ['version'] },
    { label: 'SEA without code cache: --help', file: v.noCodeCache, args: ['--help'] },
    { label: 'SEA, client-node loaded eagerly: version', file: v.eagerClientNode, args: ['version'] },
    { label: 'SEA, client-node split out: version', file: v.splitClientNode, args: ['version'] },
    { label: 'SEA, client-node split out: --help', file: v.splitClientNode, args: ['--help'] },
  ];
}

function printStartup(times: Map<string, number>): void {
  const reference = times.get('kubectl version --client (Go, reference)')!;
  out(`Cold start (median of ${ROUNDS} interleaved runs; ratio to kubectl; goal for the release: ≤ 1.5×)`);
  for (const [label, ms] of times) {
    out(`  ${label.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / reference).toFixed(2)}×`);
  }
  const t = (label: string): number => times.get(label)!;
  const gain = (slower: string, faster: string): string => `${(t(slower) - t(faster)).toFixed(1)} ms`;
  const lazy = t('SEA, client-node loaded eagerly: version') - t('release SEA: version');
  out('What each step buys (version):');
  out(`  code cache            ${gain('SEA without code cache: version', 'release SEA: version')}`);
  out(
    `  client-node in its own chunk (SEA asset, shipped) ${gain('SEA, client-node loaded eagerly: version', 'release SEA: version')}`,
  );
  if (lazy < 20) out('    (≈ nothing: some import chain pulls client-node into the main script again)');
  out(
    `  client-node left out entirely (lower bound) ${gain('release SEA: version', 'SEA, client-node split out: version')}`,
  );
  out(
    `  above the runtime     ${gain('release SEA: version', 'node -e 0 (the Node runtime alone)')} is kubectl-cpa's own`,
  );
}

function printSizes(version: string): void {
  out('Archive sizes (goal ≤ 45 MB gzipped)');
  for (const t of TARGETS) {
    const bytes = statSync(join(root, 'dist', 'release', archiveName(version, t))).size;
    out(
      `  ${archiveName(version, t).padEnd(40)} ${(bytes / 1e6).toFixed(1)} MB  ${bytes <= 45e6 ? 'ok' : 'OVER'}`,
    );
  }
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}

/** RSS of a `run` loop between cycles (after its first decision), for the release and the bundle on node. */
async function idleRss(v: Variants): Promise<void> {
  if (!existsSync(clusterPaths.clusterJson))
    return out('Idle RSS: no test cluster (npm run cluster:up), skipped');
  const cluster = await useCluster();
  const ns = await cluster.createNamespace('bench');
  await cluster.apply(
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n' +
      '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}\n',
    ns,
  );
  const dir = mkdtempSync(join(tmpdir(), 'cpa-bench-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    'runMode: per-resource\n' +
      'metric: {type: shell, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo 1"]}}\n' +
      'evaluate: {type: shell, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo \'{\\"targetReplicas\\": 1}\'"]}}\n',
  );
  const args = ['run', dir, '--target', 'deploy/web', '-n', ns, '--interval', '2s', '--no-api', '--dry-run'];
  out('Idle RSS (run loop between cycles: 2s interval, measured after 5s, i.e. two cycles in)');
  for (const [label, file, pre] of [
    ['release SEA', v.release, []],
    ['bundle on node', process.execPath, [join(root, 'dist', 'lib', 'kubectl-cpa.cjs')]],
  ] as const) {
    const child = spawn(file, [...pre, ...args], {
      env: { PATH: '/usr/bin:/bin', KUBECONFIG: cluster.adminKubeconfig },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 5000));
    if (child.exitCode !== null) throw new Error(`${label} exited ${child.exitCode}:\n${stderr}`);
    out(`  ${label.padEnd(20)} ${(rssKiB(child.pid!) / 1024).toFixed(1)} MiB`);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
  rmSync(dir, { recursive: true, force: true });
}

/** The embedded sandbox's own figures (bench/sandbox.ts, written with the sandbox command). */
async function sandboxFigures(): Promise<void> {
  if (!existsSync(join(root, 'bench', 'sandbox.ts'))) return;
  out('Sandbox (bench/sandbox.ts)');
  const { benchSandbox } = await import('./sandbox.ts');
  for (const r of await benchSandbox()) {
    out(
      `  ${r.name.padEnd(44)} ${String(r.value).padStart(9)} ${r.unit}${r.goal ? `  (goal ${r.goal})` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const work = mkdtempSync(join(tmpdir(), 'cpa-bench-'));
  try {
    process.stderr.write('bench: building the comparison variants (about a minute)...\n');
    const pins = readPins(join(root, 'scripts', 'node-sha256.json'), TARGETS);
    const nodeCache = nodeCacheDir(cacheBase(process.env, homedir()));
    const variants = await buildVariants({ root, work, version: pkg.version, pins, nodeCache });
    const kubectl = join(await buildBinaries(() => undefined), 'kubectl');
    out(
      `main script: ${(fileBytes(join(root, 'dist', 'lib', 'kubectl-cpa.cjs')) / 1024).toFixed(0)} KiB; with client-node split out: ${(fileBytes(join(work, 'split.cjs')) / 1024).toFixed(0)} KiB`,
    );
    printStartup(startTimes(startupCommands(kubectl, variants)));
    printSizes(pkg.version);
    await idleRss(variants);
    await sandboxFigures();
    await (await import('./simulate.ts')).benchSimulate(out);
    await benchPeer(out);
    await (await import('./density.ts')).benchDensity(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
