// custom.metrics.k8s.io/v1beta2 and external.metrics.k8s.io/v1beta1 in the sandbox, computed on read from
// scripted series, so that kubernetesMetricSpecs of every source work without a metrics adapter:
//   Pods and Object metrics: annotation `sandbox.kubectl-cpa.dev/metric.<METRIC>` on the pod or object
//     (comma-separated quantities, one per `…/metrics-every` seconds (15) from the pod's start or the
//     object's creation, cycling), as the CPU series of metrics.k8s.io;
//   External metrics: annotation `sandbox.kubectl-cpa.dev/external.<METRIC>` on the Namespace, with the
//     series' labels in `…/external.<METRIC>.labels` (`queue=worker_tasks,tier=a`) for selectors.
// Paths and answers are those of the real APIs (see src/kube/metrics-client.ts), authorized like resources.
import { SANDBOX_ANNOTATION } from '../controllers/log-script.ts';
import { RESOURCES, resourceKey, type ResourceDef } from '../store/registry.ts';
import { timestamp } from '../store/objects.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';
import { matches, parseLabelSelector } from '../wire/selector.ts';
import { noSuchResource, notFound } from '../wire/status.ts';
import { json, type ApiContext } from './context.ts';
import type { ResourceRoute } from './router.ts';
import type { WholeResponse } from '../wire/http.ts';

const CUSTOM = { group: 'custom.metrics.k8s.io', version: 'v1beta2' };
const EXTERNAL = { group: 'external.metrics.k8s.io', version: 'v1beta1' };
const STEP_SEC = 15;

/** A request to one of the two metric-value APIs. */
export interface MetricValuesRoute {
  api: 'custom' | 'external';
  namespace?: string;
  /** Custom: `pods`, `deployments.apps` or `metrics` (a namespace's own metric). External: the metric. */
  resource: string;
  name?: string;
  metric?: string;
}

/** The route of a custom/external metrics path, or undefined for any other path. */
export function routeMetricValues(path: string): MetricValuesRoute | undefined {
  const parts = path.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
  if (parts[0] !== 'apis') return undefined;
  const api =
    parts[1] === CUSTOM.group && parts[2] === CUSTOM.version
      ? 'custom'
      : parts[1] === EXTERNAL.group && parts[2] === EXTERNAL.version
        ? 'external'
        : undefined;
  if (api === undefined) return undefined;
  const rest = parts.slice(3);
  if (rest.length === 0) return { api, resource: '' };
  if (rest[0] !== 'namespaces' || rest.length < 3) return { api, resource: '?' };
  const [, namespace, resource = '', name, metric] = rest;
  if (api === 'external')
    return rest.length === 3 ? { api, namespace, resource } : { api, namespace, resource: '?' };
  if (resource === 'metrics' && rest.length === 4) return { api, namespace, resource, name, metric: name };
  return rest.length === 5 ? { api, namespace, resource, name, metric } : { api, namespace, resource: '?' };
}

/** What RBAC checks for the path: the same resource/name/subresource kube-apiserver derives from it. */
export function metricValuesAuthz(r: MetricValuesRoute): ResourceRoute {
  const group = r.api === 'custom' ? CUSTOM.group : EXTERNAL.group;
  // Only group and plural of the definition are read by the authorizer.
  const def = { group, plural: r.resource } as ResourceDef;
  const route: ResourceRoute = { type: 'resource', def, verb: r.name === undefined ? 'list' : 'get' };
  if (r.namespace !== undefined) route.namespace = r.namespace;
  if (r.name !== undefined) route.name = r.name;
  if (r.metric !== undefined && r.resource !== 'metrics') route.subresource = r.metric;
  return route;
}

function seriesAt(series: string, startMs: number, everySec: number, nowMs: number): string {
  const values = series
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) return '0';
  const step = Math.max(0, Math.floor((nowMs - startMs) / (everySec * 1000)));
  return values[step % values.length] ?? '0';
}

/** The value of `metric` on an object now, from its annotation; undefined when it has none. */
function scripted(obj: Obj, metric: string, nowMs: number): { value: string; at: string } | undefined {
  const annotations = metaOf(obj).annotations ?? {};
  const series = annotations[`${SANDBOX_ANNOTATION}/metric.${metric}`];
  if (series === undefined) return undefined;
  const every = Number(annotations[`${SANDBOX_ANNOTATION}/metrics-every`] ?? STEP_SEC) || STEP_SEC;
  const status = isMap(obj.status) ? obj.status : {};
  const since = Date.parse(String(status.startTime ?? metaOf(obj).creationTimestamp ?? '')) || nowMs;
  const stepStart = since + Math.floor(Math.max(0, nowMs - since) / (every * 1000)) * every * 1000;
  return { value: seriesAt(series, since, every, nowMs), at: timestamp(stepStart) };
}

function valueList(kind: string, apiVersion: string, items: Obj[]): WholeResponse {
  return json(200, { kind, apiVersion, metadata: {}, items });
}

function storedDef(resource: string): ResourceDef | undefined {
  const dot = resource.indexOf('.');
  const plural = dot < 0 ? resource : resource.slice(0, dot);
  const group = dot < 0 ? '' : resource.slice(dot + 1);
  return RESOURCES.find((d) => !d.virtual && d.plural === plural && d.group === group);
}

function custom(ctx: ApiContext, r: MetricValuesRoute, query: URLSearchParams): WholeResponse {
  const now = ctx.env.nowMs();
  const ns = r.namespace ?? '';
  const metric = r.metric ?? '';
  const item = (obj: Obj, kind: string, apiVersion: string, v: { value: string; at: string }): Obj => ({
    describedObject: { kind, namespace: metaOf(obj).namespace, name: metaOf(obj).name, apiVersion },
    metric: { name: metric, selector: null },
    timestamp: v.at,
    windowSeconds: STEP_SEC,
    value: v.value,
  });
  const apiVersion = `${CUSTOM.group}/${CUSTOM.version}`;
  if (r.resource === 'metrics') {
    const namespace = ctx.store.get('/namespaces', '', ns);
    const v = namespace === undefined ? undefined : scripted(namespace, metric, now);
    if (namespace === undefined || v === undefined)
      throw notFound({ group: CUSTOM.group, resource: 'metrics', name: metric });
    return valueList('MetricValueList', apiVersion, [item(namespace, 'Namespace', 'v1', v)]);
  }
  const def = storedDef(r.resource);
  if (def === undefined) throw noSuchResource();
  const objVersion = def.group === '' ? def.version : `${def.group}/${def.version}`;
  if (r.name === '*') {
    const selector = parseLabelSelector(query.get('labelSelector') ?? '');
    const items = ctx.store
      .list(resourceKey(def), ns)
      .filter((o) => matches(selector, metaOf(o).labels))
      .flatMap((o) => {
        const v = scripted(o, metric, now);
        return v === undefined ? [] : [item(o, def.kind, objVersion, v)];
      });
    return valueList('MetricValueList', apiVersion, items);
  }
  const obj = ctx.store.get(resourceKey(def), ns, r.name ?? '');
  const v = obj === undefined ? undefined : scripted(obj, metric, now);
  if (obj === undefined || v === undefined) {
    throw notFound({ group: CUSTOM.group, resource: `${r.resource}/${metric}`, name: r.name });
  }
  return valueList('MetricValueList', apiVersion, [item(obj, def.kind, objVersion, v)]);
}

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const [k, v] = pair.split('=');
    if (k !== undefined && k.trim() !== '') labels[k.trim()] = (v ?? '').trim();
  }
  return labels;
}

function external(ctx: ApiContext, r: MetricValuesRoute, query: URLSearchParams): WholeResponse {
  const now = ctx.env.nowMs();
  const namespace = ctx.store.get('/namespaces', '', r.namespace ?? '');
  const annotations = namespace === undefined ? {} : (metaOf(namespace).annotations ?? {});
  const series = annotations[`${SANDBOX_ANNOTATION}/external.${r.resource}`];
  const labels = labelsOf(annotations[`${SANDBOX_ANNOTATION}/external.${r.resource}.labels`]);
  const selector = parseLabelSelector(query.get('labelSelector') ?? '');
  const items: Obj[] = [];
  if (namespace !== undefined && series !== undefined && matches(selector, labels)) {
    // The namespace's external series steps like a metric annotation on the namespace itself.
    const alias = { ...annotations, [`${SANDBOX_ANNOTATION}/metric.${r.resource}`]: series };
    const v = scripted(
      { ...namespace, metadata: { ...metaOf(namespace), annotations: alias } },
      r.resource,
      now,
    );
    if (v !== undefined)
      items.push({ metricName: r.resource, metricLabels: labels, timestamp: v.at, value: v.value });
  }
  return valueList('ExternalMetricValueList', `${EXTERNAL.group}/${EXTERNAL.version}`, items);
}

/** The answer for a routed metrics request (the caller has authorized it). */
export function metricValuesResponse(
  ctx: ApiContext,
  r: MetricValuesRoute,
  query: URLSearchParams,
): WholeResponse {
  if (r.resource === '') {
    const groupVersion =
      r.api === 'custom' ? `${CUSTOM.group}/${CUSTOM.version}` : `${EXTERNAL.group}/${EXTERNAL.version}`;
    return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: [] });
  }
  if (r.resource === '?') throw noSuchResource();
  return r.api === 'custom' ? custom(ctx, r, query) : external(ctx, r, query);
}
