// npm test: typecheck, lint, build, start the real control plane (built from Go modules on first use),
// then run every unit, reliability and end-to-end test in one node:test run, and stop the cluster whatever
// happened.
// `--unit` runs only the checks and unit tests (no cluster). The full run first makes sure the machine has
// what the tests need (scripts/setup-machine.mjs), so `npm ci && npm test` works on a fresh machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unitOnly = process.argv.includes('--unit');
const node = process.execPath; // scripts/pinned-node.mjs started us on the pinned Node
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, cmd, args, options = {}) {
  const started = Date.now();
  process.stderr.write(`\n==> ${title}\n`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stderr.write(`==> ${title}: FAILED after ${seconds}s (exit ${result.status ?? result.signal})\n`);
    return false;
  }
  process.stderr.write(`==> ${title}: ok (${seconds}s)\n`);
  return true;
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

// Rust's installer puts cargo in ~/.cargo/bin without always adding it to PATH (a non-login shell, CI).
const cargoBin = join(process.env.HOME ?? '', '.cargo', 'bin');
if (existsSync(cargoBin)) process.env.PATH = `${cargoBin}${delimiter}${process.env.PATH ?? ''}`;
if (
  !unitOnly &&
  !step('machine set-up (Debian packages the tests need)', node, ['scripts/setup-machine.mjs'])
)
  process.exit(1);

let ok = step('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json']);
ok = step('lint (eslint, prettier)', bin('eslint'), ['.']) && ok;
ok = step('format check (prettier)', bin('prettier'), ['--check', '.']) && ok;
ok =
  // On the pinned Node: dependency-cruiser refuses the end-of-life Node that may be first on PATH.
  step('layers (dependency-cruiser: .dependency-cruiser.cjs)', node, [
    join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs'),
    'src',
    'cmd',
    '--config',
    '.dependency-cruiser.cjs',
  ]) && ok;
ok = step('build (esbuild → dist/kubectl-cpa)', node, ['scripts/build.mjs']) && ok;
if (!unitOnly) ok = step('package (SEA binaries, krew manifest)', node, ['scripts/package.ts']) && ok;

const files = testFiles(join(root, 'test', 'unit'));
let clusterStarted = false;
if (!unitOnly) {
  // test/reliability: faults, abuse and secrets against the built binary, the sandbox and the real cluster.
  files.push(...testFiles(join(root, 'test', 'reliability')), ...testFiles(join(root, 'test', 'e2e')));
  // The other real peers of the e2e suite, built from the Go module proxy on first use and cached like the
  // control plane: built here, as steps with their own progress and time, rather than inside a test's hook.
  ok =
    step('build Prometheus + promtool (test/prometheus, cached after the first run)', 'bash', [
      'test/prometheus/build.sh',
    ]) && ok;
  ok =
    step('build the OCI registry + crane (test/registry, cached after the first run)', 'bash', [
      'test/registry/build.sh',
    ]) && ok;
  mkdirSync(join(root, '.cluster'), { recursive: true });
  clusterStarted = step(
    'start the real control plane (etcd, kube-apiserver, kube-controller-manager)',
    node,
    ['test/cluster/up.ts'],
  );
  ok = clusterStarted && ok;
}
const testsOk = step(`tests (${files.length} files)`, node, ['--test', '--test-timeout=300000', ...files], {
  env: { ...process.env, KUBECTL_CPA_DIST: join(root, 'dist') },
});
if (clusterStarted) step('stop the control plane', node, ['test/cluster/down.ts']);
process.exit(ok && testsOk ? 0 : 1);
