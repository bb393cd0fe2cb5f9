// The shared Kubernetes client with every API call counted by HTTP method, for /metrics
// (`kubectl_cpa_kube_requests_total`) and the density bench's API calls per cycle. Discovery look-ups
// (resolveTarget, lookupResource) are cached by the client and not counted.
import type { CpaKubeClient, MetricsApi } from '../ports.ts';

/** `client` with `count(method)` called before each API call it makes. */
export function countedClient(client: CpaKubeClient, count: (method: string) => void): CpaKubeClient {
  return {
    resolveTarget: (ref, namespace) => client.resolveTarget(ref, namespace),
    lookupResource: (word, restrict) => client.lookupResource(word, restrict),
    getObject: (target) => (count('GET'), client.getObject(target)),
    getScale: (target) => (count('GET'), client.getScale(target)),
    patchScale: (target, replicas, rv) => (count('PATCH'), client.patchScale(target, replicas, rv)),
    listPods: (namespace, selector) => (count('LIST'), client.listPods(namespace, selector)),
    request: (request) => (count(request.method), client.request(request)),
    close: () => client.close(),
    ...(client.stream === undefined ? {} : { stream: client.stream }),
    ...(client.metrics === undefined ? {} : { metrics: countedMetrics(client.metrics, count) }),
  };
}

/** The metrics APIs (kubernetesMetricSpecs) with each read counted as a GET. */
function countedMetrics(api: MetricsApi, count: (method: string) => void): MetricsApi {
  return {
    listPodMetrics: (namespace, selector) => (count('GET'), api.listPodMetrics(namespace, selector)),
    getCustomMetric: (query) => (count('GET'), api.getCustomMetric(query)),
    listExternalMetric: (namespace, metric, selector) => (
      count('GET'),
      api.listExternalMetric(namespace, metric, selector)
    ),
  };
}
