// The real ProcessRunner against real processes: exit codes, exact stdin/stdout bytes, env and cwd, and the
// process-group kill on timeout, abort and output limit (asserted by the grandchildren's pids being gone).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runProcess } from '../../../src/adapters/process.ts';
import type { ProcessOutcome, ProcessSpec } from '../../../src/ports.ts';

const FIXTURES = new URL('../../fixtures/hooks/', import.meta.url).pathname;
const GUARD = { timeout: 9_000 };
const scratch = mkdtempSync(join(tmpdir(), 'cpa-runner-'));
/** Processes a failing test may leave behind; killed at the end whatever happened. */
const leftovers: number[] = [];
after(() => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

function spec(file: string, args: string[], over: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    file,
    args,
    cwd: scratch,
    stdin: '',
    timeoutMs: 5_000,
    maxOutputBytes: 1024 * 1024,
    env: { PATH: process.env.PATH },
    ...over,
  };
}

function sh(script: string, over: Partial<ProcessSpec> = {}): Promise<ProcessOutcome> {
  return runProcess(spec('sh', ['-c', script], over));
}

/** A pid is gone when signalling it fails, or when only its zombie is left (our init may not reap orphans). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /\) [ZX] /.test(stat);
  } catch {
    return true;
  }
}

async function waitGone(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 40 && pids.some((pid) => !isGone(pid)); i++)
    await new Promise((r) => setTimeout(r, 50));
  return pids.filter((pid) => !isGone(pid));
}

function pidsIn(text: string): number[] {
  const pids = text.trim().split(/\s+/).map(Number);
  assert.ok(
    pids.length > 0 && pids.every((pid) => Number.isInteger(pid) && pid > 1),
    `pids in ${JSON.stringify(text)}`,
  );
  return pids;
}

describe('runProcess: exits', () => {
  test('reports the exit code with stdout and stderr as exact bytes', GUARD, async () => {
    const got = await sh('printf "out\\n"; printf "err" >&2; exit 3');
    assert.equal(got.kind, 'exited');
    assert.ok(got.kind === 'exited');
    assert.equal(got.exitCode, 3);
    assert.equal(got.stdout.toString(), 'out\n');
    assert.equal(got.stderr.toString(), 'err');
  });

  test('writes the payload to stdin exactly, without a trailing newline, then EOF', GUARD, async () => {
    const payload = '{"resource":{"name":"web"},"runType":"scaler"}';
    const echoed = await runProcess(spec('cat', [], { stdin: payload }));
    assert.ok(echoed.kind === 'exited');
    assert.equal(echoed.stdout.toString(), payload);
  });

  test('passes a large payload through stdin completely', GUARD, async () => {
    const payload = 'x'.repeat(300_000);
    const got = await runProcess(spec('wc', ['-c'], { stdin: payload }));
    assert.ok(got.kind === 'exited');
    assert.equal(got.stdout.toString().trim(), '300000');
  });

  test('succeeds when the process ignores a large payload and exits', GUARD, async () => {
    const got = await sh('echo done', { stdin: 'x'.repeat(2_000_000) });
    assert.ok(got.kind === 'exited');
    assert.equal(got.exitCode, 0);
    assert.equal(got.stdout.toString(), 'done\n');
  });

  test('gives the process exactly the given environment, skipping undefined values', GUARD, async () => {
    const env = { PATH: process.env.PATH, CPA_TEST: 'a b', CPA_UNSET: undefined };
    const got = await sh('printf "%s|%s|%s" "$CPA_TEST" "${CPA_UNSET-absent}" "${HOME-nohome}"', { env });
    assert.ok(got.kind === 'exited');
    assert.equal(got.stdout.toString(), 'a b|absent|nohome');
  });

  test('runs in the given working directory', GUARD, async () => {
    const got = await runProcess(spec('pwd', []));
    assert.ok(got.kind === 'exited');
    assert.equal(got.stdout.toString(), `${realpathSync(scratch)}\n`);
  });

  test('keeps non-UTF-8 output as raw bytes', GUARD, async () => {
    const got = await sh("printf '\\377\\376ok\\200'");
    assert.ok(got.kind === 'exited');
    assert.deepEqual([...got.stdout], [0xff, 0xfe, 0x6f, 0x6b, 0x80]);
  });

  test('accepts output of exactly the limit', GUARD, async () => {
    const got = await sh('head -c 4096 /dev/zero', { maxOutputBytes: 4096 });
    assert.ok(got.kind === 'exited');
    assert.equal(got.stdout.length, 4096);
  });
});

describe('runProcess: killed', () => {
  test('reports a crash by signal', GUARD, async () => {
    for (const signal of ['SEGV', 'KILL']) {
      const got = await sh(`printf "dying" >&2; kill -${signal} $$`);
      assert.equal(got.kind, 'signaled');
      assert.ok(got.kind === 'signaled');
      assert.equal(got.signal, `SIG${signal}`);
      assert.equal(got.stderr.toString(), 'dying');
    }
  });

  test(
    'on timeout kills the whole group, grandchild included, and keeps the output so far',
    GUARD,
    async () => {
      const got = await sh('sleep 100 & echo $!; echo waiting >&2; wait', { timeoutMs: 300 });
      assert.equal(got.kind, 'timeout');
      assert.ok(got.kind === 'timeout');
      assert.equal(got.stderr.toString(), 'waiting\n');
      assert.deepEqual(await waitGone(pidsIn(got.stdout.toString())), []);
    },
  );

  test('on timeout kills children a python script spawned', GUARD, async () => {
    const got = await runProcess(
      spec('python3', [join(FIXTURES, 'spawn-children.py')], { timeoutMs: 1_000 }),
    );
    assert.equal(got.kind, 'timeout');
    assert.ok(got.kind === 'timeout');
    const pids = pidsIn(got.stdout.toString());
    assert.equal(pids.length, 2);
    assert.deepEqual(await waitGone(pids), []);
  });

  test('times out when the child exits but a grandchild keeps stdout open', GUARD, async () => {
    const got = await sh('sleep 100 & echo $!', { timeoutMs: 300 });
    assert.equal(got.kind, 'timeout');
    assert.ok(got.kind === 'timeout');
    assert.deepEqual(await waitGone(pidsIn(got.stdout.toString())), []);
  });

  test('on abort kills the group and reports aborted', GUARD, async () => {
    const pidFile = join(scratch, 'abort.pid');
    const controller = new AbortController();
    const running = sh(`sleep 100 & echo $! > ${pidFile}; wait`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const got = await running;
    assert.equal(got.kind, 'aborted');
    assert.deepEqual(await waitGone(pidsIn(readFileSync(pidFile, 'utf8'))), []);
  });

  test('does not start when the signal is already aborted', GUARD, async () => {
    const got = await sh('exit 0', { signal: AbortSignal.abort() });
    assert.equal(got.kind, 'aborted');
  });

  test('stops a process whose stdout exceeds the limit, with every writer in its group', GUARD, async () => {
    const got = await sh('yes 2>/dev/null & echo $! >&2; wait', { maxOutputBytes: 64 * 1024 });
    assert.equal(got.kind, 'output-limit');
    assert.ok(got.kind === 'output-limit');
    assert.equal(got.stream, 'stdout');
    assert.equal(got.limitBytes, 64 * 1024);
    assert.deepEqual(await waitGone(pidsIn(got.stderr.toString())), []);
  });

  test('stops a process whose stderr exceeds the limit', GUARD, async () => {
    const got = await sh('head -c 200000 /dev/zero >&2', { maxOutputBytes: 64 * 1024 });
    assert.ok(got.kind === 'output-limit');
    assert.equal(got.stream, 'stderr');
  });
});

describe('runProcess: start failures', () => {
  const notExecutable = join(scratch, 'plain.sh');
  writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
  chmodSync(notExecutable, 0o644);
  const badInterpreter = join(scratch, 'bad-shebang.sh');
  writeFileSync(badInterpreter, '#!/nonexistent/interpreter\n');
  chmodSync(badInterpreter, 0o755);
  const cases = [
    {
      name: 'a name not in PATH',
      given: spec('no-such-exe-cpa', []),
      want: 'executable "no-such-exe-cpa" not found in PATH',
    },
    {
      name: 'a missing path',
      given: spec('/nonexistent/metric', []),
      want: 'executable "/nonexistent/metric" not found',
    },
    {
      name: 'a file without exec permission',
      given: spec(notExecutable, []),
      want: `executable "${notExecutable}" is not executable (permission denied)`,
    },
    {
      name: 'a script whose #! interpreter is missing',
      given: spec(badInterpreter, []),
      want: `cannot run "${badInterpreter}": the interpreter named in its #! line was not found`,
    },
    { name: 'an empty entrypoint', given: spec('', []), want: 'no command: entrypoint is empty' },
    {
      name: 'a missing working directory',
      given: spec('true', [], { cwd: '/nonexistent/dir' }),
      want: 'working directory "/nonexistent/dir" does not exist or is not a directory',
    },
  ];
  for (const { name, given, want } of cases) {
    test(`reports ${name}`, GUARD, async () => {
      const got = await runProcess(given);
      assert.equal(got.kind, 'start-failed');
      assert.ok(got.kind === 'start-failed');
      assert.equal(got.message, want);
    });
  }
});

describe('runProcess: kubectl-cpa exits', () => {
  test('a hook still running when the process exits dies with its group', GUARD, async () => {
    const pidFile = join(scratch, 'exit.pid');
    const script = [
      `import { runProcess } from ${JSON.stringify(new URL('../../../src/adapters/process.ts', import.meta.url).href)};`,
      `void runProcess({ file: 'sh', args: ['-c', 'sleep 100 & echo $! > ${pidFile}; wait'], cwd: '/', stdin: '',`,
      `  timeoutMs: 60000, maxOutputBytes: 1024, env: { PATH: process.env.PATH } });`,
      `const { existsSync } = await import('node:fs');`,
      `while (!existsSync(${JSON.stringify(pidFile)})) await new Promise((r) => setTimeout(r, 20));`,
      'process.exit(0);',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    await new Promise((resolve) => child.once('exit', resolve));
    const pids = pidsIn(readFileSync(pidFile, 'utf8'));
    leftovers.push(...pids);
    assert.deepEqual(await waitGone(pids), []);
  });
});

describe('runProcess: per-call cost', () => {
  // execa by default registers signal-exit's handlers (a dozen signals plus exit) around every call, which was
  // a large part of the cycle's CPU (issue 11); the runner keeps one exit handler of its own instead.
  test('installs no process-wide signal or exit handlers while a call runs', GUARD, async () => {
    const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGALRM', 'SIGUSR2'] as const;
    const count = (): number[] => events.map((event) => process.listenerCount(event));
    await sh('true'); // the first call installs the runner's own exit handler, once
    const before = count();
    const call = sh('sleep 0.3');
    await new Promise((r) => setTimeout(r, 100));
    const during = count();
    assert.equal((await call).kind, 'exited');
    assert.deepEqual(during, before);
  });
});
