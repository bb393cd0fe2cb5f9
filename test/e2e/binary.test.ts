// The release binaries from dist/release (npm run package), taken out of their archives like a user would:
// the linux amd64 one runs the CLI and the seed journey against the real cluster; linux arm64 runs under
// qemu-aarch64, windows amd64 under Wine; the darwin ones, which nothing here can run, are checked
// structurally (SEA segment, ad-hoc signature whose page hashes recompute over the file).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CS_ADHOC, codeDirectories, parseMachO, signedSeaProblems } from '../../scripts/package-macho.ts';
import {
  cacheBase,
  nodeBinaryFrom,
  nodeCacheDir,
  nodeTarball,
  readPins,
} from '../../scripts/package-node.ts';
import { certificateTable, peChecksum } from '../../scripts/package-pe.ts';
import { TARGETS, archiveName, type Target } from '../../scripts/package-targets.ts';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { distDir, repoRoot, shellProject } from '../support/cpa.ts';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const target = (id: Target['id']): Target => TARGETS.find((t) => t.id === id)!;
const archive = (t: Target): string => join(distDir, 'release', archiveName(version, t));
const VERSION_LINE = new RegExp(
  `^kubectl-cpa version ${version.replace(/\./g, '\\.')} .*Node v22\\.23\\.2\\)\\n$`,
);
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Unpacks a release archive with the system's tar or unzip into a fresh directory. */
function unpack(t: Target): string {
  const dir = mkdtempSync(join(tmpdir(), `cpa-bin-${t.id}-`));
  temps.push(dir);
  const [cmd, args] =
    t.format === 'zip' ? ['unzip', ['-q', archive(t), '-d', dir]] : ['tar', ['-xzf', archive(t), '-C', dir]];
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `${cmd} ${archive(t)}: ${result.stderr}`);
  return dir;
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`, a hang guard). */
function exec(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = tmpdir(),
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 124, stdout, stderr });
    });
  });
}

// No node on PATH and no repository around: the binary must carry everything it needs.
const bareEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: '/usr/bin:/bin',
  HOME: tmpdir(),
  ...extra,
});

describe('linux amd64 binary', () => {
  let dir: string;
  let bin: string;
  let cluster: TestCluster;
  before(async () => {
    dir = unpack(target('linux-x64'));
    bin = join(dir, 'kubectl-cpa');
    cluster = await useCluster();
  });

  it('`version` prints the version and the embedded Node, without node on PATH and no SEA warning', async () => {
    const result = await exec(bin, ['version'], bareEnv());
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, VERSION_LINE);
    assert.equal(result.stderr, '');
  });

  it('`--help` names the program `kubectl cpa` and lists run', async () => {
    const result = await exec(bin, ['--help'], bareEnv());
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /Usage: kubectl cpa /);
    assert.match(result.stdout, /run \[options\] \[DIR...\]/);
  });

  it('a bad config exits 1 naming every problem; an unknown flag exits 2', async () => {
    const project = shellProject('interval: 0\nmetric: {type: shell}\nrunMode: sideways\n');
    try {
      const bad = await exec(bin, ['run', project.dir, '--once'], bareEnv());
      assert.equal(bad.exitCode, 1, bad.stderr);
      assert.match(bad.stderr, /runMode \(.*config\.yaml:3:\d+\).*sideways/);
      assert.match(bad.stderr, /evaluate.*required/);
      const usage = await exec(bin, ['run', '--no-such-flag'], bareEnv());
      assert.equal(usage.exitCode, 2);
      assert.match(usage.stderr, /unknown option '--no-such-flag'/);
    } finally {
      project.cleanup();
    }
  });

  it('`run --once` scales a Deployment on the real cluster (client-node inside the SEA)', async () => {
    const ns = await cluster.createNamespace('binary');
    await cluster.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n' +
        '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}\n',
      ns,
    );
    const project = shellProject(
      'runMode: per-resource\n' +
        'metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo 4"]}}\n' +
        'evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo \'{\\"targetReplicas\\": 4}\'"]}}\n',
    );
    try {
      const args = ['run', project.dir, '--once', '--target', 'deploy/web', '-n', ns, '--log-format', 'json'];
      const result = await exec(bin, args, bareEnv({ KUBECONFIG: cluster.adminKubeconfig }));
      assert.equal(result.exitCode, 0, result.stderr);
      const reply = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
      assert.equal((JSON.parse(reply.body) as { spec: { replicas: number } }).spec.replicas, 4);
    } finally {
      project.cleanup();
    }
  });

  it('passes the seed guide journey (test/e2e/seed-journey.test.ts) as the kubectl-cpa on PATH', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECTL_CPA_DIST: dir };
    delete env['NODE_TEST_CONTEXT']; // a nested test run must report for itself, not to our runner
    const file = join(repoRoot, 'test', 'e2e', 'seed-journey.test.ts');
    const result = await exec(
      process.execPath,
      ['--test', '--test-reporter=tap', file],
      env,
      repoRoot,
      240_000,
    );
    const count = (what: string): number =>
      Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(result.stdout)?.[1]);
    assert.equal(result.exitCode, 0, `${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
    assert.ok(count('tests') >= 5, 'the journey has its five steps');
    assert.deepEqual([count('pass'), count('fail'), count('skipped')], [count('tests'), 0, 0]);
  });
});

describe('linux arm64 binary under qemu-aarch64', () => {
  // Debian's qemu-user runs the binary; libc6-arm64-cross & co. provide the arm64 loader and libraries.
  const qemu = (args: string[]) =>
    exec(
      'qemu-aarch64',
      ['-L', '/usr/aarch64-linux-gnu', join(dir, 'kubectl-cpa'), ...args],
      bareEnv(),
      tmpdir(),
      120_000,
    );
  let dir: string;
  before(() => (dir = unpack(target('linux-arm64'))));

  it('`version` prints the version', async () => {
    const result = await qemu(['version']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, VERSION_LINE);
  });

  it('`--help` lists the commands', async () => {
    const result = await qemu(['--help']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /Usage: kubectl cpa /);
  });
});

describe('windows amd64 binary', () => {
  let dir: string;
  before(() => (dir = unpack(target('win-x64'))));

  it('`version` under Wine prints the version (Node 22; Wine 8 cannot start Node 26)', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cpa-wine-'));
    temps.push(prefix);
    const env = bareEnv({ WINEPREFIX: prefix, WINEDEBUG: '-all', HOME: prefix });
    // Node refuses Windows 7, Wine's default version; the registry value makes Wine report Windows 10.
    const reg = await exec(
      'wine',
      ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'],
      env,
      prefix,
      120_000,
    );
    assert.equal(reg.exitCode, 0, reg.stderr);
    // Under Wine, Node's stdout and stderr must be files: a pipe fails with EBADF.
    const [out, err] = [join(prefix, 'stdout.txt'), join(prefix, 'stderr.txt')];
    const fds = [openSync(out, 'w'), openSync(err, 'w')] as const;
    const result = spawnSync('wine', [join(dir, 'kubectl-cpa.exe'), 'version'], {
      env,
      cwd: prefix,
      stdio: ['ignore', ...fds],
      timeout: 120_000,
    });
    fds.forEach((fd) => closeSync(fd));
    assert.equal(result.status, 0, readFileSync(err, 'utf8'));
    assert.match(readFileSync(out, 'utf8').replace(/\r\n/g, '\n'), VERSION_LINE);
  });

  it('carries no stale Authenticode table and a correct PE checksum', () => {
    const exe = readFileSync(join(dir, 'kubectl-cpa.exe'));
    assert.deepEqual(certificateTable(exe), { offset: 0, size: 0 });
    const pe = exe.readUInt32LE(0x3c);
    assert.equal(exe.readUInt32LE(pe + 24 + 64), peChecksum(exe));
  });
});

describe('darwin binaries (structure: nothing here runs macOS)', () => {
  const cpu: Record<string, number> = { 'darwin-x64': 0x01000007, 'darwin-arm64': 0x0100000c };
  for (const id of ['darwin-x64', 'darwin-arm64'] as const) {
    it(`${id}: NODE_SEA holds the bundle, the fuse is set, the ad-hoc signature's page hashes recompute`, () => {
      const buf = readFileSync(join(unpack(target(id)), 'kubectl-cpa'));
      const macho = parseMachO(buf);
      assert.equal(macho.cpuType, cpu[id]);
      assert.deepEqual(signedSeaProblems(buf), []);
      const [dir] = codeDirectories(buf, macho.codeSignature!);
      assert.deepEqual([dir?.identifier, (dir?.flags ?? 0) & CS_ADHOC], ['kubectl-cpa', CS_ADHOC]);
      const section = macho.segments.find((s) => s.name === 'NODE_SEA')!.sections[0]!;
      assert.ok(buf.subarray(section.offset, section.offset + section.size).includes('kubectl-cpa version '));
      assert.ok(buf.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), 'the SEA fuse is flipped');
    });
  }

  it("the parser agrees with Apple: the official node binary's signature verifies page by page", () => {
    const pins = readPins(join(repoRoot, 'scripts', 'node-sha256.json'), TARGETS);
    const t = target('darwin-arm64');
    const official = nodeBinaryFrom(
      nodeTarball(t, pins, nodeCacheDir(cacheBase(process.env, homedir()))).file,
      t,
    );
    const sig = parseMachO(official).codeSignature!;
    const [dir] = codeDirectories(official, sig);
    assert.equal(dir?.pageHashes.length, Math.ceil(sig.offset / 4096));
    // Only the SEA segment is missing: the signature itself is complete and valid.
    assert.deepEqual(signedSeaProblems(official), ['no NODE_SEA segment with a section']);
  });
});
