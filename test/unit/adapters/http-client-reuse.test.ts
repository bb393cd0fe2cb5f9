// Connection reuse of the real HttpRequester, against loopback servers that count connections: Go's default
// client (CPA's, for http hooks without TLS options) keeps connections alive; with a CA or a client
// certificate CPA builds a client per call. A pooled connection the server closed is retried once on a new one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../../../src/adapters/http-client.ts';
import type { HttpRequestSpec } from '../../../src/ports.ts';
import { makeTestPki, type TestPki } from '../../fixtures/hooks/pki.ts';

const GUARD = { timeout: 9_000 };

/** A server that counts connections and requests; `kill` decides, per request, to drop its connection. */
interface Counting {
  origin: string;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

async function counting(
  kill: (nthOnSocket: number) => boolean,
  tls?: { cert: string; key: string },
): Promise<Counting> {
  const perSocket = new WeakMap<Socket, number>();
  const state = { connections: 0, requests: 0 };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.resume();
    req.on('end', () => {
      state.requests++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (kill(n)) return void req.socket.destroy();
      res.end(`reply ${state.requests}`);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function spec(url: string, over: Partial<HttpRequestSpec> = {}): HttpRequestSpec {
  return { method: 'POST', url, headers: {}, body: '{}', timeoutMs: 3_000, maxBodyBytes: 1024, ...over };
}

describe('httpRequest connection reuse', () => {
  let pki: TestPki;
  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.cleanup());

  test('without TLS options, sequential requests share one kept-alive connection', GUARD, async () => {
    const server = await counting(() => false);
    try {
      for (let i = 1; i <= 3; i++) {
        const got = await httpRequest(spec(server.origin));
        assert.ok(got.kind === 'response', JSON.stringify(got));
        assert.equal(got.body.toString(), `reply ${i}`);
      }
      assert.equal(server.connections, 1);
    } finally {
      await server.close();
    }
  });

  test('with a CA, every call opens its own connection (CPA builds a client per call)', GUARD, async () => {
    const server = await counting(() => false, pki.server);
    try {
      for (let i = 1; i <= 2; i++) {
        const got = await httpRequest(spec(server.origin, { ca: readFileSync(pki.caCertPath, 'utf8') }));
        assert.ok(got.kind === 'response', JSON.stringify(got));
      }
      assert.equal(server.connections, 2);
    } finally {
      await server.close();
    }
  });

  test('a reused connection the server drops is retried once, on a new connection', GUARD, async () => {
    // The server answers the first request of each connection and drops the connection at the second.
    const server = await counting((n) => n > 1);
    try {
      const first = await httpRequest(spec(server.origin));
      assert.ok(first.kind === 'response', JSON.stringify(first));
      const second = await httpRequest(spec(server.origin));
      assert.ok(second.kind === 'response', JSON.stringify(second));
      assert.equal(second.body.toString(), 'reply 3');
      assert.deepEqual([server.connections, server.requests], [2, 3]);
    } finally {
      await server.close();
    }
  });

  test('a new connection that fails is not retried', GUARD, async () => {
    const server = await counting(() => true);
    try {
      const got = await httpRequest(spec(server.origin));
      assert.equal(got.kind, 'error');
      assert.deepEqual([server.connections, server.requests], [1, 1]);
    } finally {
      await server.close();
    }
  });
});
