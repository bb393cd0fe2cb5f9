// The http method's whole path through the real requester against loopback servers, TLS and mTLS included.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../../../src/adapters/http-client.ts';
import { callHttp } from '../../../src/hooks/http.ts';
import type { Files } from '../../../src/ports.ts';
import { reply, startLoopback } from '../../fixtures/hooks/loopback.ts';
import { makeTestPki, type TestPki } from '../../fixtures/hooks/pki.ts';
import { httpMethod } from './http-fixtures.ts';

const GUARD = { timeout: 9_000 };

/** Files over the real file system: a missing file is null, like the real adapter. */
const diskFiles: Files = {
  exists: (path) =>
    readFile(path).then(
      () => true,
      () => false,
    ),
  readText: (path) =>
    readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT' ? null : Promise.reject(e),
    ),
};

describe('callHttp over loopback', () => {
  const ctx = { request: httpRequest, files: diskFiles };

  test('query mode: the server sees its own parameters and the payload as `value`', GUARD, async () => {
    const server = await startLoopback(reply(200, '{"value":3}\n'));
    try {
      const http = httpMethod({
        url: `${server.origin}/metric?pod=web-1&value=keep`,
        headers: { 'X-Api-Key': 'secret' },
      });
      const got = await callHttp({ timeoutMs: 3000, http }, '{"resource":"web"}', ctx);
      assert.deepEqual(got.ok && got.output, '{"value":3}\n');
      const seen = server.requests[0];
      const query = new URL(seen?.url ?? '', 'http://x').searchParams;
      assert.equal(query.get('pod'), 'web-1');
      assert.deepEqual(query.getAll('value'), ['keep', '{"resource":"web"}']);
      assert.equal(seen?.headers['x-api-key'], 'secret');
      assert.equal(seen?.body, '');
    } finally {
      await server.close();
    }
  });

  test('body mode: the payload is the request body', GUARD, async () => {
    const server = await startLoopback(reply(202, 'accepted'));
    try {
      const http = httpMethod({
        method: 'POST',
        url: `${server.origin}/evaluate`,
        parameterMode: 'body',
        successCodes: [202],
      });
      const got = await callHttp({ timeoutMs: 3000, http }, '{"metrics":[]}', ctx);
      assert.deepEqual(got.ok && got.output, 'accepted');
      assert.equal(server.requests[0]?.body, '{"metrics":[]}');
      assert.equal(server.requests[0]?.url, '/evaluate');
    } finally {
      await server.close();
    }
  });

  test('a status outside successCodes fails with the body in the message', GUARD, async () => {
    const server = await startLoopback(reply(500, 'evaluator exploded'));
    try {
      const got = await callHttp({ timeoutMs: 3000, http: httpMethod({ url: server.origin }) }, '{}', ctx);
      assert.ok(!got.ok);
      assert.equal(got.failure.message, "HTTP request failed, status: [500], response: 'evaluator exploded'");
    } finally {
      await server.close();
    }
  });

  test('a server that never answers times out', GUARD, async () => {
    const server = await startLoopback(() => undefined);
    try {
      const got = await callHttp(
        { timeoutMs: 250, http: httpMethod({ url: `${server.origin}/slow` }) },
        '{}',
        ctx,
      );
      assert.ok(!got.ok);
      assert.equal(got.failure.message, `GET "${server.origin}/slow": timed out after 250ms`);
    } finally {
      await server.close();
    }
  });

  describe('with TLS', () => {
    let pki: TestPki;
    before(() => {
      pki = makeTestPki();
    });
    after(() => pki.cleanup());

    test('caCert makes a server signed by that CA trusted', GUARD, async () => {
      const server = await startLoopback(reply(200, 'tls ok'), pki.server);
      try {
        const got = await callHttp(
          { timeoutMs: 3000, http: httpMethod({ url: server.origin, caCert: pki.caCertPath }) },
          '{}',
          ctx,
        );
        assert.deepEqual(got.ok && got.output, 'tls ok');
      } finally {
        await server.close();
      }
    });

    test('mTLS: fails without the client certificate, succeeds with it', GUARD, async () => {
      const server = await startLoopback(reply(200, 'mtls ok'), { ...pki.server, requireClientCert: true });
      try {
        const bare = httpMethod({ url: server.origin, caCert: pki.caCertPath });
        const without = await callHttp({ timeoutMs: 3000, http: bare }, '{}', ctx);
        assert.equal(without.ok, false);
        const mutual = { ...bare, clientCert: pki.clientCertPath, clientKey: pki.clientKeyPath };
        const withCert = await callHttp({ timeoutMs: 3000, http: mutual }, '{}', ctx);
        assert.deepEqual(withCert.ok && withCert.output, 'mtls ok');
      } finally {
        await server.close();
      }
    });

    test('a missing CA file is a tls failure naming the key and path', GUARD, async () => {
      const missing = `${pki.dir}/nope.pem`;
      const got = await callHttp(
        { timeoutMs: 3000, http: httpMethod({ url: 'https://127.0.0.1:1', caCert: missing }) },
        '{}',
        ctx,
      );
      assert.ok(!got.ok);
      assert.deepEqual(got.failure, { kind: 'tls', message: `caCert file "${missing}" does not exist` });
    });
  });
});
