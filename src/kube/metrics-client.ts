// Reads of the three aggregated metrics APIs, at the paths client-go's metrics clients use, so that the
// same RBAC rules and the same adapters (metrics-server, prometheus-adapter, KEDA) serve us as serve CPA.
import type { CustomMetricQuery, KubeCall, KubeRequester, MetricsApi } from '../ports.ts';

const RESOURCE_METRICS = '/apis/metrics.k8s.io/v1beta1';
const CUSTOM_METRICS = '/apis/custom.metrics.k8s.io/v1beta2';
const EXTERNAL_METRICS = '/apis/external.metrics.k8s.io/v1beta1';

const seg = encodeURIComponent;

function selectorQuery(entries: Record<string, string | undefined>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries))
    if (value !== undefined && value !== '') query[key] = value;
  return query;
}

/** The MetricsApi over a requester; errors are the requester's KubeErrors (403s name the missing rule). */
export function metricsApiOver(request: KubeRequester): MetricsApi {
  return {
    async listPodMetrics(namespace, labelSelector) {
      const call: KubeCall = { verb: 'list', group: 'metrics.k8s.io', resource: 'pods', namespace };
      const path = `${RESOURCE_METRICS}/namespaces/${seg(namespace)}/pods`;
      return (await request({ method: 'GET', path, query: selectorQuery({ labelSelector }), call })).body;
    },
    async getCustomMetric(q: CustomMetricQuery) {
      const ns = seg(q.namespace);
      const path =
        q.object === undefined
          ? `${CUSTOM_METRICS}/namespaces/${ns}/metrics/${seg(q.metric)}`
          : `${CUSTOM_METRICS}/namespaces/${ns}/${q.object.resource}/${q.object.name === '*' ? '*' : seg(q.object.name)}/${seg(q.metric)}`;
      const call: KubeCall = {
        verb: 'get',
        group: 'custom.metrics.k8s.io',
        resource: q.object === undefined ? 'metrics' : q.object.resource,
        namespace: q.namespace,
        name: q.object === undefined ? q.metric : q.object.name,
        subresource: q.object === undefined ? undefined : q.metric,
      };
      const query = selectorQuery({
        labelSelector: q.labelSelector,
        metricLabelSelector: q.metricLabelSelector,
      });
      return (await request({ method: 'GET', path, query, call })).body;
    },
    async listExternalMetric(namespace, metric, labelSelector) {
      const call: KubeCall = { verb: 'list', group: 'external.metrics.k8s.io', resource: metric, namespace };
      const path = `${EXTERNAL_METRICS}/namespaces/${seg(namespace)}/${seg(metric)}`;
      return (await request({ method: 'GET', path, query: selectorQuery({ labelSelector }), call })).body;
    },
  };
}
