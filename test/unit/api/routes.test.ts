import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiHandler, type ApiGuards, type Pipeline } from '../../../src/api/routes.ts';
import { goJson as toGoJson } from '../../../src/autoscaler/payloads.ts';
import type { CycleReport, RunType, StopAfter } from '../../../src/autoscaler/types.ts';
import type { ConfigFormat } from '../../../src/config/types.ts';
import type { ApiRequest, ApiResponse } from '../../../src/ports.ts';

type Call = { runType: RunType; stopAfter: StopAfter };

/** Records every run and answers with a fixed report (or throws it when it is an Error). */
class FakePipeline {
  readonly calls: Call[] = [];
  readonly answer: CycleReport | Error;
  constructor(answer: CycleReport | Error) {
    this.answer = answer;
  }
  readonly run: Pipeline = async (options) => {
    this.calls.push(options);
    if (this.answer instanceof Error) throw this.answer;
    return { ...this.answer, runType: options.runType };
  };
}

function report(overrides: Partial<CycleReport> = {}): CycleReport {
  return {
    runType: 'api',
    target: 'Deployment/default/web',
    startedMs: 0,
    durationMs: 5,
    dryRun: false,
    metrics: [{ resource: 'web-1', value: '5' }],
    evaluation: 12,
    decision: {
      current: 2,
      evaluation: 12,
      clamped: 10,
      target: 10,
      reasons: ['ClampedToMax'],
      action: 'scale',
    },
    ...overrides,
  };
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const JSON_ERROR = { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };
const GO_NOT_FOUND: ApiResponse = {
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  body: '404 page not found\n',
};

const ok = (body: string): ApiResponse => ({ status: 200, headers: TEXT, body });
const jsonError = (code: number, message: string, extra: Record<string, string> = {}): ApiResponse => ({
  status: code,
  headers: { ...JSON_ERROR, ...extra },
  body: toGoJson({ message, code }),
});
const badDryRun = (v: string): ApiResponse =>
  jsonError(400, `Invalid format for 'dry_run' query parameter; '${v}' is not a valid boolean value`);

interface Case {
  name: string;
  given: { format?: ConfigFormat; method: string; url: string; report?: CycleReport | Error };
  want: { response: ApiResponse; calls: Call[] };
}

const metricsCall = (runType: RunType): Call => ({ runType, stopAfter: 'metrics' });
const TRUE_SPELLINGS = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE_SPELLINGS = ['0', 'f', 'F', 'FALSE', 'false', 'False', ''];

const v2Cases: Case[] = [
  {
    name: 'GET metrics answers the metric list compactly as text',
    given: { method: 'GET', url: '/api/v1/metrics' },
    want: { response: ok('[{"resource":"web-1","value":"5"}]'), calls: [metricsCall('api')] },
  },
  ...TRUE_SPELLINGS.map((v) => ({
    name: `GET metrics with dry_run=${v} is an api_dry_run`,
    given: { method: 'GET', url: `/api/v1/metrics?dry_run=${v}` },
    want: { response: ok('[{"resource":"web-1","value":"5"}]'), calls: [metricsCall('api_dry_run')] },
  })),
  ...FALSE_SPELLINGS.map((v) => ({
    name: `GET metrics with dry_run=${JSON.stringify(v)} is an api run`,
    given: { method: 'GET', url: `/api/v1/metrics?dry_run=${v}` },
    want: { response: ok('[{"resource":"web-1","value":"5"}]'), calls: [metricsCall('api')] },
  })),
  {
    name: 'GET metrics reads only the first dry_run value',
    given: { method: 'GET', url: '/api/v1/metrics?dry_run=true&dry_run=nonsense' },
    want: { response: ok('[{"resource":"web-1","value":"5"}]'), calls: [metricsCall('api_dry_run')] },
  },
  ...['yes', 'tRUE', '2', ' true', '<b>'].map((v) => ({
    name: `GET metrics with dry_run=${v} is a 400 and runs nothing`,
    given: { method: 'GET', url: `/api/v1/metrics?dry_run=${encodeURIComponent(v)}` },
    want: { response: badDryRun(v), calls: [] },
  })),
  {
    name: 'the 400 body escapes HTML characters like Go',
    given: { method: 'POST', url: '/api/v1/evaluation?dry_run=%3Cb%3E' },
    want: {
      response: {
        status: 400,
        headers: JSON_ERROR,
        body: `{"message":"Invalid format for 'dry_run' query parameter; '\\u003cb\\u003e' is not a valid boolean value","code":400}`,
      },
      calls: [],
    },
  },
  {
    name: 'GET metrics answers null when per-pod mode found no pods',
    given: { method: 'GET', url: '/api/v1/metrics', report: report({ metrics: null }) },
    want: { response: ok('null'), calls: [metricsCall('api')] },
  },
  {
    name: 'GET metrics omits empty keys and keeps CPA key order',
    given: {
      method: 'GET',
      url: '/api/v1/metrics',
      report: report({ metrics: [{ value: '3', resource: 'web-1' }, { resource: 'web-2', value: '' }, {}] }),
    },
    want: {
      response: ok('[{"resource":"web-1","value":"3"},{"resource":"web-2"},{}]'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'GET metrics escapes <, > and & in values like Go',
    given: {
      method: 'GET',
      url: '/api/v1/metrics',
      report: report({ metrics: [{ resource: 'a&b', value: '<1>' }] }),
    },
    want: {
      response: ok('[{"resource":"a\\u0026b","value":"\\u003c1\\u003e"}]'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'a failed metrics run is a 500 with the error text',
    given: {
      method: 'GET',
      url: '/api/v1/metrics',
      report: report({ error: { stage: 'metric', message: 'failed to gather metrics: exit status 1' } }),
    },
    want: {
      response: jsonError(500, 'failed to gather metrics: exit status 1'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'POST evaluation scales and answers the final target',
    given: { method: 'POST', url: '/api/v1/evaluation' },
    want: { response: ok('{"targetReplicas":10}'), calls: [{ runType: 'api', stopAfter: 'scale' }] },
  },
  {
    name: 'POST evaluation with dry_run answers the raw evaluation and never scales',
    given: { method: 'POST', url: '/api/v1/evaluation?dry_run=true' },
    want: {
      response: ok('{"targetReplicas":12}'),
      calls: [{ runType: 'api_dry_run', stopAfter: 'evaluate' }],
    },
  },
  {
    name: 'POST evaluation answers 0 when autoscaling is disabled',
    given: {
      method: 'POST',
      url: '/api/v1/evaluation',
      report: report({
        decision: {
          current: 0,
          evaluation: 4,
          clamped: 4,
          target: 0,
          reasons: ['AutoscalingDisabled'],
          action: 'disabled',
        },
      }),
    },
    want: { response: ok('{"targetReplicas":0}'), calls: [{ runType: 'api', stopAfter: 'scale' }] },
  },
  {
    name: 'a failed evaluation run is a 500 with the error text',
    given: {
      method: 'POST',
      url: '/api/v1/evaluation?dry_run=false',
      report: report({ error: { stage: 'target', message: 'deployments.apps "web" not found' } }),
    },
    want: {
      response: jsonError(500, 'deployments.apps "web" not found'),
      calls: [{ runType: 'api', stopAfter: 'scale' }],
    },
  },
  {
    name: 'a run that ends without an evaluation is a 500 that names the target',
    given: { method: 'POST', url: '/api/v1/evaluation?dry_run=1', report: report({ evaluation: undefined }) },
    want: {
      response: jsonError(500, 'cycle for Deployment/default/web ended without an evaluation'),
      calls: [{ runType: 'api_dry_run', stopAfter: 'evaluate' }],
    },
  },
  {
    name: 'a pipeline that throws is a 500 with its message',
    given: { method: 'GET', url: '/api/v1/metrics', report: new Error('boom') },
    want: { response: jsonError(500, 'boom'), calls: [metricsCall('api')] },
  },
  ...['/api/v1/nope', '/api/v1', '/api/v1/', '/api/v1/metrics/', '/api/v1//metrics'].map((path) => ({
    name: `GET ${path} is a JSON 404`,
    given: { method: 'GET', url: path },
    want: { response: jsonError(404, `Resource '${path}' not found`), calls: [] },
  })),
  ...(
    [
      ['POST', '/api/v1/metrics'],
      ['HEAD', '/api/v1/metrics'],
      ['DELETE', '/api/v1/metrics'],
      ['GET', '/api/v1/evaluation'],
      ['PUT', '/api/v1/evaluation'],
      ['HEAD', '/api/v1/evaluation'],
    ] as const
  ).map(([method, path]) => ({
    name: `${method} ${path} is a JSON 405`,
    given: { method, url: `${path}?dry_run=bad` },
    want: { response: jsonError(405, `Method '${method}' not allowed on resource '${path}'`), calls: [] },
  })),
  ...['/', '/metrics', '/evaluation', '/api', '/api/v1x', '/api/v2/metrics'].map((path) => ({
    name: `GET ${path} outside the v1 router is Go's plain 404`,
    given: { method: 'GET', url: path },
    want: { response: GO_NOT_FOUND, calls: [] },
  })),
  {
    name: 'a method chi does not know is a bare 405 on any path',
    given: { method: 'PROPFIND', url: '/api/v1/metrics' },
    want: { response: { status: 405, headers: {}, body: '' }, calls: [] },
  },
];

const seedCases: Case[] = [
  {
    name: 'seed GET /metrics wraps the metrics with the deployment name and run type',
    given: { format: 'seed', method: 'GET', url: '/metrics' },
    want: {
      response: ok('{"deployment":"web","run_type":"api","metrics":[{"resource":"web-1","value":"5"}]}'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'seed GET /metrics ignores dry_run, as v0.8.0 had none',
    given: { format: 'seed', method: 'GET', url: '/metrics?dry_run=nonsense' },
    want: {
      response: ok('{"deployment":"web","run_type":"api","metrics":[{"resource":"web-1","value":"5"}]}'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'seed GET /metrics keeps a nil list as null',
    given: { format: 'seed', method: 'GET', url: '/metrics', report: report({ metrics: null }) },
    want: {
      response: ok('{"deployment":"web","run_type":"api","metrics":null}'),
      calls: [metricsCall('api')],
    },
  },
  {
    name: 'seed GET /evaluation answers the raw evaluation and never scales',
    given: { format: 'seed', method: 'GET', url: '/evaluation' },
    want: { response: ok('{"target_replicas":12}'), calls: [{ runType: 'api', stopAfter: 'evaluate' }] },
  },
  {
    name: 'seed errors are CPA JSON 500s',
    given: {
      format: 'seed',
      method: 'GET',
      url: '/evaluation',
      report: report({ error: { stage: 'evaluate', message: 'exit status 2' } }),
    },
    want: { response: jsonError(500, 'exit status 2'), calls: [{ runType: 'api', stopAfter: 'evaluate' }] },
  },
  {
    name: 'seed POST /evaluation is a JSON 405',
    given: { format: 'seed', method: 'POST', url: '/evaluation' },
    want: { response: jsonError(405, "Method 'POST' not allowed on resource '/evaluation'"), calls: [] },
  },
  {
    name: 'seed unknown paths are JSON 404s everywhere, like v0.8.0',
    given: { format: 'seed', method: 'GET', url: '/nope' },
    want: { response: jsonError(404, "Resource '/nope' not found"), calls: [] },
  },
  {
    name: 'seed unknown methods are JSON 405s',
    given: { format: 'seed', method: 'PROPFIND', url: '/metrics' },
    want: { response: jsonError(405, "Method 'PROPFIND' not allowed on resource '/metrics'"), calls: [] },
  },
  {
    name: 'seed autoscalers also serve the v1 routes',
    given: { format: 'seed', method: 'POST', url: '/api/v1/evaluation?dry_run=T' },
    want: {
      response: ok('{"targetReplicas":12}'),
      calls: [{ runType: 'api_dry_run', stopAfter: 'evaluate' }],
    },
  },
];

const GUARDS: ApiGuards = { access: { scheme: 'http', bindHost: '127.0.0.1', token: null } };
const LOCAL = { host: '127.0.0.1:5000' };

/** A request as the server would pass it on; `url` holds path and query. */
function request(
  method: string,
  url: string,
  headers: Record<string, string> = LOCAL,
  signal?: AbortSignal,
): ApiRequest {
  const [path, query = ''] = url.split('?');
  return {
    method,
    path: path ?? '',
    query: new URLSearchParams(query),
    headers,
    ...(signal === undefined ? {} : { signal }),
  };
}

for (const { name, given, want } of [...v2Cases, ...seedCases]) {
  test(name, async () => {
    const pipeline = new FakePipeline(given.report ?? report());
    const handle = createApiHandler(pipeline.run, given.format ?? 'v2', GUARDS);
    const response = await handle(request(given.method, given.url));
    assert.deepEqual(response, want.response);
    assert.deepEqual(pipeline.calls, want.calls);
  });
}

const guardCases: {
  name: string;
  given: { method: string; url: string; headers: Record<string, string> };
  want: { status: number; message: string };
}[] = [
  {
    name: 'a cross-origin request is refused before routing, so unknown paths are not disclosed',
    given: { method: 'GET', url: '/api/v1/nope', headers: { ...LOCAL, origin: 'http://evil.example' } },
    want: {
      status: 403,
      message: "Origin 'http://evil.example' is not allowed: the REST API answers no cross-origin requests",
    },
  },
  {
    name: 'a POST with a text/plain body is a 415 and runs no cycle',
    given: {
      method: 'POST',
      url: '/api/v1/evaluation',
      headers: { ...LOCAL, 'content-type': 'text/plain', 'content-length': '1' },
    },
    want: {
      status: 415,
      message:
        "Content-Type 'text/plain' is not supported: POST with no body, or with a JSON body and Content-Type: application/json",
    },
  },
  {
    name: 'an unknown path is still a 404 before the body is looked at',
    given: { method: 'POST', url: '/api/v1/nope', headers: { ...LOCAL, 'content-type': 'text/plain' } },
    want: { status: 404, message: "Resource '/api/v1/nope' not found" },
  },
];

for (const { name, given, want } of guardCases) {
  test(name, async () => {
    const pipeline = new FakePipeline(report());
    const handle = createApiHandler(pipeline.run, 'v2', GUARDS);
    const response = await handle(request(given.method, given.url, given.headers));
    assert.deepEqual(response, jsonError(want.status, want.message));
    assert.deepEqual(pipeline.calls, []);
  });
}

/** A pipeline whose cycles end only when the test says so. */
class GatedPipeline {
  readonly signals: (AbortSignal | undefined)[] = [];
  readonly #waiting: (() => void)[] = [];
  readonly run: Pipeline = (options) => {
    this.signals.push(options.signal);
    return new Promise((resolve) => this.#waiting.push(() => resolve(report())));
  };
  finishAll(): void {
    for (const finish of this.#waiting.splice(0)) finish();
  }
}

test('beyond the cap on pending cycles the API answers 429 with Retry-After, and recovers', async () => {
  const pipeline = new GatedPipeline();
  const handle = createApiHandler(pipeline.run, 'v2', { ...GUARDS, maxPendingCycles: 2 });
  const admitted = [handle(request('GET', '/api/v1/metrics')), handle(request('GET', '/api/v1/metrics'))];
  const refused = await handle(request('POST', '/api/v1/evaluation'));
  assert.deepEqual(
    refused,
    jsonError(429, 'too many REST API requests in progress; retry later', { 'Retry-After': '1' }),
  );
  assert.equal(pipeline.signals.length, 2, 'the refused request ran no cycle');
  pipeline.finishAll();
  assert.deepEqual(
    (await Promise.all(admitted)).map((r) => r.status),
    [200, 200],
  );
  const again = handle(request('GET', '/api/v1/metrics'));
  pipeline.finishAll();
  assert.equal((await again).status, 200);
});

test('a cycle that fails or is cancelled frees its place', async () => {
  let calls = 0;
  const failing: Pipeline = async () => {
    calls++;
    throw new Error('cancelled while waiting');
  };
  const handle = createApiHandler(failing, 'v2', { ...GUARDS, maxPendingCycles: 1 });
  for (let i = 0; i < 3; i++) assert.equal((await handle(request('GET', '/api/v1/metrics'))).status, 500);
  assert.equal(calls, 3);
});

test("the pipeline gets the request's abort signal", async () => {
  const pipeline = new GatedPipeline();
  const handle = createApiHandler(pipeline.run, 'v2', GUARDS);
  const gone = new AbortController();
  const answered = handle(request('GET', '/api/v1/metrics', LOCAL, gone.signal));
  pipeline.finishAll();
  await answered;
  assert.deepEqual(pipeline.signals, [gone.signal]);
});

test('toGoJson escapes the characters Go escapes and nothing else', () => {
  assert.equal(toGoJson({ a: '<&>\u2028\u2029é"' }), '{"a":"\\u003c\\u0026\\u003e\\u2028\\u2029é\\""}');
});
