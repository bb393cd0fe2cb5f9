// Dispatch by method type (hand-written fakes) and the wording a user sees for a failed call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Method } from '../../../src/config/types.ts';
import {
  callMethod,
  describeCall,
  describeFailure,
  methodLabel,
  type MethodContext,
} from '../../../src/hooks/execute.ts';
import type { HookFailure } from '../../../src/hooks/types.ts';
import type { HttpRequestSpec, ProcessSpec } from '../../../src/ports.ts';

const shell: Method = {
  type: 'shell',
  timeoutMs: 500,
  shell: { entrypoint: 'python', command: ['/evaluate.py'], logStderr: false },
};
const http: Method = {
  type: 'http',
  timeoutMs: 700,
  http: {
    method: 'POST',
    url: 'http://svc/evaluate',
    headers: {},
    successCodes: [200],
    parameterMode: 'body',
  },
};

/** A context whose runner and requester log their calls and answer with fixed text. */
function fakeContext(): MethodContext & { processes: ProcessSpec[]; requests: HttpRequestSpec[] } {
  const processes: ProcessSpec[] = [];
  const requests: HttpRequestSpec[] = [];
  return {
    processes,
    requests,
    runner: async (spec) => (
      processes.push(spec),
      {
        kind: 'exited',
        exitCode: 0,
        stdout: Buffer.from('from shell'),
        stderr: Buffer.from(''),
        durationMs: 1,
      }
    ),
    request: async (spec) => (
      requests.push(spec),
      { kind: 'response', status: 200, body: Buffer.from('from http'), durationMs: 1 }
    ),
    files: { readText: async () => null, exists: async () => false },
    cwd: '/work',
    env: { PATH: '/usr/bin' },
  };
}

describe('callMethod', () => {
  test('runs a shell method through the runner with the context cwd and env', async () => {
    const ctx = fakeContext();
    const got = await callMethod(shell, '{"p":1}', ctx);
    assert.deepEqual(got, { ok: true, output: 'from shell', stderr: '', durationMs: 1 });
    assert.deepEqual(
      ctx.processes.map((p) => [p.file, p.args, p.stdin, p.cwd, p.env, p.timeoutMs]),
      [['python', ['/evaluate.py'], '{"p":1}', '/work', { PATH: '/usr/bin' }, 500]],
    );
    assert.equal(ctx.requests.length, 0);
  });

  test('sends an http method through the requester', async () => {
    const ctx = fakeContext();
    const got = await callMethod(http, '{"p":2}', ctx);
    assert.deepEqual(got, { ok: true, output: 'from http', stderr: '', durationMs: 1 });
    assert.deepEqual(
      ctx.requests.map((r) => [r.method, r.url, r.body, r.timeoutMs]),
      [['POST', 'http://svc/evaluate', '{"p":2}', 700]],
    );
    assert.equal(ctx.processes.length, 0);
  });

  test('passes the cancellation signal on', async () => {
    const ctx = { ...fakeContext(), signal: AbortSignal.abort() };
    await callMethod(shell, '', ctx);
    await callMethod(http, '', ctx);
    assert.equal(ctx.processes[0]?.signal, ctx.signal);
    assert.equal(ctx.requests[0]?.signal, ctx.signal);
  });

  test('an unknown type is a failure value, as in CPA', async () => {
    const odd = { type: 'grpc', timeoutMs: 1 } as unknown as Method;
    const got = await callMethod(odd, '', fakeContext());
    assert.deepEqual(got, {
      ok: false,
      failure: { kind: 'start', message: "unknown execution method: 'grpc'" },
      durationMs: 0,
    });
  });
});

describe('describeFailure', () => {
  const cases: { name: string; given: [string, HookFailure]; want: string }[] = [
    {
      name: 'exit with a one-line stderr',
      given: [
        'evaluate hook (shell)',
        { kind: 'exit', message: 'exit status 1', exitCode: 1, detail: 'no numPods label' },
      ],
      want: 'evaluate hook (shell) failed: exit status 1; stderr: no numPods label',
    },
    {
      name: 'a multi-line stderr tail goes on indented lines',
      given: [
        'metric hook (shell)',
        {
          kind: 'exit',
          message: 'exit status 1',
          detail: 'Traceback (most recent call last):\nZeroDivisionError: division by zero',
        },
      ],
      want: 'metric hook (shell) failed: exit status 1; stderr:\n  Traceback (most recent call last):\n  ZeroDivisionError: division by zero',
    },
    {
      name: 'no detail, no stderr part',
      given: ['preScale hook (shell)', { kind: 'signal', message: 'signal: killed' }],
      want: 'preScale hook (shell) failed: signal: killed',
    },
    {
      name: 'http status: the body is already in the message, not repeated',
      given: [
        'evaluate hook (http)',
        {
          kind: 'http-status',
          message: "HTTP request failed, status: [500], response: 'x'",
          status: 500,
          detail: 'x',
        },
      ],
      want: "evaluate hook (http) failed: HTTP request failed, status: [500], response: 'x'",
    },
    {
      name: 'tls',
      given: ['metric hook (http)', { kind: 'tls', message: 'caCert file "/ca.pem" does not exist' }],
      want: 'metric hook (http) failed: caCert file "/ca.pem" does not exist',
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.equal(describeFailure(...given), want));
  }
});

describe('labels and call lines', () => {
  const cases = [
    { name: 'shell label', given: methodLabel('evaluate', shell), want: 'evaluate hook (shell)' },
    { name: 'http label', given: methodLabel('postScale', http), want: 'postScale hook (http)' },
    {
      name: 'shell V(4) line',
      given: describeCall(shell),
      want: "Running shell command, entrypoint: 'python', command '[/evaluate.py]'",
    },
    {
      name: 'http V(4) line',
      given: describeCall(http),
      want: "Making HTTP request, method: 'POST', URL: 'http://svc/evaluate'",
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.equal(given, want));
  }
});
