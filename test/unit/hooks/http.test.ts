// The http method: payload placement and outcome wording (tables), TLS material read through Files (fakes),
// and the whole path through the real requester against loopback servers, TLS and mTLS included.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../../../src/adapters/http-client.ts';
import type { HttpMethod } from '../../../src/config/types.ts';
import type { Files } from '../../../src/deps.ts';
import { callHttp, placePayload, toHookResult } from '../../../src/hooks/http.ts';
import type { HookResult, HttpOutcome, HttpRequestSpec, HttpRequester } from '../../../src/hooks/types.ts';
import { reply, startLoopback } from '../../fixtures/hooks/loopback.ts';
import { makeTestPki, type TestPki } from '../../fixtures/hooks/pki.ts';

const GUARD = { timeout: 9_000 };
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n';

function httpMethod(over: Partial<HttpMethod> = {}): HttpMethod {
  return {
    method: 'GET',
    url: 'http://svc:8080/metric',
    headers: {},
    successCodes: [200],
    parameterMode: 'query',
    ...over,
  };
}

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

function fakeFiles(texts: Record<string, string>): Files {
  return { readText: async (path) => texts[path] ?? null, exists: async (path) => path in texts };
}

function recordingRequester(outcome: HttpOutcome): { request: HttpRequester; calls: HttpRequestSpec[] } {
  const calls: HttpRequestSpec[] = [];
  return { calls, request: async (spec) => (calls.push(spec), outcome) };
}

describe('placePayload', () => {
  const cases = [
    {
      name: 'query mode adds `value`, keeps every existing parameter (an existing value too) and sorts keys',
      given: httpMethod({ url: 'http://h/p?z=1&value=old&a=2' }),
      want: { ok: true, value: { url: 'http://h/p?a=2&value=old&value=%7B%22n%22%3A+1%7D&z=1' } },
    },
    {
      name: 'query mode on a URL without a query',
      given: httpMethod({ url: 'https://h:8443/metric' }),
      want: { ok: true, value: { url: 'https://h:8443/metric?value=%7B%22n%22%3A+1%7D' } },
    },
    {
      name: 'body mode leaves the URL alone and sends the payload as the body',
      given: httpMethod({ url: 'http://h/p?x=1', parameterMode: 'body' }),
      want: { ok: true, value: { url: 'http://h/p?x=1', body: '{"n": 1}' } },
    },
    {
      name: 'an invalid method token fails like Go',
      given: httpMethod({ method: 'GE T' }),
      want: { ok: false, failure: { kind: 'http-error', message: 'net/http: invalid method "GE T"' } },
    },
    {
      name: 'an unparsable URL fails',
      given: httpMethod({ url: 'svc/metric' }),
      want: { ok: false, failure: { kind: 'http-error', message: 'invalid URL "svc/metric"' } },
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.deepEqual(placePayload(given, '{"n": 1}'), want));
  }
});

describe('toHookResult', () => {
  const method = { timeoutMs: 1500, http: httpMethod({ successCodes: [200, 202] }) };
  const body = (text: string): Buffer => Buffer.from(text);
  const cases: { name: string; given: HttpOutcome; want: HookResult }[] = [
    {
      name: 'a success code returns the body verbatim',
      given: { kind: 'response', status: 202, body: body('{"targetReplicas":2}\n'), durationMs: 4 },
      want: { ok: true, output: '{"targetReplicas":2}\n', stderr: '', durationMs: 4 },
    },
    {
      name: 'another code fails with the status and the body',
      given: { kind: 'response', status: 500, body: body('boom'), durationMs: 4 },
      want: {
        ok: false,
        failure: {
          kind: 'http-status',
          message: "HTTP request failed, status: [500], response: 'boom'",
          status: 500,
          detail: 'boom',
        },
        durationMs: 4,
      },
    },
    {
      name: 'a long failing body is cut at 512 bytes',
      given: { kind: 'response', status: 404, body: body('n'.repeat(600)), durationMs: 4 },
      want: {
        ok: false,
        failure: {
          kind: 'http-status',
          message: `HTTP request failed, status: [404], response: '${'n'.repeat(512)}…'`,
          status: 404,
          detail: `${'n'.repeat(512)}…`,
        },
        durationMs: 4,
      },
    },
    {
      name: 'timeout names method, URL and deadline',
      given: { kind: 'timeout', durationMs: 1501 },
      want: {
        ok: false,
        failure: { kind: 'timeout', message: 'GET "http://svc:8080/metric": timed out after 1500ms' },
        durationMs: 1501,
      },
    },
    {
      name: 'a network error is an http-error',
      given: { kind: 'error', message: 'connect ECONNREFUSED 127.0.0.1:1', durationMs: 2 },
      want: {
        ok: false,
        failure: {
          kind: 'http-error',
          message: 'GET "http://svc:8080/metric": connect ECONNREFUSED 127.0.0.1:1',
        },
        durationMs: 2,
      },
    },
    {
      name: 'a certificate verification error is a tls failure',
      given: {
        kind: 'error',
        message: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
        durationMs: 2,
      },
      want: {
        ok: false,
        failure: {
          kind: 'tls',
          message: 'GET "http://svc:8080/metric": self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
        },
        durationMs: 2,
      },
    },
    {
      name: 'a body over the bound',
      given: { kind: 'body-limit', status: 200, limitBytes: 1024 * 1024, durationMs: 3 },
      want: {
        ok: false,
        failure: {
          kind: 'output-limit',
          message: 'GET "http://svc:8080/metric": response body exceeded 1 MiB limit',
          status: 200,
        },
        durationMs: 3,
      },
    },
    {
      name: 'aborted',
      given: { kind: 'aborted', durationMs: 1 },
      want: {
        ok: false,
        failure: { kind: 'aborted', message: 'GET "http://svc:8080/metric": cancelled' },
        durationMs: 1,
      },
    },
  ];
  for (const { name, given, want } of cases) {
    test(name, () => assert.deepEqual(toHookResult(given, method), want));
  }

  test('an empty success list fails every response (CPA)', () => {
    const got = toHookResult(
      { kind: 'response', status: 200, body: Buffer.from(''), durationMs: 1 },
      { timeoutMs: 1, http: httpMethod({ successCodes: [] }) },
    );
    assert.equal(got.ok, false);
  });
});

describe('callHttp TLS material (fake Files)', () => {
  const ok: HttpOutcome = { kind: 'response', status: 200, body: Buffer.from('1'), durationMs: 1 };
  const files = fakeFiles({
    '/ca.pem': PEM_CERT,
    '/c.pem': PEM_CERT,
    '/c.key': PEM_KEY,
    '/junk.pem': 'not pem',
  });
  const cases = [
    { name: 'no TLS keys: nothing read or passed', given: {}, want: {} },
    { name: 'caCert only', given: { caCert: '/ca.pem' }, want: { ca: PEM_CERT } },
    {
      name: 'client pair',
      given: { clientCert: '/c.pem', clientKey: '/c.key' },
      want: { cert: PEM_CERT, key: PEM_KEY },
    },
    { name: 'clientCert without clientKey is ignored (CPA)', given: { clientCert: '/c.pem' }, want: {} },
  ];
  for (const { name, given, want } of cases) {
    test(name, async () => {
      const { request, calls } = recordingRequester(ok);
      const got = await callHttp({ timeoutMs: 100, http: httpMethod(given) }, '{}', { request, files });
      assert.equal(got.ok, true);
      const sent = calls[0];
      assert.deepEqual(
        { ca: sent?.ca, cert: sent?.cert, key: sent?.key },
        { ca: undefined, cert: undefined, key: undefined, ...want },
      );
    });
  }

  const failures = [
    {
      name: 'a missing CA file',
      given: { caCert: '/missing.pem' },
      want: 'caCert file "/missing.pem" does not exist',
    },
    {
      name: 'a missing client key',
      given: { clientCert: '/c.pem', clientKey: '/gone.key' },
      want: 'clientKey file "/gone.key" does not exist',
    },
    {
      name: 'a CA file without PEM',
      given: { caCert: '/junk.pem' },
      want: 'caCert file "/junk.pem" holds no PEM certificate',
    },
    {
      name: 'a key file holding a certificate',
      given: { clientCert: '/c.pem', clientKey: '/c.pem' },
      want: 'clientKey file "/c.pem" holds no PEM private key',
    },
  ];
  for (const { name, given, want } of failures) {
    test(`${name} is a tls failure and sends nothing`, async () => {
      const { request, calls } = recordingRequester(ok);
      const got = await callHttp({ timeoutMs: 100, http: httpMethod(given) }, '{}', { request, files });
      assert.deepEqual(got, { ok: false, failure: { kind: 'tls', message: want }, durationMs: 0 });
      assert.equal(calls.length, 0);
    });
  }

  test('an unreadable file is a tls failure, not a rejection', async () => {
    const broken: Files = {
      readText: async () => Promise.reject(new Error('EACCES: permission denied')),
      exists: async () => true,
    };
    const { request } = recordingRequester(ok);
    const got = await callHttp({ timeoutMs: 100, http: httpMethod({ caCert: '/ca.pem' }) }, '{}', {
      request,
      files: broken,
    });
    assert.deepEqual(got, {
      ok: false,
      failure: { kind: 'tls', message: 'failed to read caCert file "/ca.pem": EACCES: permission denied' },
      durationMs: 0,
    });
  });
});

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
