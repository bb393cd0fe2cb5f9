// The Windows release binary (dist/release, npm run package) under Wine runs real cycles with `run --once
// --sandbox`: a shell hook with no entrypoint runs through cmd.exe /d /s /c (`%OS%` expands to Windows_NT only
// there; /bin/sh, the POSIX default, would pass it through), an http hook reaches this test's loopback
// server, and a hook that outlives its timeout is stopped so the run ends (Wine's taskkill has no /T, so
// there the runner falls back to the hook's own process; on Windows taskkill /T /F takes the tree).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TARGETS, archiveName } from '../../scripts/package-targets.ts';
import { distDir, repoRoot } from '../support/cpa.ts';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const GUARD = { timeout: 180_000 };
const work = mkdtempSync(join(tmpdir(), 'cpa-wine-hooks-'));
const prefix = join(work, 'prefix');
const env = { PATH: '/usr/bin:/bin', HOME: prefix, WINEPREFIX: prefix, WINEDEBUG: '-all' };
let exe: string;
let server: Server;
let evaluateUrl: string;
const bodies: string[] = [];

before(() => {
  const zip = join(
    distDir,
    'release',
    archiveName(
      version,
      TARGETS.find((t) => t.id === 'win-x64')!,
    ),
  );
  const unzip = spawnSync('unzip', ['-q', zip, '-d', join(work, 'bin')], { encoding: 'utf8' });
  assert.equal(unzip.status, 0, `unzip ${zip} (run npm run package first): ${unzip.stderr}`);
  exe = join(work, 'bin', 'kubectl-cpa.exe');
  // Node refuses Windows 7, Wine's default version; the registry value makes Wine report Windows 10.
  const reg = spawnSync(
    'wine',
    ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'],
    {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  assert.equal(reg.status, 0, reg.stderr);
  // The evaluator: 3 replicas for a metric that cmd.exe produced, 2 for anything else.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.end(JSON.stringify({ targetReplicas: body.includes('Windows_NT') ? 3 : 2 }));
    });
  });
  return new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      evaluateUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evaluate`;
      resolve();
    }),
  );
});
after(() => {
  server?.close();
  // Ends the prefix's wineserver and whatever still runs under it (an orphan Wine's taskkill could not reach).
  spawnSync('wineserver', ['-k'], { env, timeout: 30_000 });
  rmSync(work, { recursive: true, force: true });
});

/** An autoscaler directory with `metricShell` as the metric's command line and the http evaluator. */
function autoscaler(name: string, metricShell: string, metricTimeoutMs: number): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `name: ${name}`,
      'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
      'namespace: default',
      'minReplicas: 1',
      'maxReplicas: 10',
      'metric:',
      '  type: shell',
      `  timeout: ${metricTimeoutMs}`,
      `  shell: {command: ["-c", ${JSON.stringify(metricShell)}]}`,
      'evaluate:',
      '  type: http',
      '  timeout: 30000',
      `  http: {method: POST, url: "${evaluateUrl}", successCodes: [200], parameterMode: body}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  replicas: 1',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: web, image: nginx}]}',
      '',
    ].join('\n'),
  );
  return dir;
}

/** `kubectl-cpa.exe run --once --sandbox --no-api DIR` under Wine; Node there needs files, not pipes, for stdio. */
async function runOnce(dir: string): Promise<{ exitCode: number; stderr: string; ms: number }> {
  const [out, err] = [join(dir, 'stdout.txt'), join(dir, 'stderr.txt')];
  const fds = [openSync(out, 'w'), openSync(err, 'w')] as const;
  const started = Date.now();
  const child = spawn('wine', [exe, 'run', '--once', '--sandbox', '--no-api', '.'], {
    env,
    cwd: dir,
    stdio: ['ignore', ...fds],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 124)));
  clearTimeout(timer);
  fds.forEach((fd) => closeSync(fd));
  return { exitCode, stderr: readFileSync(err, 'utf8').replace(/\r\n/g, '\n'), ms: Date.now() - started };
}

describe('windows binary under Wine: hooks', () => {
  it('runs a shell string with cmd.exe and an http hook on loopback, and scales', GUARD, async () => {
    const got = await runOnce(autoscaler('wine-cmd', 'echo %OS% "a & b"', 30_000));
    assert.equal(got.exitCode, 0, got.stderr);
    assert.match(got.stderr, /deployment\/default\/web 1 → 3 replicas/);
    const metric = JSON.parse(bodies.at(-1)!) as { metrics: { value: string }[] };
    // cmd.exe expanded %OS% and kept the quoted `&` inside the one command line.
    assert.equal(metric.metrics[0]?.value, 'Windows_NT "a & b"\r\n');
  });

  it('stops a hook past its timeout, and the run ends', GUARD, async () => {
    const got = await runOnce(autoscaler('wine-timeout', 'ping -n 60 127.0.0.1 >nul', 2_000));
    assert.equal(got.exitCode, 1, got.stderr);
    assert.match(got.stderr, /timed out after 2000ms/);
    assert.ok(got.ms < 40_000, `the run took ${got.ms} ms: the hook outlived its timeout`);
  });
});
