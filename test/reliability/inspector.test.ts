// SIGUSR1 must not open the Node inspector (127.0.0.1:9229: code execution for any local user who can
// signal the process), neither in the launcher build nor in the single executable; the process keeps
// running. The SEA binary is taken from the linux amd64 release archive that `npm test` packages first.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { archiveName, TARGETS } from '../../scripts/package-targets.ts';
import { cpaBinary, distDir, repoRoot } from '../support/cpa.ts';

const INSPECTOR_PORT = 9229;
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function seaBinary(): string {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  const linux = TARGETS.find((t) => t.id === 'linux-x64')!;
  const archive = join(distDir, 'release', archiveName(version, linux));
  assert.ok(existsSync(archive), `${archive} is missing: npm test packages it (npm run package)`);
  const dir = mkdtempSync(join(tmpdir(), 'cpa-rel-sea-'));
  temps.push(dir);
  const untar = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  return join(dir, 'kubectl-cpa');
}

for (const [name, binary] of [
  ['the launcher build', () => cpaBinary],
  ['the single executable', seaBinary],
] as const) {
  test(`SIGUSR1 to ${name} opens no inspector and does not stop it`, async () => {
    assert.equal(await portOpen(INSPECTOR_PORT), false, `port ${INSPECTOR_PORT} is already in use here`);
    const dir = mkdtempSync(join(tmpdir(), 'cpa-rel-usr1-'));
    temps.push(dir);
    const child = spawn(binary(), ['sandbox', '--kubeconfig-out', join(dir, 'kubeconfig')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      for (let i = 0; i < 100 && !existsSync(join(dir, 'kubeconfig')); i++) await sleep(100);
      assert.ok(existsSync(join(dir, 'kubeconfig')), `sandbox did not start: ${stderr}`);
      child.kill('SIGUSR1');
      await sleep(700);
      assert.equal(await portOpen(INSPECTOR_PORT), false, `the inspector opened: ${stderr}`);
      assert.equal(child.exitCode, null, `the process ended on SIGUSR1: ${stderr}`);
      assert.doesNotMatch(stderr, /Debugger listening/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
}
