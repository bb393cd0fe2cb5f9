// The sandbox must survive whatever a client sends. Before the fix one unauthenticated request with a
// request-target that WHATWG URL rejects (`GET http://[ HTTP/1.1`) threw `TypeError: Invalid URL` outside any
// try, the promise of the request handler was never caught, and the process — `demo` or `run --sandbox`
// with it — died. The sandbox speaks only TLS, so the raw bytes go over node:tls (a socket, no HTTP client
// that would clean the request line up).
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server/server.ts';
import type { SandboxApi } from '../../src/sandbox/apiserver/api.ts';
import { sandboxDeps } from '../support/sandbox-deps.ts';

let sandbox: SandboxHandle;
const reported: unknown[] = [];
let reporterThrows = false;

before(async () => {
  sandbox = await startSandbox(sandboxDeps(), {
    onError: (err) => {
      reported.push(err);
      if (reporterThrows) throw new Error('the reporter failed too');
    },
  });
});
after(async () => {
  await sandbox?.close();
});

/** Writes `bytes` on a fresh TLS connection and returns everything the server sends until it closes. */
function exchange(bytes: string): Promise<string> {
  const { hostname, port } = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca: sandbox.caPem, servername: hostname });
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('secureConnect', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
    socket.on('error', (err) => (clearTimeout(timer), text === '' ? reject(err) : resolve(text)));
  });
}

/** GET with the admin token over a normal HTTPS client. */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest(
      new URL(path, sandbox.url),
      { ca: sandbox.caPem, headers: { authorization: `Bearer ${sandbox.token}` }, timeout: 3_000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    )
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error(`GET ${path}: no answer in 3 s`));
      })
      .on('error', reject)
      .end();
  });
}

describe(
  'the sandbox reads raw request targets like kube-apiserver and keeps serving',
  { timeout: 20_000 },
  () => {
    for (const target of ['http://[', 'http://%zz/']) {
      it(`GET ${target} → Go's 400 Bad Request, and /healthz still answers`, async () => {
        const reply = await exchange(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
        // kube-apiserver (Go's net/http) answers this status, these two headers and this body.
        const [head = '', body] = reply.split('\r\n\r\n');
        const lines = head.split('\r\n');
        assert.equal(lines[0], 'HTTP/1.1 400 Bad Request', JSON.stringify(reply));
        assert.ok(lines.includes('Content-Type: text/plain; charset=utf-8'), head);
        assert.ok(lines.includes('Connection: close'), head);
        assert.equal(body, '400 Bad Request');
        assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
      });
    }

    it('GET http://a:99999/ is served as its path `/` (Go only checks that a port is digits)', async () => {
      const statusLine = (reply: string) => reply.split('\r\n')[0];
      const absolute = await exchange('GET http://a:99999/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const origin = await exchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.match(statusLine(absolute) ?? '', /^HTTP\/1\.1 \d{3} /);
      assert.equal(statusLine(absolute), statusLine(origin));
      assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
    });
  },
);

describe('an unexpected failure while handling a request is a 500 Status, reported, not a crash', () => {
  const failures: { name: string; handle: SandboxApi['handle'] }[] = [
    {
      name: 'the API throws',
      handle: () => {
        throw new Error('boom (thrown)');
      },
    },
    { name: 'the API rejects', handle: async () => Promise.reject(new Error('boom (rejected)')) },
    {
      name: 'the answer cannot be written (invalid header)',
      handle: async () => ({ status: 200, headers: { 'X-Bad': 'a\nb' }, body: '' }),
    },
  ];
  for (const [i, f] of failures.entries()) {
    // The last case also has a reporter that throws: that must not end the process either.
    const throwing = i === failures.length - 1;
    it(`${f.name}${throwing ? ' (and the reporter throws)' : ''} → 500 InternalError, reported, /healthz still answers`, async () => {
      const api = sandbox.core.api;
      const real = api.handle;
      reported.length = 0;
      reporterThrows = throwing;
      api.handle = f.handle;
      try {
        const reply = await get('/api/v1/namespaces');
        assert.equal(reply.status, 500, reply.body);
        const status = JSON.parse(reply.body);
        assert.equal(status.kind, 'Status');
        assert.equal(status.reason, 'InternalError');
        assert.equal(status.code, 500);
      } finally {
        api.handle = real;
        reporterThrows = false;
      }
      assert.equal(reported.length, 1, 'reported once');
      assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
    });
  }
});
