// The KubeClient of one cycle over the API server's REST paths: the target object, its scale
// subresource (GET and JSON-patch, as CPA v2.12.1+ does) and the pods its selector matches.
import { KubeError } from '../errors.ts';
import type { CpaKubeClient, KubeCall, KubeObject, KubeRequester, ResolvedTarget, Scale } from '../ports.ts';
import { Discovery, groupVersionPath, noScaleError } from './discovery.ts';
import { metricsApiOver } from './metrics-client.ts';

/** Page size for pod lists; large namespaces are read in several pages instead of one huge answer. */
const POD_PAGE = 500;

function targetCall(target: ResolvedTarget, verb: string, subresource?: string): KubeCall {
  const { group, resource, namespace, name } = target;
  return { verb, group, resource, namespace, name, subresource };
}

function objectPath(target: ResolvedTarget): string {
  const ns = encodeURIComponent(target.namespace);
  return `${groupVersionPath(target)}/namespaces/${ns}/${target.resource}/${encodeURIComponent(target.name)}`;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Reads an autoscaling/v1 Scale; fields the server omits (zero replicas, no selector) read as 0 / ''. */
export function parseScale(body: unknown, target: ResolvedTarget): Scale {
  if (typeof body !== 'object' || body === null) {
    throw new KubeError(`the scale subresource of ${target.resource} "${target.name}" returned no object`, {
      verb: 'get',
      resource: `${target.resource}/scale`,
      namespace: target.namespace,
      name: target.name,
    });
  }
  const scale = body as {
    spec?: { replicas?: unknown };
    status?: { replicas?: unknown; selector?: unknown };
    metadata?: { resourceVersion?: unknown };
  };
  return {
    replicas: num(scale.spec?.replicas),
    selector: typeof scale.status?.selector === 'string' ? scale.status.selector : '',
    statusReplicas: num(scale.status?.replicas),
    resourceVersion:
      typeof scale.metadata?.resourceVersion === 'string' ? scale.metadata.resourceVersion : '',
  };
}

/**
 * The JSON Patch CPA sends. With a resourceVersion, an op first sets `/metadata/resourceVersion`, so the
 * API server's optimistic concurrency check rejects the write with 409 if the workload changed since read.
 */
export function scalePatch(replicas: number, resourceVersion?: string): unknown[] {
  const ops: unknown[] = [];
  if (resourceVersion !== undefined && resourceVersion !== '') {
    ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
  }
  ops.push({ op: 'replace', path: '/spec/replicas', value: replicas });
  return ops;
}

/** A KubeClient over any requester (the real transport, or a loopback fake in tests). */
export function kubeClientOver(request: KubeRequester, close: () => void = () => {}): CpaKubeClient {
  const discovery = new Discovery(request);
  return {
    resolveTarget: (ref, namespace) => discovery.resolve(ref, namespace),
    lookupResource: (word, restrict) => discovery.lookup(word, restrict),
    async getObject(target) {
      const res = await request({ method: 'GET', path: objectPath(target), call: targetCall(target, 'get') });
      return res.body as KubeObject;
    },
    async getScale(target) {
      if (!target.hasScale) throw noScaleError(target, 'get');
      const call = targetCall(target, 'get', 'scale');
      const res = await request({ method: 'GET', path: `${objectPath(target)}/scale`, call });
      return parseScale(res.body, target);
    },
    async patchScale(target, replicas, resourceVersion) {
      if (!Number.isSafeInteger(replicas) || replicas < 0)
        throw new RangeError(`replicas must be a non-negative integer, got ${replicas}`);
      if (!target.hasScale) throw noScaleError(target, 'patch');
      const res = await request({
        method: 'PATCH',
        path: `${objectPath(target)}/scale`,
        body: scalePatch(replicas, resourceVersion),
        contentType: 'application/json-patch+json',
        call: targetCall(target, 'patch', 'scale'),
      });
      return parseScale(res.body, target);
    },
    listPods: (namespace, labelSelector) => listPods(request, namespace, labelSelector),
    metrics: metricsApiOver(request),
    close,
    request,
  };
}

/** Lists pods page by page; an empty selector lists every pod in the namespace, as CPA does. */
async function listPods(
  request: KubeRequester,
  namespace: string,
  labelSelector: string,
): Promise<KubeObject[]> {
  const call: KubeCall = { verb: 'list', group: '', resource: 'pods', namespace };
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const pods: KubeObject[] = [];
  let cont = '';
  do {
    const query: Record<string, string> = { limit: String(POD_PAGE) };
    if (labelSelector !== '') query.labelSelector = labelSelector;
    if (cont !== '') query.continue = cont;
    const body = (await request({ method: 'GET', path, query, call })).body as {
      items?: KubeObject[];
      metadata?: { continue?: string };
    } | null;
    pods.push(...(body?.items ?? []));
    cont = body?.metadata?.continue ?? '';
  } while (cont !== '');
  return pods;
}
