// The krew manifest and the release archives of `npm run package` (dist/release): valid by krew-index's
// rules, consistent with SHA256SUMS, and installable by the real krew, offline, for every platform; after
// the linux amd64 install, real `kubectl cpa version` runs through krew's shim.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readArchive } from '../../scripts/package-archive.ts';
import { archiveProblems, manifestProblems, type KrewManifest } from '../../scripts/package-manifest.ts';
import { TARGETS, archiveName } from '../../scripts/package-targets.ts';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { distDir, repoRoot } from '../support/cpa.ts';

const release = join(distDir, 'release');
const manifestFile = join(release, 'cpa.yaml');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const manifest = (): KrewManifest => parse(readFileSync(manifestFile, 'utf8')) as KrewManifest;
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the krew manifest and the release archives', () => {
  it('krew/cpa.yaml is the released manifest, for v<package.json version>, valid by krew-index rules', () => {
    assert.equal(
      readFileSync(join(repoRoot, 'krew', 'cpa.yaml'), 'utf8'),
      readFileSync(manifestFile, 'utf8'),
    );
    assert.equal(manifest().spec.version, `v${version}`);
    assert.deepEqual(manifestProblems(manifest(), basename(manifestFile)), []);
  });

  it('each platform names its archive; each archive has its sha256, LICENSE, and bin as a 0755 regular file', () => {
    const platforms = manifest().spec.platforms;
    assert.deepEqual(
      platforms.map((p) => basename(p.uri)),
      TARGETS.map((t) => archiveName(version, t)),
    );
    const problems = platforms.flatMap((p, i) =>
      archiveProblems(p, i, readFileSync(join(release, basename(p.uri)))),
    );
    assert.deepEqual(problems, []);
  });

  it('each archive holds exactly the binary, the plugin completion (kubectl_complete-cpa) and LICENSE', () => {
    for (const t of TARGETS) {
      const names = readArchive(readFileSync(join(release, archiveName(version, t)))).map((e) => e.name);
      const completion = t.os === 'windows' ? 'kubectl_complete-cpa.cmd' : 'kubectl_complete-cpa';
      assert.deepEqual(names, [t.binary, completion, 'LICENSE'], t.id);
    }
  });

  it('SHA256SUMS lists the five archives with the manifest sha256, and sha256sum -c accepts it', () => {
    const sums = readFileSync(join(release, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const want = manifest().spec.platforms.map((p) => `${p.sha256}  ${basename(p.uri)}`);
    assert.deepEqual([...sums].sort(), [...want].sort());
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: release, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});

describe('real krew (offline, temporary KREW_ROOT)', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await useCluster();
  });

  /** `kubectl krew install` from the manifest and one archive; krew never goes to the network for it. */
  async function install(os: string, arch: string, file: string): Promise<string> {
    const root = mkdtempSync(join(tmpdir(), 'krew-'));
    temps.push(root);
    const env = { KREW_ROOT: root, KREW_NO_UPGRADE_CHECK: '1', KREW_OS: os, KREW_ARCH: arch };
    const args = ['krew', 'install', `--manifest=${manifestFile}`, `--archive=${join(release, file)}`];
    const result = await cluster.kubectl(args, { env });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /Installed plugin: cpa/);
    return root;
  }

  it('installs linux/amd64, and `kubectl cpa version` runs the installed binary through the krew shim', async () => {
    const t = TARGETS.find((x) => x.id === 'linux-x64')!;
    const root = await install('linux', 'amd64', archiveName(version, t));
    const shim = join(root, 'bin', 'kubectl-cpa');
    assert.ok(lstatSync(shim).isSymbolicLink());
    assert.equal(readlinkSync(shim), join(root, 'store', 'cpa', `v${version}`, 'kubectl-cpa'));
    // Only krew's bin and the cluster's binaries on PATH: dist/ (the development launcher) is not.
    const env = { PATH: `${join(root, 'bin')}:${cluster.binDir}:/usr/bin:/bin` };
    const result = await cluster.kubectl(['cpa', 'version'], { env });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^kubectl-cpa version ${version.replace(/\./g, '\\.')} `));
    const list = await cluster.kubectl(['plugin', 'list', '--name-only'], { env });
    assert.match(list.stdout, /^kubectl-cpa$/m);
  });

  for (const t of TARGETS.filter((x) => x.id !== 'linux-x64')) {
    it(`installs ${t.os}/${t.arch} (KREW_OS/KREW_ARCH, as krew-index CI does) with the binary, the plugin completion and LICENSE`, async () => {
      const root = await install(t.os, t.arch, archiveName(version, t));
      const store = join(root, 'store', 'cpa', `v${version}`);
      const completion = t.os === 'windows' ? 'kubectl_complete-cpa.cmd' : 'kubectl_complete-cpa';
      assert.deepEqual(readdirSync(store).sort(), ['LICENSE', t.binary, completion].sort());
      assert.equal(lstatSync(join(store, t.binary)).mode & 0o777, 0o755);
      assert.equal(readlinkSync(join(root, 'bin', t.binary)), join(store, t.binary));
    });
  }
});
