// Adapter tests on real loopback servers: plain HTTP, HTTPS with a certificate made by openssl at test time,
// listen failures and graceful close.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRequestTarget, serveHttp } from '../../../src/adapters/http-server.ts';
import { CpaError } from '../../../src/errors.ts';
import type { ApiRequest, ApiResponse, ServerHandle } from '../../../src/ports.ts';

const HANG_GUARD = { timeout: 20_000 };

interface Seen {
  method: string;
  path: string;
  query: [string, string][];
}

/** A handler that records what it was asked and answers a fixed response. */
class RecordingHandler {
  readonly seen: Seen[] = [];
  response: ApiResponse = {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: '[]',
  };
  readonly handle = async (request: ApiRequest): Promise<ApiResponse> => {
    this.seen.push({ method: request.method, path: request.path, query: [...request.query.entries()] });
    return this.response;
  };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  address: string,
  options: { method?: string; path: string; body?: string; agent?: http.Agent; ca?: string; tls?: boolean },
): Promise<Reply> {
  const [host, port] = splitAddress(address);
  const request = options.tls === true ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: options.agent,
        ca: options.ca,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

async function withServer(
  handler: RecordingHandler,
  run: (server: ServerHandle) => Promise<void>,
): Promise<void> {
  const server = await serveHttp({ host: '127.0.0.1', port: 0, handle: handler.handle });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

test('serves HTTP on port 0 and reports the real bound port', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  await withServer(handler, async (server) => {
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(splitAddress(server.address)[1], 0);
    const reply = await send(server.address, { path: '/api/v1/metrics?dry_run=true' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '[]');
    assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(reply.headers['content-length'], '2');
    assert.deepEqual(handler.seen, [
      { method: 'GET', path: '/api/v1/metrics', query: [['dry_run', 'true']] },
    ]);
  });
});

test('ignores request bodies and keeps the connection usable', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  agent.on('free', (socket) => sockets.add(socket));
  try {
    await withServer(handler, async (server) => {
      const body = 'x'.repeat(100_000);
      const first = await send(server.address, { method: 'POST', path: '/api/v1/evaluation', body, agent });
      const second = await send(server.address, { method: 'POST', path: '/api/v1/evaluation', body, agent });
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.equal(sockets.size, 1, 'both requests should share one keep-alive socket');
      assert.equal(handler.seen.length, 2);
    });
  } finally {
    agent.destroy();
  }
});

test(
  'answers a bad percent escape in the path with 400 without calling the handler',
  HANG_GUARD,
  async () => {
    const handler = new RecordingHandler();
    await withServer(handler, async (server) => {
      const reply = await send(server.address, { path: '/api/v1/%zz' });
      assert.deepEqual(
        [reply.status, reply.body, reply.headers.connection],
        [400, '400 Bad Request', 'close'],
      );
      assert.equal(handler.seen.length, 0);
    });
  },
);

test('answers 500 when the handler throws', HANG_GUARD, async () => {
  const server = await serveHttp({
    host: '127.0.0.1',
    port: 0,
    handle: async () => {
      throw new Error('bug');
    },
  });
  try {
    const reply = await send(server.address, { path: '/api/v1/metrics' });
    assert.deepEqual([reply.status, reply.body], [500, '500 Internal Server Error\n']);
  } finally {
    await server.close();
  }
});

const targetCases: {
  name: string;
  given: string;
  want: { path: string; query: [string, string][] } | null;
}[] = [
  { name: 'plain path', given: '/api/v1/metrics', want: { path: '/api/v1/metrics', query: [] } },
  { name: 'percent-decoded path', given: '/api/v1/metric%73', want: { path: '/api/v1/metrics', query: [] } },
  { name: 'plus stays a plus in the path', given: '/a+b', want: { path: '/a+b', query: [] } },
  { name: 'UTF-8 escapes', given: '/caf%C3%A9', want: { path: '/café', query: [] } },
  { name: 'bad escape in the path', given: '/api/%zz', want: null },
  { name: 'truncated escape in the path', given: '/api/%4', want: null },
  {
    name: 'query decoded with plus as space',
    given: '/m?dry_run=t%72ue&x=a+b',
    want: {
      path: '/m',
      query: [
        ['dry_run', 'true'],
        ['x', 'a b'],
      ],
    },
  },
  { name: 'key without a value', given: '/m?dry_run', want: { path: '/m', query: [['dry_run', '']] } },
  {
    name: 'pairs with a semicolon are skipped',
    given: '/m?dry_run=x;y&a=1',
    want: { path: '/m', query: [['a', '1']] },
  },
  {
    name: 'pairs with a bad escape are skipped',
    given: '/m?dry_run=%zz&a=1',
    want: { path: '/m', query: [['a', '1']] },
  },
  {
    name: 'absolute form',
    given: 'http://example.test:5000/api/v1/metrics?dry_run=1',
    want: { path: '/api/v1/metrics', query: [['dry_run', '1']] },
  },
];

for (const { name, given, want } of targetCases) {
  test(`parseRequestTarget: ${name}`, () => {
    const got = parseRequestTarget(given);
    assert.deepEqual(got === null ? null : { path: got.path, query: [...got.query.entries()] }, want);
  });
}

let certDir = '';
let cert = '';
let key = '';

before(() => {
  certDir = mkdtempSync(join(tmpdir(), 'cpa-api-tls-'));
  const keyFile = join(certDir, 'key.pem');
  const certFile = join(certDir, 'cert.pem');
  const subject = '-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1';
  const args = `req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 ${subject}`.split(
    ' ',
  );
  execFileSync('openssl', [...args, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  cert = readFileSync(certFile, 'utf8');
  key = readFileSync(keyFile, 'utf8');
});

after(() => rmSync(certDir, { recursive: true, force: true }));

test('serves HTTPS with a PEM certificate and key', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  const server = await serveHttp({ host: '127.0.0.1', port: 0, tls: { cert, key }, handle: handler.handle });
  try {
    const reply = await send(server.address, { path: '/api/v1/metrics', tls: true, ca: cert });
    assert.deepEqual([reply.status, reply.body], [200, '[]']);
    assert.equal(handler.seen[0]?.path, '/api/v1/metrics');
  } finally {
    await server.close();
  }
});

test('rejects a certificate that is not PEM with a clear error', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  await assert.rejects(
    serveHttp({ host: '127.0.0.1', port: 0, tls: { cert: 'not a cert', key }, handle: handler.handle }),
    (err: unknown) =>
      err instanceof CpaError &&
      /^cannot serve HTTPS on 127\.0\.0\.1:0: invalid certificate or key: /.test(err.message),
  );
});

test('rejects with "address already in use" when the port is taken', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  await withServer(handler, async (taken) => {
    const port = splitAddress(taken.address)[1];
    await assert.rejects(serveHttp({ host: '127.0.0.1', port, handle: handler.handle }), (err: unknown) => {
      assert.ok(err instanceof CpaError);
      assert.equal(err.message, `cannot listen on 127.0.0.1:${port}: address already in use`);
      // A second `run` on the default port: the hint names the flags, not only apiConfig.
      assert.match(err.hint ?? '', /--api-addr 127\.0\.0\.1:PORT .*--no-api/);
      assert.match(err.hint ?? '', /kubectl cpa run DIR1 DIR2/);
      return true;
    });
  });
});

test('rejects with "cannot assign requested address" for a host that is not ours', HANG_GUARD, async () => {
  const handler = new RecordingHandler();
  // 192.0.2.1 is TEST-NET-1: never assigned to a local interface.
  await assert.rejects(serveHttp({ host: '192.0.2.1', port: 0, handle: handler.handle }), {
    message: 'cannot listen on 192.0.2.1:0: cannot assign requested address',
  });
});

test(
  'close() ends an idle keep-alive connection, resolves and refuses new connections',
  HANG_GUARD,
  async () => {
    const handler = new RecordingHandler();
    const server = await serveHttp({ host: '127.0.0.1', port: 0, handle: handler.handle });
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      let clientSocket: net.Socket | undefined;
      agent.on('free', (socket: net.Socket) => (clientSocket = socket));
      await send(server.address, { path: '/api/v1/metrics', agent });
      assert.ok(
        clientSocket !== undefined && !clientSocket.destroyed,
        'the client should hold an idle connection',
      );
      // The agent unrefs idle sockets; ref it so that waiting for its close keeps the test alive.
      clientSocket.ref();
      const socketClosed = new Promise((resolve) => clientSocket?.once('close', resolve));
      await server.close();
      await socketClosed;
      const [host, port] = splitAddress(server.address);
      await assert.rejects(
        new Promise((resolve, reject) => net.connect(port, host).on('connect', resolve).on('error', reject)),
        { code: 'ECONNREFUSED' },
      );
    } finally {
      agent.destroy();
    }
  },
);

test('close() waits for an answer in progress and sends it with Connection: close', HANG_GUARD, async () => {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => {};
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  const server = await serveHttp({
    host: '127.0.0.1',
    port: 0,
    handle: async () => {
      started();
      await released;
      return { status: 200, headers: {}, body: '{"targetReplicas":3}' };
    },
  });
  const reply = send(server.address, { method: 'POST', path: '/api/v1/evaluation' });
  await handlerStarted;
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(closed, false, 'close() must not resolve while an answer is owed');
  release();
  const got = await reply;
  await closing;
  assert.deepEqual([got.status, got.body, got.headers.connection], [200, '{"targetReplicas":3}', 'close']);
});

test('a client that leaves while its cycle runs does not hold up close()', HANG_GUARD, async () => {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => {};
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  let answered = false;
  const server = await serveHttp({
    host: '127.0.0.1',
    port: 0,
    handle: async () => {
      started();
      await released;
      answered = true;
      return { status: 200, headers: {}, body: '[]' };
    },
  });
  const [host, port] = splitAddress(server.address);
  const client = net.connect(port, host);
  client.write('GET /api/v1/metrics HTTP/1.1\r\nHost: test\r\n\r\n');
  await handlerStarted;
  const gone = new Promise((resolve) => client.once('close', resolve));
  client.destroy();
  await gone;
  const closing = server.close();
  release();
  await closing;
  assert.equal(answered, true, 'the cycle that had started runs to its end');
});

test(
  'a client that leaves aborts its request signal; a client served leaves it alone',
  HANG_GUARD,
  async () => {
    const signals: AbortSignal[] = [];
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const server = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      handle: async (request) => {
        if (request.signal) signals.push(request.signal);
        if (request.path === '/slow') {
          started();
          // Stands for a cycle: it ends when the client goes away.
          await new Promise((resolve) => request.signal?.addEventListener('abort', resolve, { once: true }));
        }
        return { status: 200, headers: {}, body: '[]' };
      },
    });
    try {
      const served = await send(server.address, { path: '/fast' });
      assert.equal(served.status, 200);
      const [host, port] = splitAddress(server.address);
      const client = net.connect(port, host);
      client.write('GET /slow HTTP/1.1\r\nHost: test\r\n\r\n');
      await handlerStarted;
      client.destroy();
      await new Promise((resolve) => signals[1]?.addEventListener('abort', resolve, { once: true }));
      assert.deepEqual(
        signals.map((s) => s.aborted),
        [false, true],
      );
    } finally {
      await server.close();
    }
  },
);

test('passes the request headers on with lower-case names', HANG_GUARD, async () => {
  const seen: ApiRequest['headers'][] = [];
  const server = await serveHttp({
    host: '127.0.0.1',
    port: 0,
    handle: async (request) => {
      seen.push(request.headers);
      return { status: 200, headers: {}, body: '' };
    },
  });
  try {
    const [host, port] = splitAddress(server.address);
    const client = net.connect(port, host);
    client.write(
      'POST /x HTTP/1.1\r\nHost: localhost:1\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\n' +
        'Content-Length: 0\r\nConnection: close\r\n\r\n',
    );
    client.resume();
    await new Promise((resolve) => client.once('close', resolve));
    assert.equal(seen.length, 1);
    assert.deepEqual(
      {
        host: seen[0]?.host,
        origin: seen[0]?.origin,
        type: seen[0]?.['content-type'],
        length: seen[0]?.['content-length'],
      },
      { host: 'localhost:1', origin: 'http://evil.example', type: 'text/plain', length: '0' },
    );
  } finally {
    await server.close();
  }
});
