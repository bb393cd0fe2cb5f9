// The request-target of an HTTP request line read as kube-apiserver's Go server reads it (answers of the
// real v1.37.2 server to raw request lines: `http://[` and `http://%zz/` → 400, `http://a:99999/` → served
// as `/`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestTarget } from '../../../../src/sandbox/wire/target.ts';

const rows: { name: string; given: string; want: { path: string; query?: string } | null }[] = [
  { name: 'origin form', given: '/api/v1/pods?limit=5', want: { path: '/api/v1/pods', query: 'limit=5' } },
  { name: 'escapes in the path are decoded', given: '/a%20b', want: { path: '/a b' } },
  { name: 'a bad escape in the path', given: '/a%zz', want: null },
  { name: 'a leading // is path, not authority', given: '//[', want: { path: '//[' } },
  {
    name: 'absolute form serves its path',
    given: 'https://h:6443/healthz?x=1',
    want: { path: '/healthz', query: 'x=1' },
  },
  { name: 'absolute form without a path is /', given: 'http://h', want: { path: '/' } },
  { name: 'a port out of range is only digits to Go', given: 'http://a:99999/', want: { path: '/' } },
  { name: 'an unclosed IPv6 bracket', given: 'http://[', want: null },
  { name: 'IPv6 host with port', given: 'http://[::1]:80/x', want: { path: '/x' } },
  { name: 'junk after the IPv6 host', given: 'http://[::1]x/', want: null },
  { name: 'a bad escape in the host', given: 'http://%zz/', want: null },
  { name: 'a port that is not digits', given: 'http://a:8o/', want: null },
  { name: 'a space in the host', given: 'http://a b/', want: null },
  { name: 'userinfo is allowed', given: 'http://u:p@h/x', want: { path: '/x' } },
  { name: 'neither a path nor an absolute URL', given: 'api/v1', want: null },
];

describe('parseRequestTarget', () => {
  for (const row of rows) {
    it(`${row.name}: ${row.given}`, () => {
      const got = parseRequestTarget(row.given);
      if (row.want === null) return assert.equal(got, null);
      assert.ok(got !== null);
      assert.equal(got.path, row.want.path);
      assert.equal(got.query.toString(), row.want.query ?? '');
    });
  }
});
