// The built binary end to end without any cluster: `kubectl-cpa sandbox --example …` in the foreground,
// then `kubectl-cpa run examples/python-custom-autoscaler --once` against its kubeconfig scales the example
// 1 → 3, the controller brings up 3 Ready pods, SIGTERM stops it cleanly, --state keeps objects across a
// restart. Needs `npm run build` (and python3 for the example's hooks).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { cpaBinary, repoRoot } from '../support/cpa.ts';
import { call, type Endpoint } from './sandbox-support.ts';

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

function start(args: string[]): Running {
  const child = spawn(cpaBinary, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 124)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(running: Running): Promise<number> {
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 10_000);
  const code = await running.exited;
  clearTimeout(timer);
  return code;
}

/** The endpoint a sandbox kubeconfig describes. */
function endpointOf(kubeconfig: string): Endpoint {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  return { name: 'sandbox', server: cluster.server, ca, token: config.users[0]!.user.token };
}

describe('kubectl-cpa sandbox + run (built binary)', { timeout: 120_000 }, () => {
  let dir: string;
  let kubeconfig: string;
  let state: string;
  let sandbox: Running;

  const launch = (): Running =>
    start([
      'sandbox',
      '--example',
      'python-custom-autoscaler',
      '--kubeconfig-out',
      kubeconfig,
      '--state',
      state,
      '--ready-delay',
      '100ms',
    ]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-run-'));
    kubeconfig = join(dir, 'kubeconfig');
    state = join(dir, 'state.json');
    sandbox = launch();
    await until(
      () => (sandbox.stdout().includes(kubeconfig) ? true : undefined),
      'the sandbox to print its kubeconfig',
    );
  });

  after(async () => {
    if (sandbox !== undefined && sandbox.child.exitCode === null) await stop(sandbox);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the example and says where the kubeconfig is', () => {
    assert.match(sandbox.stderr(), /sandbox ready at https:\/\/127\.0\.0\.1:\d+/);
    assert.match(sandbox.stderr(), /loaded .*deployment\.yaml: deployment\/hello-kubernetes/);
    assert.equal(sandbox.stdout(), `${kubeconfig}\n`);
  });

  it('runs the python example once: 1 → 3, and the controller brings up 3 Ready pods', async () => {
    const run = start(['run', 'examples/python-custom-autoscaler', '--once', '--kubeconfig', kubeconfig]);
    const code = await run.exited;
    assert.equal(code, 0, run.stderr());
    assert.match(
      run.stderr(),
      /deployment\/default\/hello-kubernetes 1 → 3 replicas \(evaluation 3; scaled\)/,
    );
    const ep = endpointOf(kubeconfig);
    const ready = await until(async () => {
      const pods = (
        await call(ep, 'GET', '/api/v1/namespaces/default/pods?labelSelector=run%3Dhello-kubernetes')
      ).json;
      const isReady = (p: { status: { conditions?: { type: string; status: string }[] } }) =>
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
      return pods.items.length === 3 && pods.items.every(isReady) ? pods.items.length : undefined;
    }, '3 Ready pods');
    assert.equal(ready, 3);
    const scale = (
      await call(ep, 'GET', '/apis/apps/v1/namespaces/default/deployments/hello-kubernetes/scale')
    ).json;
    assert.deepEqual(scale.status, { replicas: 3, selector: 'run=hello-kubernetes' });
  });

  it('stops cleanly on SIGTERM and keeps the objects in --state for the next start', async () => {
    assert.equal(await stop(sandbox), 0);
    assert.match(sandbox.stderr(), /SIGTERM: stopping the sandbox/);
    sandbox = launch();
    await until(() => (sandbox.stdout().includes(kubeconfig) ? true : undefined), 'the restarted sandbox');
    assert.match(sandbox.stderr(), /already present/);
    const deploy = (
      await call(
        endpointOf(kubeconfig),
        'GET',
        '/apis/apps/v1/namespaces/default/deployments/hello-kubernetes',
      )
    ).json;
    assert.equal(deploy.spec.replicas, 3);
  });

  it('refuses bad flags with exit code 2, naming each problem', async () => {
    const bad = start(['sandbox', '--port', 'x', '--ready-delay', 'soon']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.stderr(), /--port: "x" is not a port number/);
    assert.match(bad.stderr(), /--ready-delay: "soon" is not a duration/);
  });
});
