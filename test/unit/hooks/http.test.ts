// The http method: payload placement and outcome wording (tables) and TLS material read through Files
// (fakes). The whole path through the real requester against loopback servers is in http-loopback.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callHttp, placePayload, toHookResult } from '../../../src/hooks/http.ts';
import type { HookResult } from '../../../src/hooks/types.ts';
import type { Files, HttpOutcome, HttpRequester, HttpRequestSpec } from '../../../src/ports.ts';
import { httpMethod } from './http-fixtures.ts';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n';

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
