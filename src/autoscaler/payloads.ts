// What user logic receives on stdin (or in the HTTP request), byte-compatible with CPA v2.12.2 (§4) and,
// for the seed format, with v0.8.0 (§9.2). Existing CPA scripts must run unchanged, so field names, their
// order and Go's JSON escaping are reproduced here.
import type { KubeObject } from '../ports.ts';
import type { ResourceMetric, RunType } from './types.ts';
import type { ScaleTargetRef } from '../config/types.ts';

/** Go's encoding/json escapes these; scripts that compare bytes (or grep) see the same text as under CPA. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Kubernetes objects reach CPA's user logic as Go maps, whose keys marshal in sorted order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted;
}

/** Compact JSON as Go marshals it (no whitespace, no trailing newline, `<>&` escaped). */
export function goJson(value: unknown): string {
  return goEscape(JSON.stringify(value));
}

/**
 * The target (or pod) as Go marshals it, computed once per object: a cycle puts the same object in up to five
 * payloads, and a kept object (watched) in every cycle's. Kubernetes objects are never mutated once read.
 * Composing payloads from it gives the same bytes as goJson of the whole: Go's escapes only occur inside
 * strings, so escaping the parts is escaping the whole.
 */
const resourceJsonOf = new WeakMap<object, string>();

function resourceJson(resource: KubeObject): string {
  let json = resourceJsonOf.get(resource);
  if (json === undefined) {
    json = goJson(sortKeysDeep(resource));
    resourceJsonOf.set(resource, json);
  }
  return json;
}

/** CPA drops empty `resource`/`value` strings (omitempty). */
export function resourceMetric(resource: string, value: string): ResourceMetric {
  const metric: ResourceMetric = {};
  if (resource !== '') metric.resource = resource;
  if (value !== '') metric.value = value;
  return metric;
}

/**
 * MetricInfo: input of preMetric, the metric method and postMetric (§4.2). `kubernetesMetrics` is the
 * already serialised array (src/autoscaler/k8s-metrics/serialise.ts), last as in CPA's struct.
 */
export function metricInfo(
  resource: KubeObject,
  runType: RunType,
  metrics?: ResourceMetric[] | null,
  kubernetesMetrics?: string,
): string {
  const list = metrics && metrics.length > 0 ? `,"metrics":${goJson(metrics)}` : '';
  const json = `{"resource":${resourceJson(resource)}${list},"runType":${goJson(runType)}}`;
  return kubernetesMetrics === undefined
    ? json
    : `${json.slice(0, -1)},"kubernetesMetrics":${goEscape(kubernetesMetrics)}}`;
}

/** EvaluateInfo: input of preEvaluate, evaluate and (with the parsed evaluation) postEvaluate (§4.4). */
export function evaluateInfo(
  metrics: ResourceMetric[] | null,
  resource: KubeObject,
  runType: RunType,
  evaluation?: number,
): string {
  const list = metrics === undefined ? '' : `"metrics":${goJson(metrics)},`;
  const evaluated = evaluation === undefined ? '' : `,"evaluation":{"targetReplicas":${goJson(evaluation)}}`;
  return `{${list}"resource":${resourceJson(resource)}${evaluated},"runType":${goJson(runType)}}`;
}

/** What the scale hooks need besides the decision. */
export interface ScaleInfoInput {
  finalTarget: number;
  resource: KubeObject;
  scaleTargetRef: ScaleTargetRef;
  namespace: string;
  minReplicas: number;
  maxReplicas: number;
  /** The evaluator's raw value; CPA sends 0 for API-triggered runs (§4.5). */
  rawEvaluation: number;
  runType: RunType;
}

/** ScaleInfo: input of preScale and postScale, identical bytes for both (§4.5). */
export function scaleInfo(input: ScaleInfoInput): string {
  const ref: Record<string, string> = { kind: input.scaleTargetRef.kind, name: input.scaleTargetRef.name };
  if (input.scaleTargetRef.apiVersion !== '') ref.apiVersion = input.scaleTargetRef.apiVersion;
  return goJson({
    evaluation: { targetReplicas: input.finalTarget },
    resource: sortKeysDeep(input.resource),
    scaleTargetRef: ref,
    namespace: input.namespace,
    minReplicas: input.minReplicas,
    maxReplicas: input.maxReplicas,
    targetReplicas: input.runType === 'scaler' ? input.rawEvaluation : 0,
    runType: input.runType,
  });
}

/** Seed (v0.8.0) metric input: the raw resource (or pod) JSON itself. */
export function seedMetricInput(resource: KubeObject): string {
  return resourceJson(resource);
}

/** Seed (v0.8.0) evaluate input; `run_type` is `api` for any API request. */
export function seedEvaluateInput(
  deployment: string,
  runType: RunType,
  metrics: ResourceMetric[] | null,
): string {
  return goJson({ deployment, run_type: runType === 'scaler' ? 'scaler' : 'api', metrics });
}
