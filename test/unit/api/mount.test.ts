// One REST API for every autoscaler of a process: each row is a request and what answers it — one
// autoscaler's own handler (with the prefix taken off), a process route, or a 404 that says what exists.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mountApis, type Handler } from '../../../src/api/mount.ts';
import type { ApiRequest } from '../../../src/ports.ts';

/** A handler that answers who it is and the path it saw. */
const echo =
  (who: string): Handler =>
  async (r) => ({ status: 200, headers: {}, body: `${who} ${r.path}` });

const request = (path: string, method = 'GET', headers: Record<string, string> = {}): ApiRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: { host: '127.0.0.1:5000', ...headers },
});

const access = { scheme: 'http', bindHost: '127.0.0.1', token: null } as const;
const processRoutes = new Map<string, Handler>([['/metrics', echo('prometheus')]]);

describe('mountApis with several autoscalers', () => {
  const handle = mountApis({
    autoscalers: new Map([
      ['web', echo('web')],
      ['r10.api', echo('r10.api')],
    ]),
    processRoutes,
    access,
  });
  const rows: { name: string; req: ApiRequest; status: number; body: RegExp }[] = [
    {
      name: 'an autoscaler by name, prefix removed',
      req: request('/autoscalers/web/api/v1/metrics'),
      status: 200,
      body: /^web \/api\/v1\/metrics$/,
    },
    {
      name: 'a name with a dot',
      req: request('/autoscalers/r10.api/api/v1/evaluation', 'POST'),
      status: 200,
      body: /^r10\.api \/api\/v1\/evaluation$/,
    },
    {
      name: 'a percent-encoded name',
      req: request('/autoscalers/r10%2Eapi/api/v1/metrics'),
      status: 200,
      body: /^r10\.api /,
    },
    {
      name: 'an unknown name',
      req: request('/autoscalers/nope/api/v1/metrics'),
      status: 404,
      body: /no autoscaler named 'nope'/,
    },
    {
      name: 'the plain CPA path is ambiguous',
      req: request('/api/v1/metrics'),
      status: 404,
      body: /2 autoscalers run here; use \/autoscalers\/NAME\/api\/v1\/metrics/,
    },
    {
      name: 'the names',
      req: request('/autoscalers'),
      status: 200,
      body: /^\{"autoscalers":\["web","r10\.api"\]\}\n$/,
    },
    { name: 'a process route', req: request('/metrics'), status: 200, body: /^prometheus \/metrics$/ },
    {
      name: 'a process route is GET only',
      req: request('/metrics', 'POST'),
      status: 405,
      body: /not allowed/,
    },
    {
      name: 'a foreign Host is refused before routing',
      req: request('/metrics', 'GET', { host: 'evil.example' }),
      status: 403,
      body: /./,
    },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const res = await handle(row.req);
      assert.equal(res.status, row.status, res.body);
      assert.match(res.body, row.body);
    });
  }
});

describe('mountApis with one autoscaler', () => {
  test("CPA's plain paths reach it unchanged, and its prefixed path too", async () => {
    const handle = mountApis({ autoscalers: new Map([['web', echo('web')]]), processRoutes, access });
    assert.equal((await handle(request('/api/v1/metrics'))).body, 'web /api/v1/metrics');
    assert.equal((await handle(request('/autoscalers/web/api/v1/metrics'))).body, 'web /api/v1/metrics');
  });
});
