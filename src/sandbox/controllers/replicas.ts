// The pod-owning controllers with random pod names: ReplicaSet and ReplicationController (pods
// `<owner>-<5 chars>`) and the example Widget CRD (same naming, a fixed pause container), plus the pod
// helpers the StatefulSet controller shares. Each sync creates or deletes pods towards spec.replicas and
// writes the owner's status; it returns when to look again, if ever.
import type { EventRecorder } from './events.ts';
import {
  controllerRef,
  podReady,
  readySinceMs,
  withStatus,
  writeIfChanged,
  type OwnerIndex,
} from './owners.ts';
import { findKind, resourceKey, WIDGET, type ResourceDef } from '../store/registry.ts';
import type { StoreContext } from '../store/context.ts';
import { matches } from '../wire/selector.ts';
import { clone, isMap, metaOf, type Obj } from '../wire/json.ts';
import { selectorOf } from '../store/validate.ts';
import { createObject, deleteObject } from '../store/writes.ts';

/** What the controllers share. */
export interface ControllerCtx {
  api: StoreContext;
  index: OwnerIndex;
  events: EventRecorder;
}

const podDef = findKind('v1', 'Pod')!;

/**
 * At most this many pods are created or deleted per sync, as kube-controller-manager's BurstReplicas: the
 * pod events bring the owner back for the rest, so a huge (valid) count never holds the API up.
 */
export const BURST_REPLICAS = 500;
/** The store key of pods. */
export const podKey = resourceKey(podDef);

/** The spec of an object ({} when absent). */
export function spec(obj: Obj): Obj {
  return isMap(obj.spec) ? obj.spec : {};
}

/** The pod template of a workload, with metadata and spec always present. */
export function templateOf(obj: Obj): { metadata: Obj; spec: Obj } {
  const t = isMap(spec(obj).template) ? (spec(obj).template as Obj) : {};
  return { metadata: isMap(t.metadata) ? t.metadata : {}, spec: isMap(t.spec) ? t.spec : {} };
}

/** A Pod to create for `owner` from a template, named or generated. */
export function podFor(
  owner: Obj,
  template: { metadata: Obj; spec: Obj },
  naming: { name?: string; generateName?: string },
  labels: Record<string, string>,
): Obj {
  const annotations = isMap(template.metadata.annotations)
    ? { annotations: clone(template.metadata.annotations) }
    : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...naming, labels, ...annotations, ownerReferences: [controllerRef(owner)] },
    spec: clone(template.spec),
  };
}

/** Creates a controlled pod and records SuccessfulCreate (or FailedCreate); true when created. */
export function createPod(
  c: ControllerCtx,
  owner: Obj,
  pod: Obj,
  component: string,
  message: (name: string) => string,
): boolean {
  try {
    const created = createObject(c.api, podDef, metaOf(owner).namespace ?? '', pod);
    c.events.record({
      involved: owner,
      component,
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: message(metaOf(created).name ?? ''),
    });
    return true;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    c.events.record({
      involved: owner,
      component,
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: ${why}`,
    });
    return false;
  }
}

/** Deletes a controlled pod and records SuccessfulDelete. */
export function deletePod(c: ControllerCtx, owner: Obj, pod: Obj, component: string, message: string): void {
  try {
    deleteObject(c.api, podDef, metaOf(pod).namespace ?? '', metaOf(pod).name ?? '');
  } catch {
    return; // already gone
  }
  c.events.record({ involved: owner, component, type: 'Normal', reason: 'SuccessfulDelete', message });
}

/** The ReplicaSet controller's deletion order: not ready first, then the newest. */
export function deletionOrder(pods: Obj[]): Obj[] {
  const created = (p: Obj): string => metaOf(p).creationTimestamp ?? '';
  return [...pods].sort(
    (a, b) =>
      Number(podReady(a)) - Number(podReady(b)) ||
      (created(b) > created(a) ? 1 : created(b) < created(a) ? -1 : 0) ||
      ((metaOf(b).name ?? '') > (metaOf(a).name ?? '') ? 1 : -1),
  );
}

/** Ready and available counts, and in how long the next ready pod becomes available (minReadySeconds). */
export function availability(
  pods: Obj[],
  minReadySeconds: number,
  nowMs: number,
): { ready: number; available: number; recheckMs?: number } {
  let ready = 0;
  let available = 0;
  let recheckMs: number | undefined;
  for (const p of pods) {
    if (!podReady(p)) continue;
    ready++;
    const since = readySinceMs(p) ?? nowMs;
    const at = since + minReadySeconds * 1000;
    if (at <= nowMs) available++;
    else recheckMs = Math.min(recheckMs ?? Infinity, at - nowMs);
  }
  return { ready, available, recheckMs };
}

/** `{key: n}`, or nothing for 0 (Go's omitempty). */
export const omitZero = (key: string, n: number): Obj => (n === 0 ? {} : { [key]: n });

/** Kind-specific parts of the generic replica sync. */
interface ReplicaKind {
  component: string;
  selects(owner: Obj, labels: Record<string, string>): boolean;
  template(owner: Obj): { metadata: Obj; spec: Obj };
  status(owner: Obj, counts: { replicas: number; labeled: number; ready: number; available: number }): Obj;
}

function syncReplicaPods(
  c: ControllerCtx,
  def: ResourceDef,
  owner: Obj,
  kind: ReplicaKind,
): number | undefined {
  const meta = metaOf(owner);
  let pods = c.index.owned(podKey, meta.namespace ?? '', meta.uid);
  const want = typeof spec(owner).replicas === 'number' ? (spec(owner).replicas as number) : 1;
  const template = kind.template(owner);
  if (pods.length < want) {
    const labels = { ...((template.metadata.labels as Record<string, string> | undefined) ?? {}) };
    for (let i = pods.length; i < Math.min(want, pods.length + BURST_REPLICAS); i++)
      createPod(
        c,
        owner,
        podFor(owner, template, { generateName: `${meta.name}-` }, labels),
        kind.component,
        (n) => `Created pod: ${n}`,
      );
  } else if (pods.length > want) {
    for (const p of deletionOrder(pods).slice(0, Math.min(pods.length - want, BURST_REPLICAS)))
      deletePod(c, owner, p, kind.component, `Deleted pod: ${metaOf(p).name}`);
  }
  pods = c.index.owned(podKey, meta.namespace ?? '', meta.uid);
  const counts = availability(pods, Number(spec(owner).minReadySeconds ?? 0), c.api.env.nowMs());
  const labeled = pods.filter((p) => kind.selects(owner, metaOf(p).labels ?? {})).length;
  const current = c.api.store.get(resourceKey(def), meta.namespace ?? '', meta.name ?? '') ?? owner;
  const status = kind.status(current, {
    replicas: pods.length,
    labeled,
    ready: counts.ready,
    available: counts.available,
  });
  writeIfChanged(c.api, def, current, withStatus(current, status));
  return counts.recheckMs;
}

function mapSelects(owner: Obj, labels: Record<string, string>): boolean {
  const sel = isMap(spec(owner).selector) ? (spec(owner).selector as Obj) : {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

const replicaSetKind: ReplicaKind = {
  component: 'replicaset-controller',
  selects: (o, labels) => matches(selectorOf(spec(o).selector), labels),
  template: templateOf,
  status: (o, n) => ({
    replicas: n.replicas,
    ...omitZero('fullyLabeledReplicas', n.labeled),
    ...omitZero('readyReplicas', n.ready),
    ...omitZero('availableReplicas', n.available),
    terminatingReplicas: 0,
    observedGeneration: metaOf(o).generation,
  }),
};

const replicationControllerKind: ReplicaKind = {
  ...replicaSetKind,
  component: 'replication-controller',
  selects: mapSelects,
  status: (o, n) => ({
    replicas: n.replicas,
    ...omitZero('fullyLabeledReplicas', n.labeled),
    ...omitZero('readyReplicas', n.ready),
    ...omitZero('availableReplicas', n.available),
    observedGeneration: metaOf(o).generation,
  }),
};

const WIDGET_LABEL = 'widget';
const widgetKind: ReplicaKind = {
  component: 'widget-controller',
  selects: (o, labels) => labels[WIDGET_LABEL] === metaOf(o).name,
  template: (o) => ({
    metadata: { labels: { [WIDGET_LABEL]: metaOf(o).name ?? '' } },
    spec: { containers: [{ name: 'widget', image: 'registry.k8s.io/pause:3.10' }] },
  }),
  status: (o, n) => ({
    replicas: n.replicas,
    ...omitZero('readyReplicas', n.ready),
    selector: `${WIDGET_LABEL}=${metaOf(o).name}`,
  }),
};

/** Reconciles a ReplicaSet; returns a delay after which to look again (minReadySeconds), if any. */
export function syncReplicaSet(c: ControllerCtx, rs: Obj): number | undefined {
  return syncReplicaPods(c, findKind('apps/v1', 'ReplicaSet')!, rs, replicaSetKind);
}

/** Reconciles a ReplicationController. */
export function syncReplicationController(c: ControllerCtx, rc: Obj): number | undefined {
  return syncReplicaPods(c, findKind('v1', 'ReplicationController')!, rc, replicationControllerKind);
}

/** Reconciles a Widget (the example CRD): pods labelled `widget=<name>`, status.replicas and status.selector. */
export function syncWidget(c: ControllerCtx, widget: Obj): number | undefined {
  return syncReplicaPods(c, findKind(`${WIDGET.group}/${WIDGET.version}`, WIDGET.kind)!, widget, widgetKind);
}
