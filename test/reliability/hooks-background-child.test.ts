// A hook that succeeds but leaves a background child behind (`(sleep 1000 &); echo …`) must not leak it past
// the call: the real process runner kills the hook's process group when the hook ends, not only on timeout
// (before: the orphaned `sleep` outlived the cycle and the kubectl-cpa process itself).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runProcess } from '../../src/adapters/process.ts';
import type { ProcessOutcome } from '../../src/ports.ts';

const GUARD = { timeout: 10_000 };
const scratch = mkdtempSync(join(tmpdir(), 'cpa-rel-hooks-'));
const leftovers: number[] = [];
after(() => {
  // Whatever the outcome, this test leaves no process of its own behind.
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** Alive in the process table: present in /proc and not a zombie (an init that does not reap leaves those). */
function alive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls /proc until `pid` is gone or ~3 s passed; true when it is gone. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 60 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

function runHook(script: string, timeoutMs = 5_000): Promise<ProcessOutcome> {
  return runProcess({
    file: '/bin/sh',
    args: ['-c', script],
    cwd: scratch,
    stdin: '{}',
    timeoutMs,
    maxOutputBytes: 1024 * 1024,
    env: { PATH: process.env.PATH },
  });
}

// Each row: a hook whose background grandchild writes its pid to the pid file, and how the call must end.
const cases = [
  {
    name: 'a successful hook',
    script: (pidFile: string) =>
      `(sleep 1000 >/dev/null 2>&1 & echo $! > ${pidFile}); echo '{"targetReplicas":3}'`,
    want: { kind: 'exited', exitCode: 0, stdout: '{"targetReplicas":3}\n' },
  },
  {
    name: 'a hook that fails with exit status 2',
    script: (pidFile: string) => `(sleep 1000 >/dev/null 2>&1 & echo $! > ${pidFile}); exit 2`,
    want: { kind: 'exited', exitCode: 2, stdout: '' },
  },
  {
    name: 'a hook that kills itself',
    script: (pidFile: string) => `(sleep 1000 >/dev/null 2>&1 & echo $! > ${pidFile}); kill -TERM $$`,
    want: { kind: 'signaled', stdout: '' },
  },
];

for (const c of cases) {
  test(`${c.name} leaves no background child running once the call returns`, GUARD, async () => {
    const pidFile = join(scratch, `${c.want.kind}-${c.want.exitCode ?? 'sig'}.pid`);
    const got = await runHook(c.script(pidFile));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(Number.isInteger(pid) && pid > 1, `grandchild pid ${pid}`);
    leftovers.push(pid);
    assert.equal(got.kind, c.want.kind);
    if (got.kind === 'exited') {
      assert.equal(got.exitCode, c.want.exitCode);
      assert.equal(got.stdout.toString(), c.want.stdout);
    }
    assert.ok(await gone(pid), `background child ${pid} still running after the hook returned`);
  });
}

test('the timeout still kills the group and reports a timeout', GUARD, async () => {
  const pidFile = join(scratch, 'timeout.pid');
  const got = await runHook(`(sleep 1000 >/dev/null 2>&1 & echo $! > ${pidFile}); sleep 1000`, 300);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  leftovers.push(pid);
  assert.equal(got.kind, 'timeout');
  assert.ok(await gone(pid), `background child ${pid} still running after the timeout`);
});
