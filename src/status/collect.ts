// Reads what `status` shows, in a number of API calls that does not grow with the number of autoscalers:
// one list per scalable workload kind, one list of CustomPodAutoscalers, at most two pod lists. Only what
// lists cannot give is read per object: pod logs, and the scale of CR targets outside the lists.
import { mapBounded } from '../autoscaler/bounded.ts';
import { describeError, KubeError } from '../errors.ts';
import type { KubeCall, KubeClient, KubeObject, KubeRequester } from '../ports.ts';
import { choosePod, CPA_GROUP, OWNED_BY_LABEL, podsOfCpa, targetRefOf, type PodLog } from './model-cpa.ts';
import { specReplicas } from './model.ts';

/** The API surface `status` uses. */
export type StatusClient = Pick<KubeClient, 'resolveTarget' | 'getScale'> & { request: KubeRequester };

/** Reads the tail of a pod's log as text (`GET …/pods/{pod}/log?timestamps=true&tailLines=N`). */
export type ReadPodLog = (namespace: string, pod: string, container: string | undefined) => Promise<string>;

export interface StatusQuery {
  /** null lists every namespace (`-A`). */
  namespace: string | null;
  selector?: string;
}

/** Everything read for one `status` answer. */
export interface Collected {
  workloads: KubeObject[];
  cpas: KubeObject[];
  /** Pods of each CR, keyed `namespace/name`. */
  podsOf: Map<string, KubeObject[]>;
  logs: Map<string, PodLog>;
  /** Current replicas of each CR's target, keyed `namespace/name`. */
  replicasOf: Map<string, number | null>;
  /** Lists that could not be read (forbidden) and why; the answer goes on without them. */
  warnings: string[];
}

/** The scalable kinds whose objects may carry the annotation. */
export const WORKLOAD_KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps', resource: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', group: 'apps', resource: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', group: 'apps', resource: 'replicasets' },
  { apiVersion: 'v1', kind: 'ReplicationController', group: '', resource: 'replicationcontrollers' },
] as const;

const PAGE = 500;
const PER_OBJECT_CONCURRENCY = 8;

export const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

interface ListSpec {
  apiVersion: string;
  kind: string;
  group: string;
  resource: string;
  namespace: string | null;
  selector?: string;
}

/** Lists one resource page by page; items get the apiVersion and kind that lists leave out. */
export async function listAll(request: KubeRequester, spec: ListSpec): Promise<KubeObject[]> {
  const root = spec.group === '' ? `/api/${spec.apiVersion}` : `/apis/${spec.apiVersion}`;
  const ns = spec.namespace === null ? '' : `/namespaces/${encodeURIComponent(spec.namespace)}`;
  const call: KubeCall = { verb: 'list', group: spec.group, resource: spec.resource };
  if (spec.namespace !== null) call.namespace = spec.namespace;
  const items: KubeObject[] = [];
  let cont = '';
  do {
    const query: Record<string, string> = { limit: String(PAGE) };
    if (spec.selector) query.labelSelector = spec.selector;
    if (cont !== '') query.continue = cont;
    const res = await request({ method: 'GET', path: `${root}${ns}/${spec.resource}`, query, call });
    const body = res.body as { items?: KubeObject[]; metadata?: { continue?: string } } | null;
    for (const item of body?.items ?? [])
      items.push({ ...item, apiVersion: spec.apiVersion, kind: spec.kind });
    cont = body?.metadata?.continue ?? '';
  } while (cont !== '');
  return items;
}

function status(err: unknown): number | undefined {
  return err instanceof KubeError ? err.details.status : undefined;
}

/** A list the user may not read is a warning, not a failure (they may watch only some kinds). */
async function tolerant(list: Promise<KubeObject[]>, warnings: string[]): Promise<KubeObject[]> {
  try {
    return await list;
  } catch (err) {
    if (status(err) !== 403) throw err;
    const hint = err instanceof KubeError && err.hint ? ` (${err.hint})` : '';
    warnings.push(`${describeError(err)}${hint}`);
    return [];
  }
}

/** CustomPodAutoscalers, or none when the CRD is not installed (that is not an error). */
async function listCpas(request: KubeRequester, q: StatusQuery, warnings: string[]): Promise<KubeObject[]> {
  const spec = { apiVersion: `${CPA_GROUP}/v1`, kind: 'CustomPodAutoscaler', group: CPA_GROUP };
  const list = listAll(request, {
    ...spec,
    resource: 'custompodautoscalers',
    namespace: q.namespace,
    selector: q.selector,
  });
  try {
    return await tolerant(list, warnings);
  } catch (err) {
    if (status(err) === 404) return [];
    throw err;
  }
}

/** Pods of every CR: one labelled list, and one unlabelled list only when some CR found no pod by label. */
async function podsOfCpas(
  request: KubeRequester,
  cpas: KubeObject[],
  q: StatusQuery,
): Promise<Map<string, KubeObject[]>> {
  const podList = (namespace: string | null, selector?: string) =>
    listAll(request, { apiVersion: 'v1', kind: 'Pod', group: '', resource: 'pods', namespace, selector });
  const labelled = await podList(q.namespace, OWNED_BY_LABEL);
  const out = new Map(cpas.map((c) => [keyOf(c), podsOfCpa(c, labelled, [])]));
  const unmatched = cpas.filter((c) => (out.get(keyOf(c)) ?? []).length === 0);
  if (unmatched.length === 0) return out;
  const namespaces = new Set(unmatched.map((c) => c.metadata?.namespace ?? ''));
  const only = namespaces.size === 1 ? ([...namespaces][0] as string) : q.namespace;
  const all = await podList(only);
  for (const c of unmatched) out.set(keyOf(c), podsOfCpa(c, labelled, all));
  return out;
}

/** Reads the chosen pod's log for each CR; a failure is kept as the reason the log is unknown. */
async function logsOf(
  cpas: KubeObject[],
  podsOf: Map<string, KubeObject[]>,
  readLog: ReadPodLog,
): Promise<Map<string, PodLog>> {
  const out = new Map<string, PodLog>();
  await mapBounded(cpas, PER_OBJECT_CONCURRENCY, async (cpa) => {
    const pod = choosePod(podsOf.get(keyOf(cpa)) ?? []);
    if (pod === undefined) return;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Pending') return void out.set(keyOf(cpa), { error: 'the pod is Pending' });
    const container = (pod.spec as { containers?: { name?: string }[] } | undefined)?.containers?.[0]?.name;
    try {
      out.set(keyOf(cpa), {
        text: await readLog(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', container),
      });
    } catch (err) {
      out.set(keyOf(cpa), { error: describeError(err) });
    }
  });
  return out;
}

/** Current replicas of each CR's target: from the workload lists when there, else its scale subresource. */
async function replicasOfTargets(
  client: StatusClient,
  cpas: KubeObject[],
  workloads: KubeObject[],
): Promise<Map<string, number | null>> {
  const listed = new Map(workloads.map((w) => [`${w.apiVersion}|${w.kind}|${keyOf(w)}`, w]));
  const out = new Map<string, number | null>();
  await mapBounded(cpas, PER_OBJECT_CONCURRENCY, async (cpa) => {
    const ref = targetRefOf(cpa);
    const ns = cpa.metadata?.namespace ?? '';
    if (!ref.kind || !ref.name) return void out.set(keyOf(cpa), null);
    const hit = listed.get(`${ref.apiVersion}|${ref.kind}|${ns}/${ref.name}`);
    if (hit !== undefined) return void out.set(keyOf(cpa), specReplicas(hit));
    try {
      const apiVersion = ref.apiVersion || 'apps/v1';
      const target = await client.resolveTarget({ apiVersion, kind: ref.kind, name: ref.name }, ns);
      out.set(keyOf(cpa), (await client.getScale(target)).replicas);
    } catch {
      out.set(keyOf(cpa), null);
    }
  });
  return out;
}

/** Reads everything one `status` answer needs. */
export async function collect(client: StatusClient, q: StatusQuery, readLog: ReadPodLog): Promise<Collected> {
  const warnings: string[] = [];
  const lists = WORKLOAD_KINDS.map((k) =>
    tolerant(listAll(client.request, { ...k, namespace: q.namespace, selector: q.selector }), warnings),
  );
  const [cpas, ...workloadLists] = await Promise.all([listCpas(client.request, q, warnings), ...lists]);
  const workloads = workloadLists.flat();
  if (cpas.length === 0)
    return { workloads, cpas, podsOf: new Map(), logs: new Map(), replicasOf: new Map(), warnings };
  const podsOf = await podsOfCpas(client.request, cpas, q);
  const [logs, replicasOf] = await Promise.all([
    logsOf(cpas, podsOf, readLog),
    replicasOfTargets(client, cpas, workloads),
  ]);
  return { workloads, cpas, podsOf, logs, replicasOf, warnings };
}

/** The target's Events (one list with a field selector); a failure leaves the detail view without them. */
export async function listTargetEvents(
  request: KubeRequester,
  target: { kind: string; name: string; namespace: string },
): Promise<KubeObject[]> {
  const fieldSelector = `involvedObject.kind=${target.kind},involvedObject.name=${target.name}`;
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/events`;
  const call: KubeCall = { verb: 'list', group: '', resource: 'events', namespace: target.namespace };
  const res = await request({ method: 'GET', path, query: { fieldSelector, limit: '500' }, call });
  return ((res.body as { items?: KubeObject[] } | null)?.items ?? []) as KubeObject[];
}
