// Property tests of the REST API's request side: the request target parser (path, Go-style query) and the
// route handler answer any method, path, query and headers with a well-formed response, run at most one
// cycle, and never throw; a target built by percent-encoding parses back to its parts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRequestTarget } from '../../../src/adapters/http-server.ts';
import { checkAccess, hostName, isLoopbackHost, type AccessPolicy } from '../../../src/api/access.ts';
import { parseGoBool } from '../../../src/api/bool.ts';
import { createApiHandler, type Pipeline } from '../../../src/api/routes.ts';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import type { ApiRequest } from '../../../src/ports.ts';
import { hostileString, RUNS } from './arbitraries.ts';

const REPORT: CycleReport = {
  runType: 'api',
  target: 'Deployment/default/web',
  startedMs: 0,
  durationMs: 1,
  dryRun: false,
  metrics: [{ resource: 'web-1', value: '5' }],
  evaluation: 3,
  decision: { current: 2, evaluation: 3, clamped: 3, target: 3, reasons: ['Scaled'], action: 'scale' },
} as CycleReport;

const METHODS = [
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'get',
  '',
];
const PATHS = [
  '/api/v1/metrics',
  '/api/v1/evaluation',
  '/metrics',
  '/evaluation',
  '/api/v1',
  '/api/v1/',
  '/',
  '',
];
const segment = fc.oneof(fc.constantFrom(...PATHS), hostileString);
const path = fc.array(segment, { maxLength: 3 }).map((parts) => parts.join(''));
const HEADER_NAMES = [
  'host',
  'origin',
  'authorization',
  'content-type',
  'content-length',
  'transfer-encoding',
];
const headers = fc.dictionary(
  fc.constantFrom(...HEADER_NAMES),
  fc.oneof(
    hostileString,
    fc.constantFrom('127.0.0.1:5000', 'localhost', 'application/json', 'Bearer s3cret', '0', '5'),
  ),
  { maxKeys: 4 },
);
const query = fc.array(fc.tuple(fc.constantFrom('dry_run', 'DRY_RUN', 'x', '__proto__'), hostileString), {
  maxLength: 3,
});
const policy: fc.Arbitrary<AccessPolicy> = fc.record({
  scheme: fc.constantFrom('http' as const, 'https' as const),
  bindHost: fc.oneof(fc.constantFrom('127.0.0.1', '0.0.0.0', '::1', 'localhost', ''), hostileString),
  token: fc.option(fc.constantFrom('s3cret', ''), { nil: null }),
});

const STATUSES = new Set([200, 400, 401, 403, 404, 405, 415, 429, 500]);

describe('REST API request target', () => {
  it('any request target parses to a path and query, or to a 400 (null)', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (target) => {
          const parsed = parseRequestTarget(target);
          if (parsed !== null) assert.equal(typeof parsed.path, 'string');
        },
      ),
      { numRuns: RUNS.many },
    );
  });

  it('a percent-encoded path and query parse back to their text', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 3 }),
        fc.array(fc.tuple(text, text), { maxLength: 3 }),
        (segments, pairs) => {
          const rawPath = `/${segments.map(encodeURIComponent).join('/')}`;
          const rawQuery = pairs
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          const parsed = parseRequestTarget(rawQuery === '' ? rawPath : `${rawPath}?${rawQuery}`);
          assert.ok(parsed !== null);
          assert.equal(parsed.path, `/${segments.join('/')}`);
          // Like url.ParseQuery, `=` alone is the pair ("", "").
          assert.deepEqual([...parsed.query], pairs);
        },
      ),
      { numRuns: RUNS.normal },
    );
  });
});

describe('REST API routes', () => {
  it('any request gets a known status and a well-formed body, after at most one cycle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        path,
        query,
        headers,
        policy,
        fc.boolean(),
        async (method, p, q, h, access, seed) => {
          let calls = 0;
          const pipeline: Pipeline = async (options) => {
            calls++;
            return { ...REPORT, runType: options.runType };
          };
          const handle = createApiHandler(pipeline, seed ? 'seed' : 'v2', { access });
          const request: ApiRequest = { method, path: p, query: new URLSearchParams(q), headers: h };
          const response = await handle(request);
          assert.ok(STATUSES.has(response.status), `status ${response.status}`);
          assert.ok(calls <= 1, `${calls} cycles for one request`);
          if (response.headers['Content-Type']?.startsWith('application/json')) JSON.parse(response.body);
          if (response.status !== 200)
            assert.equal(calls > 0, response.status === 500 || response.status === 429);
        },
      ),
      { numRuns: RUNS.many },
    );
  });

  it('access checks and host parsing accept any header text', () => {
    fc.assert(
      fc.property(headers, policy, hostileString, (h, access, host) => {
        checkAccess({ method: 'GET', path: '/', query: new URLSearchParams(), headers: h }, access);
        isLoopbackHost(hostName(host));
      }),
      { numRuns: RUNS.many },
    );
  });

  it("dry_run accepts exactly Go's twelve ParseBool spellings", () => {
    const GO = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...GO), hostileString), (text) => {
        assert.equal(parseGoBool(text) !== null, GO.includes(text));
      }),
      { numRuns: RUNS.normal },
    );
  });
});
