// Which pods hold an autoscaler's log. A CustomPodAutoscaler's pod is found by the operator's label, then
// by owner reference, then by name (operator research §2.5); a Deployment's pods by its selector.
import { KubeError } from '../errors.ts';
import type { KubeCall, KubeObject, KubeRequester } from '../ports.ts';

/** Where logs come from: `NAME` / `cpa/NAME` (a CustomPodAutoscaler), `deployment/NAME`, `pod/NAME`. */
export interface LogSource {
  kind: 'cpa' | 'deployment' | 'pod';
  name: string;
}

/** A pod whose log can be streamed. */
export interface PodRef {
  name: string;
  uid: string;
  containers: string[];
  /** The container `kubectl logs` would pick: the default-container annotation, else the first. */
  defaultContainer: string;
  deleting: boolean;
}

/** The pods found now; `exists` is false when the named object itself does not exist. */
export interface FoundPods {
  pods: PodRef[];
  exists: boolean;
}

const KINDS: Record<string, LogSource['kind']> = {
  cpa: 'cpa',
  custompodautoscaler: 'cpa',
  custompodautoscalers: 'cpa',
  'custompodautoscalers.custompodautoscaler.com': 'cpa',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployment.apps': 'deployment',
  'deployments.apps': 'deployment',
  po: 'pod',
  pod: 'pod',
  pods: 'pod',
};

/** Parses the NAME argument; null when the kind before `/` is not one we read logs of. */
export function parseLogSource(arg: string): LogSource | null {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg === '' ? null : { kind: 'cpa', name: arg };
  const kind = KINDS[arg.slice(0, slash).toLowerCase()];
  const name = arg.slice(slash + 1);
  return kind === undefined || name === '' || name.includes('/') ? null : { kind, name };
}

/** A LabelSelector object (`matchLabels`, `matchExpressions`) in its string form. */
export function selectorString(selector: unknown): string {
  const sel = (selector ?? {}) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = `(${(e.values ?? []).join(',')})`;
    if (e.operator === 'In') parts.push(`${e.key} in ${values}`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin ${values}`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Reads what we need of a Pod object. */
export function podRef(pod: KubeObject): PodRef {
  const meta = (pod.metadata ?? {}) as {
    name?: string;
    uid?: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
  };
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[] };
  const containers = (spec.containers ?? []).map((c) => c.name);
  const annotated = meta.annotations?.['kubectl.kubernetes.io/default-container'];
  return {
    name: meta.name ?? '',
    uid: meta.uid ?? meta.name ?? '',
    containers,
    defaultContainer:
      annotated !== undefined && containers.includes(annotated) ? annotated : (containers[0] ?? ''),
    deleting: meta.deletionTimestamp !== undefined,
  };
}

const OWNED_BY = 'v1.custompodautoscaler.com/owned-by';
const MANAGED_BY = 'app.kubernetes.io/managed-by=custom-pod-autoscaler-operator';
const CPA_PATH = '/apis/custompodautoscaler.com/v1';

/** Finds pods of `source` in `namespace` now. Throws KubeError for failures other than "not found". */
export async function findPods(
  request: KubeRequester,
  namespace: string,
  source: LogSource,
): Promise<FoundPods> {
  const ns = encodeURIComponent(namespace);
  if (source.kind === 'pod') {
    const pod = await getOrNull(request, `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(source.name)}`, {
      ...call('pods', namespace, source.name),
    });
    return { pods: pod === null ? [] : [podRef(pod)], exists: pod !== null };
  }
  if (source.kind === 'deployment') {
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(source.name)}`;
    const dep = await getOrNull(request, path, {
      ...call('deployments', namespace, source.name),
      group: 'apps',
    });
    if (dep === null) return { pods: [], exists: false };
    const selector = selectorString((dep.spec as { selector?: unknown } | undefined)?.selector);
    return { pods: await listPods(request, namespace, selector), exists: true };
  }
  return findCpaPods(request, namespace, source.name);
}

async function findCpaPods(request: KubeRequester, namespace: string, name: string): Promise<FoundPods> {
  const labelled = await listPods(request, namespace, `${OWNED_BY}=${name}`);
  if (labelled.length > 0) return { pods: labelled, exists: true };
  const ns = encodeURIComponent(namespace);
  const crCall = { ...call('custompodautoscalers', namespace, name), group: 'custompodautoscaler.com' };
  // A missing CRD answers 404 like a missing object: then only a pod of that name can be meant.
  const cr = await getOrNull(
    request,
    `${CPA_PATH}/namespaces/${ns}/custompodautoscalers/${encodeURIComponent(name)}`,
    crCall,
  );
  if (cr !== null) {
    const managed = await listObjects(request, namespace, MANAGED_BY);
    const owned = managed.filter((pod) => ownedBy(pod, name));
    if (owned.length > 0) return { pods: owned.map(podRef), exists: true };
  }
  const template = (cr?.spec as { template?: { metadata?: { name?: string } } } | undefined)?.template;
  const podName = template?.metadata?.name ?? name;
  const pod = await getOrNull(request, `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(podName)}`, {
    ...call('pods', namespace, podName),
  });
  return { pods: pod === null ? [] : [podRef(pod)], exists: cr !== null || pod !== null };
}

function ownedBy(pod: KubeObject, name: string): boolean {
  const refs = (pod.metadata?.ownerReferences ?? []) as { kind?: string; name?: string }[];
  return refs.some((r) => r.kind === 'CustomPodAutoscaler' && r.name === name);
}

function call(resource: string, namespace: string, name?: string): KubeCall {
  return { verb: name === undefined ? 'list' : 'get', group: '', resource, namespace, name };
}

async function getOrNull(
  request: KubeRequester,
  path: string,
  kubeCall: KubeCall,
): Promise<KubeObject | null> {
  try {
    return (await request({ method: 'GET', path, call: kubeCall })).body as KubeObject;
  } catch (err) {
    if (err instanceof KubeError && err.details.status === 404) return null;
    throw err;
  }
}

async function listObjects(
  request: KubeRequester,
  namespace: string,
  labelSelector: string,
): Promise<KubeObject[]> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const query = labelSelector === '' ? undefined : { labelSelector };
  const res = await request({ method: 'GET', path, query, call: call('pods', namespace) });
  return ((res.body as { items?: KubeObject[] } | null)?.items ?? []).sort((a, b) =>
    String(a.metadata?.name).localeCompare(String(b.metadata?.name)),
  );
}

async function listPods(request: KubeRequester, namespace: string, labelSelector: string): Promise<PodRef[]> {
  return (await listObjects(request, namespace, labelSelector)).map(podRef);
}
