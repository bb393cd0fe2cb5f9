// The shell method: how runner outcomes become HookResults (table), what it asks the runner for (fake),
// and the whole path through the real runner (python traceback, verbatim stdout, timeout text).
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProcess } from '../../../src/adapters/process.ts';
import { MAX_OUTPUT_BYTES } from '../../../src/config/defaults.ts';
import type { ShellMethod } from '../../../src/config/types.ts';
import { callShell, stderrTail, toHookResult } from '../../../src/hooks/shell.ts';
import type { HookResult } from '../../../src/hooks/types.ts';
import type { ProcessOutcome, ProcessRunner, ProcessSpec } from '../../../src/ports.ts';

const FIXTURES = new URL('../../fixtures/hooks/', import.meta.url).pathname;
const GUARD = { timeout: 9_000 };
const b = (text: string): Buffer => Buffer.from(text);
const method = (shell: Partial<ShellMethod> = {}, timeoutMs = 2500) => ({
  timeoutMs,
  shell: { entrypoint: 'python', command: ['/metric.py', '--fast'], logStderr: false, ...shell },
});

describe('toHookResult', () => {
  const cases: { name: string; given: ProcessOutcome; want: HookResult }[] = [
    {
      name: 'exit 0: stdout verbatim with its trailing newline, stderr kept',
      given: {
        kind: 'exited',
        exitCode: 0,
        stdout: b('{"targetReplicas": 3}\n'),
        stderr: b('note\n'),
        durationMs: 7,
      },
      want: { ok: true, output: '{"targetReplicas": 3}\n', stderr: 'note\n', durationMs: 7 },
    },
    {
      name: 'exit 0: invalid UTF-8 becomes replacement characters',
      given: {
        kind: 'exited',
        exitCode: 0,
        stdout: Buffer.from([0x35, 0xff, 0x0a]),
        stderr: b(''),
        durationMs: 1,
      },
      want: { ok: true, output: '5\uFFFD\n', stderr: '', durationMs: 1 },
    },
    {
      name: 'non-zero exit: exit status and the stderr tail',
      given: { kind: 'exited', exitCode: 2, stdout: b('ignored'), stderr: b('bad input\n'), durationMs: 3 },
      want: {
        ok: false,
        failure: { kind: 'exit', message: 'exit status 2', exitCode: 2, detail: 'bad input' },
        durationMs: 3,
      },
    },
    {
      name: 'non-zero exit with empty stderr: no detail',
      given: { kind: 'exited', exitCode: 1, stdout: b(''), stderr: b(''), durationMs: 3 },
      want: { ok: false, failure: { kind: 'exit', message: 'exit status 1', exitCode: 1 }, durationMs: 3 },
    },
    {
      name: 'SIGKILL reads like Go: signal: killed',
      given: { kind: 'signaled', signal: 'SIGKILL', stdout: b(''), stderr: b(''), durationMs: 4 },
      want: { ok: false, failure: { kind: 'signal', message: 'signal: killed' }, durationMs: 4 },
    },
    {
      name: 'SIGSEGV reads like Go: signal: segmentation fault',
      given: { kind: 'signaled', signal: 'SIGSEGV', stdout: b(''), stderr: b('core\n'), durationMs: 4 },
      want: {
        ok: false,
        failure: { kind: 'signal', message: 'signal: segmentation fault', detail: 'core' },
        durationMs: 4,
      },
    },
    {
      name: "timeout: CPA's text plus the group kill",
      given: { kind: 'timeout', stdout: b(''), stderr: b('still working\n'), durationMs: 2501 },
      want: {
        ok: false,
        failure: {
          kind: 'timeout',
          message:
            "entrypoint 'python', command '[/metric.py --fast]' timed out after 2500ms; its process group was killed",
          detail: 'still working',
        },
        durationMs: 2501,
      },
    },
    {
      name: 'stdout over the limit',
      given: {
        kind: 'output-limit',
        stream: 'stdout',
        limitBytes: 1024 * 1024,
        stderr: b(''),
        durationMs: 9,
      },
      want: {
        ok: false,
        failure: { kind: 'output-limit', message: 'stdout exceeded 1 MiB limit' },
        durationMs: 9,
      },
    },
    {
      name: 'start failure keeps the runner message',
      given: { kind: 'start-failed', message: 'executable "python" not found in PATH', durationMs: 0 },
      want: {
        ok: false,
        failure: { kind: 'start', message: 'executable "python" not found in PATH' },
        durationMs: 0,
      },
    },
    {
      name: 'aborted',
      given: { kind: 'aborted', durationMs: 5 },
      want: {
        ok: false,
        failure: { kind: 'aborted', message: 'cancelled; its process group was killed' },
        durationMs: 5,
      },
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.deepEqual(toHookResult(given, method()), want));
  }

  test('timeout with no command renders an empty Go slice', () => {
    const got = toHookResult(
      { kind: 'timeout', stdout: b(''), stderr: b(''), durationMs: 1 },
      method({ entrypoint: '/bin/sh', command: [] }, 10),
    );
    assert.ok(!got.ok);
    assert.equal(
      got.failure.message,
      "entrypoint '/bin/sh', command '[]' timed out after 10ms; its process group was killed",
    );
  });
});

describe('stderrTail', () => {
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');
  const cases = [
    { name: 'blank stderr gives nothing', given: ' \n\n', want: '' },
    { name: 'few lines are kept whole, trailing newline dropped', given: 'a\nb\n', want: 'a\nb' },
    {
      name: 'more than 10 lines keeps the last 10',
      given: lines(12),
      want: `…\n${lines(12).split('\n').slice(2).join('\n')}`,
    },
    {
      name: 'one huge line keeps its last 2 KiB',
      given: `${'a'.repeat(3000)}END`,
      want: `…${'a'.repeat(2045)}END`,
    },
    {
      name: 'a cut through a multi-byte character drops the broken half',
      given: `${'é'.repeat(1500)}x`,
      want: `…${'é'.repeat(1023)}x`,
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.equal(stderrTail(Buffer.from(given)), want));
  }
});

describe('callShell with a fake runner', () => {
  test('asks for entrypoint + command, the payload on stdin, the 1 MiB bound and the given env/cwd', async () => {
    const calls: ProcessSpec[] = [];
    const runner: ProcessRunner = async (spec) => {
      calls.push(spec);
      return { kind: 'exited', exitCode: 0, stdout: b('5'), stderr: b(''), durationMs: 1 };
    };
    const signal = new AbortController().signal;
    const got = await callShell(method(), '{"a":1}', {
      runner,
      cwd: '/app',
      env: { PATH: '/bin', X: 'y' },
      signal,
    });
    assert.deepEqual(got, { ok: true, output: '5', stderr: '', durationMs: 1 });
    assert.deepEqual(calls, [
      {
        file: 'python',
        args: ['/metric.py', '--fast'],
        cwd: '/app',
        stdin: '{"a":1}',
        timeoutMs: 2500,
        maxOutputBytes: MAX_OUTPUT_BYTES,
        env: { PATH: '/bin', X: 'y' },
        signal,
      },
    ]);
  });
});

describe('callShell with the real runner', () => {
  const ctx = { runner: runProcess, cwd: tmpdir(), env: { PATH: process.env.PATH } };

  test("returns a python print()'s output verbatim, trailing newline included", GUARD, async () => {
    const shell = { entrypoint: 'python3', command: ['-c', 'import sys; print(sys.stdin.read().upper())'] };
    const got = await callShell(method(shell, 5000), '{"x":1}', ctx);
    assert.ok(got.ok);
    assert.equal(got.output, '{"X":1}\n');
  });

  test('puts the end of a python traceback in the failure detail', GUARD, async () => {
    const shell = { entrypoint: 'python3', command: [join(FIXTURES, 'traceback.py')] };
    const got = await callShell(method(shell, 5000), '{"current": 4, "wanted": 0}', ctx);
    assert.ok(!got.ok);
    assert.equal(got.failure.kind, 'exit');
    assert.equal(got.failure.message, 'exit status 1');
    const detail = got.failure.detail ?? '';
    assert.match(detail, /ZeroDivisionError: division by zero$/);
    assert.match(detail, /in ratio/);
    assert.ok(detail.split('\n').length <= 11, detail);
    assert.doesNotMatch(detail, /partial output/);
  });

  test('times out a hanging shell with the CPA message', GUARD, async () => {
    const shell = { entrypoint: 'sh', command: ['-c', 'sleep 100 & wait'] };
    const got = await callShell(method(shell, 300), '{}', ctx);
    assert.ok(!got.ok);
    assert.equal(got.failure.kind, 'timeout');
    assert.equal(
      got.failure.message,
      "entrypoint 'sh', command '[-c sleep 100 & wait]' timed out after 300ms; its process group was killed",
    );
  });

  test('fails a hook printing more than 1 MiB', GUARD, async () => {
    const shell = { entrypoint: 'head', command: ['-c', String(MAX_OUTPUT_BYTES + 1), '/dev/zero'] };
    const got = await callShell(method(shell, 5000), '', ctx);
    assert.ok(!got.ok);
    assert.deepEqual(got.failure, { kind: 'output-limit', message: 'stdout exceeded 1 MiB limit' });
  });
});
