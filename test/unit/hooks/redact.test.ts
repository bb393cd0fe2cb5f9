// Credentials of an http method never reach text: URL redaction, the secret values of a method, and every
// failure kind of toHookResult scrubbed of them (a server may echo what it was sent).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HttpMethod } from '../../../src/config/types.ts';
import { toHookResult } from '../../../src/hooks/http.ts';
import { redactUrl, scrubSecrets, secretsOf } from '../../../src/hooks/redact.ts';
import type { HttpOutcome } from '../../../src/ports.ts';

describe('redactUrl', () => {
  const cases = [
    {
      name: 'user and password',
      given: 'http://alice:SECRET@127.0.0.1:1/x',
      want: 'http://alice:***@127.0.0.1:1/x',
    },
    { name: 'a lone user name (usually a token)', given: 'https://ghp_TOKEN@h/p', want: 'https://***@h/p' },
    { name: 'an unencoded @ in the password', given: 'http://a:p@ss@h/x', want: 'http://a:***@h/x' },
    { name: 'userinfo without a path', given: 'http://a:pw@h:8080', want: 'http://a:***@h:8080' },
    { name: 'a backslash ends the authority', given: 'http://a:pw@h\\p@q', want: 'http://a:***@h\\p@q' },
    { name: 'an @ in the path is not userinfo', given: 'http://h/a@b', want: 'http://h/a@b' },
    { name: 'an @ in the query is not userinfo', given: 'http://h/?mail=a@b', want: 'http://h/?mail=a@b' },
    { name: 'text that does not parse', given: 'http://alice:pw@[bad/x', want: 'http://alice:***@[bad/x' },
    {
      name: 'secret-looking query values, others kept, fragment kept',
      given: 'http://h/p?token=t1&stage=prod&api_key=k&X-Amz-Signature=s&code=c&sig=&q#frag',
      want: 'http://h/p?token=***&stage=prod&api_key=***&X-Amz-Signature=***&code=***&sig=&q#frag',
    },
    {
      name: 'an encoded parameter name',
      given: 'http://h/?access%5Ftoken=t',
      want: 'http://h/?access%5Ftoken=***',
    },
    {
      name: 'nothing to hide',
      given: 'https://svc.ns:8443/metric?x=1',
      want: 'https://svc.ns:8443/metric?x=1',
    },
  ];
  for (const { name, given, want } of cases) test(name, () => assert.equal(redactUrl(given), want));
});

describe('secretsOf', () => {
  const cases: { name: string; given: { url: string; headers: Record<string, string> }; want: string[] }[] = [
    {
      name: 'credential headers, the credentials of an auth scheme, not plain headers',
      given: {
        url: 'http://h/',
        headers: { Authorization: 'Bearer abcd1234', 'Content-Type': 'application/json' },
      },
      want: ['Bearer abcd1234', 'abcd1234'],
    },
    {
      name: 'the password raw, decoded and as the Basic header Node sends',
      given: { url: 'http://alice:p%40ssw0rd@h/', headers: {} },
      want: ['YWxpY2U6cEBzc3cwcmQ=', 'p%40ssw0rd', 'p@ssw0rd'],
    },
    {
      name: 'a lone user name and secret query values; short values are left alone',
      given: { url: 'http://tok3n@h/?token=a%20b%2Fcd&stage=prod&key=ab', headers: { 'X-Key': 'xyz' } },
      want: ['a%20b%2Fcd', 'dG9rM246', 'a b/cd', 'tok3n'],
    },
  ];
  for (const { name, given, want } of cases) test(name, () => assert.deepEqual(secretsOf(given), want));

  test('scrubSecrets replaces the longest secret first', () =>
    assert.equal(scrubSecrets('Bearer abcd1234 / abcd1234', ['Bearer abcd1234', 'abcd1234']), '*** / ***'));
});

describe('toHookResult keeps credentials out of every failure', () => {
  const http: HttpMethod = {
    method: 'GET',
    url: 'https://alice:PASSWORD@svc/m?token=QUERYTOKEN&stage=prod',
    headers: { 'X-Api-Key': 'HEADERKEY' },
    successCodes: [200],
    parameterMode: 'query',
  };
  const echo = Buffer.from('got PASSWORD QUERYTOKEN HEADERKEY');
  const outcomes: HttpOutcome[] = [
    { kind: 'response', status: 401, body: echo, durationMs: 1 },
    { kind: 'timeout', durationMs: 1 },
    { kind: 'body-limit', status: 200, limitBytes: 1024, durationMs: 1 },
    { kind: 'error', message: 'socket hang up (HEADERKEY)', durationMs: 1 },
    { kind: 'aborted', durationMs: 1 },
  ];
  for (const outcome of outcomes) {
    test(`a ${outcome.kind} outcome`, () => {
      const got = toHookResult(outcome, { timeoutMs: 100, http });
      assert.ok(!got.ok);
      const text = JSON.stringify(got);
      for (const secret of ['PASSWORD', 'QUERYTOKEN', 'HEADERKEY']) assert.ok(!text.includes(secret), text);
      if (outcome.kind !== 'response') {
        assert.match(got.failure.message, /^GET "https:\/\/alice:\*\*\*@svc\/m\?token=\*\*\*&stage=prod"/);
      }
    });
  }
});
