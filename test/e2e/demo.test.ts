// `kubectl cpa demo`, the README's main job: the built binary, no cluster, with and without python3.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cpaBinary, repoRoot } from '../support/cpa.ts';

function demo(env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(cpaBinary, ['demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? 124 });
    });
  });
}

function assertStory(result: { stdout: string; stderr: string; code: number }): void {
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /hello-kubernetes 1 → 3 replicas \(evaluation 3; scaled\)/);
  assert.match(result.stderr, /relabelled deployment\/hello-kubernetes numPods=5/);
  assert.match(result.stderr, /hello-kubernetes 3 → 5 replicas \(evaluation 5; scaled\)/);
  const row = result.stdout.split('\n').find((l) => l.includes('Deployment/hello-kubernetes'));
  assert.ok(row, result.stdout);
  // -o wide: LAST EVALUATION 5, MINPODS, MAXPODS, REPLICAS 5, AGE, LAST SCALE, STATUS, SOURCE.
  assert.match(row, /Deployment\/hello-kubernetes\s+5\s+\d+\s+\d+\s+5\s+\S+\s+\S+\s+Active\s+annotations\b/);
}

describe('kubectl cpa run --sandbox', () => {
  it('runs the example against an in-process sandbox with its deployment.yaml loaded', async () => {
    const result = await new Promise<{ stderr: string; code: number }>((resolve) => {
      const child = spawn(cpaBinary, ['run', 'examples/python-custom-autoscaler', '--sandbox', '--once'], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ stderr, code: code ?? 124 }));
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /with examples\/python-custom-autoscaler\/deployment\.yaml loaded/);
    assert.match(result.stderr, /hello-kubernetes 1 → 3 replicas/);
  });
});

describe('kubectl cpa demo', () => {
  it('runs the guide example in the sandbox: 1 → 3, relabel, 3 → 5, then the status table', async () => {
    assertStory(await demo({ ...process.env }));
  });

  it('without python3 says so and runs the shell variant of the example', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'nopython-'));
    try {
      // A PATH with only what the shell variant needs (sh, sed, cat) and the pinned node for the launcher.
      for (const tool of ['sh', 'sed', 'cat', 'readlink', 'dirname', 'uname', 'tr'])
        symlinkSync(`/bin/${tool}`, join(bin, tool));
      const result = await demo({ PATH: bin, HOME: process.env['HOME'] ?? '/root' });
      assert.match(result.stderr, /python3 not found: using the same example with shell one-liners/);
      assertStory(result);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
