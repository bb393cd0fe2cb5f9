// The REST API as a pure function request → response around the one shared cycle. Status codes, bodies
// and headers reproduce what clients of CPA v2.12.2 (chi v4 router, Go encoding/json) observe, plus the
// v0.8.0 read-only routes for seed-format autoscalers. Ahead of CPA's behaviour sit our own guards: access
// (Host, Origin, bearer token), POST content types, and a cap on cycles waiting for their turn.
import type { CycleReport, Decision, ResourceMetric, RunType, StopAfter } from '../autoscaler/types.ts';
import type { ConfigFormat } from '../config/types.ts';
import type { ApiRequest, ApiResponse } from '../ports.ts';
import { checkAccess, checkPostBody, type AccessPolicy } from './access.ts';
import { parseGoBool } from './bool.ts';
import { jsonError } from './responses.ts';
import { goJson, resourceMetric } from '../autoscaler/payloads.ts';

/**
 * The shared cycle, run on demand; serialising concurrent runs is its owner's job. `signal` aborts when the
 * client has gone: a cycle still waiting never starts (the promise rejects), a running one has its hooks killed.
 */
export type Pipeline = (options: {
  runType: RunType;
  stopAfter: StopAfter;
  signal?: AbortSignal;
}) => Promise<CycleReport>;

/**
 * API cycles admitted at once: one running plus three waiting. More would only queue work whose clients
 * have likely given up, and each queued cycle delays the next; beyond it the API answers 429.
 */
const MAX_PENDING_API_CYCLES = 4;

/** Seconds a refused client is told to wait; a cycle usually takes about that long. */
const RETRY_AFTER_SEC = 1;

/** How the handler guards the pipeline. */
export interface ApiGuards {
  access: AccessPolicy;
  /** Cap on admitted cycles (running + waiting); MAX_PENDING_API_CYCLES unless a test says otherwise. */
  maxPendingCycles?: number;
}

/** The pipeline as the endpoints see it: 'busy' when the cap on pending cycles is reached. */
type Run = (options: { runType: RunType; stopAfter: StopAfter }) => Promise<CycleReport | 'busy'>;

type Endpoint = { method: string; run: (request: ApiRequest, run: Run) => Promise<ApiResponse> };

const V1_PREFIX = '/api/v1';

// chi v4 knows only these methods; any other one is refused before routing, even on unknown paths.
const CHI_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

// CPA sets no content type on success; Go sniffs JSON text as this, so clients see it.
const SNIFFED_TEXT_HEADERS = { 'Content-Type': 'text/plain; charset=utf-8' } as const;

/** Builds the request handler for `kubectl cpa run`; every answer comes from at most one call of `pipeline`. */
export function createApiHandler(
  pipeline: Pipeline,
  format: ConfigFormat,
  guards: ApiGuards,
): (request: ApiRequest) => Promise<ApiResponse> {
  const endpoints = new Map<string, Endpoint>([
    [`${V1_PREFIX}/metrics`, { method: 'GET', run: v1Metrics }],
    [`${V1_PREFIX}/evaluation`, { method: 'POST', run: v1Evaluation }],
  ]);
  if (format === 'seed') {
    endpoints.set('/metrics', { method: 'GET', run: (_, run) => seedMetrics(run) });
    endpoints.set('/evaluation', { method: 'GET', run: (_, run) => seedEvaluation(run) });
  }
  // v0.8.0 put its JSON not-found/method handlers on the root router, so a seed API answers JSON everywhere.
  const jsonEverywhere = format === 'seed';
  const admit = admission(pipeline, guards.maxPendingCycles ?? MAX_PENDING_API_CYCLES);
  return async (request) => {
    const { method, path } = request;
    // Before routing, so that a refused caller learns nothing, not even which paths exist.
    const refused = checkAccess(request, guards.access);
    if (refused !== null) return refused;
    if (!CHI_METHODS.has(method)) {
      return jsonEverywhere ? methodNotAllowed(method, path) : { status: 405, headers: {}, body: '' };
    }
    const endpoint = endpoints.get(path);
    if (endpoint === undefined) {
      return jsonEverywhere || isUnderV1(path) ? notFound(path) : goNotFound();
    }
    if (endpoint.method !== method) return methodNotAllowed(method, path);
    const badBody = method === 'POST' ? checkPostBody(request) : null;
    if (badBody !== null) return badBody;
    try {
      return await endpoint.run(request, admit(request.signal));
    } catch (err) {
      // A throwing pipeline is a bug; the client still gets CPA's error shape rather than a dropped socket.
      return jsonError(500, err instanceof Error ? err.message : String(err));
    }
  };
}

/** Counts admitted cycles until each settles (finished, failed, or abandoned while waiting). */
function admission(pipeline: Pipeline, max: number): (signal: AbortSignal | undefined) => Run {
  let pending = 0;
  return (signal) => async (options) => {
    if (pending >= max) return 'busy';
    pending++;
    try {
      return await pipeline(signal === undefined ? options : { ...options, signal });
    } finally {
      pending--;
    }
  };
}

/** chi mounts the v1 router on `/api/v1`, `/api/v1/` and `/api/v1/*`. */
function isUnderV1(path: string): boolean {
  return path === V1_PREFIX || path.startsWith(`${V1_PREFIX}/`);
}

async function v1Metrics(request: ApiRequest, run: Run): Promise<ApiResponse> {
  const dryRun = readDryRun(request.query);
  if (typeof dryRun !== 'boolean') return dryRun;
  const report = await run({ runType: dryRun ? 'api_dry_run' : 'api', stopAfter: 'metrics' });
  if (report === 'busy') return busy();
  if (report.error !== undefined) return jsonError(500, report.error.message);
  return ok(goJson(cpaMetrics(report.metrics)));
}

async function v1Evaluation(request: ApiRequest, run: Run): Promise<ApiResponse> {
  const dryRun = readDryRun(request.query);
  if (typeof dryRun !== 'boolean') return dryRun;
  const runType = dryRun ? 'api_dry_run' : 'api';
  const report = await run({ runType, stopAfter: dryRun ? 'evaluate' : 'scale' });
  if (report === 'busy') return busy();
  if (report.error !== undefined) return jsonError(500, report.error.message);
  // A dry run answers the evaluator's raw value; a real run the final target (0 when disabled, like CPA).
  const target = dryRun ? report.evaluation : finalTarget(report.decision);
  if (target === undefined) return incomplete(report, dryRun ? 'an evaluation' : 'a decision');
  return ok(goJson({ targetReplicas: target }));
}

async function seedMetrics(run: Run): Promise<ApiResponse> {
  const report = await run({ runType: 'api', stopAfter: 'metrics' });
  if (report === 'busy') return busy();
  if (report.error !== undefined) return jsonError(500, report.error.message);
  const body = {
    deployment: targetName(report.target),
    run_type: 'api',
    metrics: cpaMetrics(report.metrics),
  };
  return ok(goJson(body));
}

async function seedEvaluation(run: Run): Promise<ApiResponse> {
  // v0.8.0's evaluation endpoint is read-only: it answers the raw evaluation and never scales.
  const report = await run({ runType: 'api', stopAfter: 'evaluate' });
  if (report === 'busy') return busy();
  if (report.error !== undefined) return jsonError(500, report.error.message);
  if (report.evaluation === undefined) return incomplete(report, 'an evaluation');
  return ok(goJson({ target_replicas: report.evaluation }));
}

/** `dry_run` absent or empty is false; otherwise Go's ParseBool decides, and anything else is a 400. */
function readDryRun(query: URLSearchParams): boolean | ApiResponse {
  const text = query.get('dry_run') ?? '';
  if (text === '') return false;
  const value = parseGoBool(text);
  if (value !== null) return value;
  return jsonError(
    400,
    `Invalid format for 'dry_run' query parameter; '${text}' is not a valid boolean value`,
  );
}

function finalTarget(decision: Decision | undefined): number | undefined {
  if (decision === undefined) return undefined;
  return decision.action === 'disabled' ? 0 : decision.target;
}

/** Re-emits metrics in CPA's key order with empty keys omitted (Go `omitempty`); a nil list stays null. */
function cpaMetrics(metrics: readonly ResourceMetric[] | null | undefined): ResourceMetric[] | null {
  if (metrics === undefined || metrics === null) return null;
  // Rebuilt so that keys come out in CPA's order with empty ones dropped, whatever the report holds.
  return metrics.map((metric) => resourceMetric(metric.resource ?? '', metric.value ?? ''));
}

/** The name part of `kind/namespace/name`. */
function targetName(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

function incomplete(report: CycleReport, missing: string): ApiResponse {
  return jsonError(500, `cycle for ${report.target} ended without ${missing}`);
}

function ok(body: string): ApiResponse {
  return { status: 200, headers: { ...SNIFFED_TEXT_HEADERS }, body };
}

function notFound(path: string): ApiResponse {
  return jsonError(404, `Resource '${path}' not found`);
}

function methodNotAllowed(method: string, path: string): ApiResponse {
  return jsonError(405, `Method '${method}' not allowed on resource '${path}'`);
}

/** Too many cycles pending. */
function busy(): ApiResponse {
  // 429, not 503: the server is healthy, its callers ask too much at once. kube-apiserver's max-in-flight
  // limit answers the same way, and client-go retries it after Retry-After.
  return jsonError(429, 'too many REST API requests in progress; retry later', {
    'Retry-After': String(RETRY_AFTER_SEC),
  });
}

/** Go's http.NotFound, which chi answers outside its mounted routers. */
function goNotFound(): ApiResponse {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: '404 page not found\n',
  };
}
