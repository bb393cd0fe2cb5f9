// `kubectl cpa logs` end to end: the built binary against a loopback HTTPS server that serves the pod list
// and pods/{name}/log like kube-apiserver with a kubelet behind it. The real test control plane has no
// kubelet, so its log endpoint cannot answer; everything else here (kubeconfig, TLS, token) is real. The
// stub replays recorded Go CPA logs with their own timestamps; logs-sandbox.test.ts runs the same command
// against the sandbox, whose kubelet serves scripted logs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpaBinary, repoRoot } from '../support/cpa.ts';
import { LogApiStub } from '../fixtures/logs/log-api-stub.ts';

const stub = new LogApiStub();
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');
const OWNED = (name: string) => ({ labels: { 'v1.custompodautoscaler.com/owned-by': name } });
/** 2026-06-12 14:03:SS UTC. */
const at = (s: number): number => Date.UTC(2026, 5, 12, 14, 3, s);

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(cpaBinary, ['logs', ...args], {
    cwd: repoRoot,
    env: { ...process.env, KUBECONFIG: stub.kubeconfig, NO_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve(code ?? 124);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function cpaLogs(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const run = start(args);
  const exitCode = await run.exited;
  return { stdout: run.stdout(), stderr: run.stderr(), exitCode };
}

/** Waits for `ok()`; the bound only catches hangs. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), `timed out waiting for ${what}`);
}

before(async () => {
  await stub.start();
  stub.addCpa('web');
  stub.addPod('web', OWNED('web'));
  let s = 0;
  for (const line of fixture('go-v2-v0.log').trimEnd().split('\n')) {
    const second = /^I0612 14:03:(\d\d)|^E0612 14:03:(\d\d)/.exec(line);
    if (second !== null) s = Number(second[1] ?? second[2]);
    stub.append('web', line, { atMs: at(s) });
  }
  stub.addDeployment('runner', { app: 'runner' });
  stub.addPod('runner-a', { labels: { app: 'runner' } });
  stub.addPod('runner-b', { labels: { app: 'runner' } });
  stub.append('runner-a', 'a old', { atMs: Date.now() - 3_600_000 });
  stub.append('runner-a', 'a new');
  stub.append('runner-b', 'b new');
});
after(() => stub.close());

describe('kubectl cpa logs (loopback API server)', () => {
  it('prints the log of the CustomPodAutoscaler’s pod, found by the operator label', async () => {
    const r = await cpaLogs('web');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, fixture('go-v2-v0.log'));
    assert.equal(r.stderr, '');
  });

  it('--tail and --timestamps: the last lines with their RFC 3339 stamps', async () => {
    const r = await cpaLogs('web', '--tail', '2', '--timestamps');
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^2026-06-12T14:03:45\.\d+Z \{"targetReplicas": 4\}$/);
    assert.match(
      lines[1]!,
      /^2026-06-12T14:03:45\.\d+Z ': invalid character 'd' looking for beginning of value$/,
    );
  });

  it('--decisions: one line per cycle, ? for what verbosity 0 does not log, and the hint', async () => {
    const r = await cpaLogs('web', '--decisions');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '2026-06-12T14:03:15Z eval ?    2 → 4     Scaled',
        '2026-06-12T14:03:25Z eval ?    4 → 4     NoChange',
        "2026-06-12T14:03:35Z eval ?    ? → ?     Failed  error: failed to get metrics: failed to gather metrics: exit status 1 (stderr: KeyError: 'numPods')",
        "2026-06-12T14:03:45Z eval ?    ? → ?     Failed  error: failed get evaluation: failed to parse JSON evaluation, got 'debug: 3 pods⏎{\"targetReplicas\": 4}⏎': invalid character 'd' looking for beginning of value",
        '',
      ].join('\n'),
    );
    assert.match(
      r.stderr,
      /^hint: evaluations show as \? .*logVerbosity 2.*\{name: logVerbosity, value: "3"\}/,
    );
  });

  it('deployment/NAME: every pod of its selector, prefixed, --since drops old lines', async () => {
    const r = await cpaLogs('deployment/runner', '--since', '10m');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '[pod/runner-a/autoscaler] a new\n[pod/runner-b/autoscaler] b new\n');
  });

  it('an unknown name: exit 1 with the error and a hint', async () => {
    const r = await cpaLogs('nope');
    assert.equal(r.exitCode, 1);
    assert.equal(
      r.stderr,
      'error: custompodautoscaler "nope" not found in namespace "default"\n' +
        'hint: no CustomPodAutoscaler and no pod of that name; for an autoscaler run by a Deployment use deployment/nope\n',
    );
  });

  it('a container the pod does not have: the API server’s 400 message', async () => {
    const r = await cpaLogs('web', '-c', 'nope');
    assert.equal(r.exitCode, 1);
    assert.match(
      r.stderr,
      /^error: failed to get pods\/log "web" in namespace "default": bad request: container nope is not valid for pod web\n/,
    );
  });

  it('bad flags: exit 2 naming each problem', async () => {
    const r = await cpaLogs('web', '--tail', 'x');
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /--tail "x": use a number of lines/);
  });

  it('-f follows the pod across its recreation by the operator, and Ctrl-C ends cleanly', async () => {
    stub.addPod('recreated', OWNED('recreated'));
    stub.append('recreated', 'first pod: line 1');
    const run = start(['recreated', '-f']);
    await until(() => run.stdout().includes('line 1'), 'the first pod’s line');
    stub.append('recreated', 'first pod: line 2');
    await until(() => run.stdout().includes('line 2'), 'a followed line');
    stub.deletePod('recreated');
    await until(() => run.stderr().includes('waiting for a pod'), 'the waiting note');
    stub.addPod('recreated', OWNED('recreated'));
    stub.append('recreated', 'second pod: line 1');
    await until(() => run.stdout().includes('second pod'), 'the new pod’s line');
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0, run.stderr());
    assert.equal(run.stdout(), 'first pod: line 1\nfirst pod: line 2\nsecond pod: line 1\n');
    assert.equal(
      run.stderr(),
      '- pod/recreated is gone\nwaiting for a pod of custompodautoscaler "recreated" (Ctrl-C to stop)\n' +
        '+ pod/recreated: new pod, following it\n',
    );
    assert.equal(stub.followers(), 0);
  });

  it('--decisions -f shows each cycle of a kubectl-cpa JSON log as it happens', async () => {
    stub.addPod('own', OWNED('own'));
    const run = start(['own', '-f', '--decisions']);
    await until(() => stub.followers() === 1, 'the follow stream');
    const json = fixture('own-json.log').split('\n');
    stub.append('own', json.slice(0, 7).join('\n'));
    await until(() => run.stdout().includes('Scaled'), 'the first decision');
    assert.equal(run.stdout(), '2026-06-12T14:03:15Z eval 12   2 → 10    ClampedToMax,Scaled\n');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.stderr());
  });
});
