import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAccess,
  checkPostBody,
  hostName,
  isLoopbackHost,
  type AccessPolicy,
} from '../../../src/api/access.ts';
import type { ApiRequest } from '../../../src/ports.ts';

function request(headers: Record<string, string>, method = 'GET'): ApiRequest {
  return { method, path: '/api/v1/metrics', query: new URLSearchParams(), headers };
}

describe('isLoopbackHost', () => {
  const rows: { given: string; want: boolean }[] = [
    { given: 'localhost', want: true },
    { given: 'LocalHost', want: true },
    { given: '127.0.0.1', want: true },
    { given: '127.255.0.9', want: true },
    { given: '::1', want: true },
    { given: '[::1]', want: true },
    { given: '::ffff:127.0.0.1', want: true },
    { given: '127.0.0.256', want: false },
    { given: '0.0.0.0', want: false },
    { given: '::', want: false },
    { given: '', want: false },
    { given: '10.0.0.5', want: false },
    { given: 'localhost.evil.example', want: false },
    { given: '127.0.0.1.nip.io', want: false },
  ];
  for (const row of rows)
    it(`${JSON.stringify(row.given)} → ${row.want}`, () => {
      assert.equal(isLoopbackHost(row.given), row.want);
    });
});

describe('hostName', () => {
  const rows: { given: string; want: string }[] = [
    { given: 'localhost:5000', want: 'localhost' },
    { given: 'Example.COM', want: 'example.com' },
    { given: '[::1]:5000', want: '::1' },
    { given: '[::1]', want: '::1' },
    { given: '127.0.0.1:', want: '127.0.0.1' },
  ];
  for (const row of rows) it(`${row.given} → ${row.want}`, () => assert.equal(hostName(row.given), row.want));
});

describe('checkAccess', () => {
  const loopback: AccessPolicy = { scheme: 'http', bindHost: '127.0.0.1', token: null };
  const rows: {
    name: string;
    policy?: AccessPolicy;
    headers: Record<string, string>;
    want: number | null;
  }[] = [
    { name: 'no Host, no Origin (HTTP/1.0 tool)', headers: {}, want: null },
    { name: 'loopback Host without Origin', headers: { host: '127.0.0.1:5000' }, want: null },
    { name: 'foreign Host on a loopback bind', headers: { host: 'evil.example:5000' }, want: 403 },
    {
      name: 'the bound name itself',
      policy: { ...loopback, bindHost: '127.0.0.2' },
      headers: { host: '127.0.0.2:5000' },
      want: null,
    },
    {
      name: 'any Host on a wildcard bind',
      policy: { ...loopback, bindHost: '0.0.0.0' },
      headers: { host: 'cpa.team-a.svc:5000' },
      want: null,
    },
    {
      name: 'own origin',
      headers: { host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5000' },
      want: null,
    },
    {
      name: 'own host under the other scheme',
      headers: { host: '127.0.0.1:5000', origin: 'https://127.0.0.1:5000' },
      want: 403,
    },
    { name: 'Origin without Host', headers: { origin: 'http://127.0.0.1:5000' }, want: 403 },
    { name: 'opaque origin', headers: { host: '127.0.0.1:5000', origin: 'null' }, want: 403 },
    {
      name: 'token missing',
      policy: { ...loopback, token: 'abc' },
      headers: { host: '127.0.0.1:5000' },
      want: 401,
    },
    {
      name: 'token of another length',
      policy: { ...loopback, token: 'abc' },
      headers: { host: '127.0.0.1:5000', authorization: 'Bearer abcd' },
      want: 401,
    },
    {
      name: 'token right, extra spaces',
      policy: { ...loopback, token: 'abc' },
      headers: { host: '127.0.0.1:5000', authorization: '  BEARER   abc ' },
      want: null,
    },
    {
      name: 'cross-origin is refused even with the token',
      policy: { ...loopback, token: 'abc' },
      headers: { host: '127.0.0.1:5000', origin: 'http://evil.example', authorization: 'Bearer abc' },
      want: 403,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const refused = checkAccess(request(row.headers), row.policy ?? loopback);
      assert.equal(refused?.status ?? null, row.want);
    });
  }
});

describe('checkPostBody', () => {
  const rows: { name: string; headers: Record<string, string>; want: number | null }[] = [
    { name: 'no body, no type (curl -X POST)', headers: {}, want: null },
    { name: 'Content-Length 0, no type', headers: { 'content-length': '0' }, want: null },
    { name: 'a body, no type', headers: { 'content-length': '3' }, want: 415 },
    { name: 'chunked, no type', headers: { 'transfer-encoding': 'chunked' }, want: 415 },
    { name: 'JSON', headers: { 'content-type': 'application/json', 'content-length': '2' }, want: null },
    { name: 'JSON with charset', headers: { 'content-type': 'application/json;charset=UTF-8' }, want: null },
    { name: 'text/plain', headers: { 'content-type': 'text/plain' }, want: 415 },
    { name: 'JSON-looking suffix', headers: { 'content-type': 'application/jsonx' }, want: 415 },
    { name: 'form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, want: 415 },
  ];
  for (const row of rows) {
    it(row.name, () => assert.equal(checkPostBody(request(row.headers, 'POST'))?.status ?? null, row.want));
  }
});
