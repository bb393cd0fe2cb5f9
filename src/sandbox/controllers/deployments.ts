// The Deployment controller: one ReplicaSet per pod template (`<deploy>-<pod-template-hash>`), scaled to
// spec.replicas, older ReplicaSets scaled to 0 at once (the rollout does not wait for availability — a
// documented simplification), revisions and history limit kept, and the Deployment's status and conditions
// computed from its ReplicaSets like the real controller's.
import type { ControllerCtx } from './replicas.ts';
import { controllerRef, templateHash, withStatus, writeIfChanged } from './owners.ts';
import { findKind, resourceKey } from '../store/registry.ts';
import { clone, isMap, metaOf, type Obj } from '../wire/json.ts';
import { timestamp } from '../store/objects.ts';
import { createObject, deleteObject } from '../store/writes.ts';

const deployDef = findKind('apps/v1', 'Deployment')!;
const rsDef = findKind('apps/v1', 'ReplicaSet')!;
const REVISION = 'deployment.kubernetes.io/revision';

const spec = (o: Obj): Obj => (isMap(o.spec) ? o.spec : {});
const status = (o: Obj): Obj => (isMap(o.status) ? o.status : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const revisionOf = (rs: Obj): number => Number(metaOf(rs).annotations?.[REVISION] ?? 0);

/** An int-or-percent (`25%`, `1`) against `total`, rounded up (surge) or down (unavailable). */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (m === null) return 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function rollingParams(d: Obj, replicas: number): { surge: number; unavailable: number } {
  const strategy = isMap(spec(d).strategy) ? (spec(d).strategy as Obj) : {};
  const rolling = isMap(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  if (strategy.type === 'Recreate') return { surge: 0, unavailable: replicas };
  return {
    surge: resolveIntOrPercent(rolling.maxSurge, replicas, true),
    unavailable: resolveIntOrPercent(rolling.maxUnavailable, replicas, false),
  };
}

function rsAnnotations(replicas: number, surge: number, revision: number): Record<string, string> {
  return {
    'deployment.kubernetes.io/desired-replicas': String(replicas),
    'deployment.kubernetes.io/max-replicas': String(replicas + surge),
    [REVISION]: String(revision),
  };
}

function scaleEvent(c: ControllerCtx, d: Obj, rs: string, from: number, to: number): void {
  const verb = to > from ? 'up' : 'down';
  c.events.record({
    involved: d,
    component: 'deployment-controller',
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled ${verb} replica set ${rs} from ${from} to ${to}`,
  });
}

function newReplicaSet(
  d: Obj,
  name: string,
  hash: string,
  replicas: number,
  annotations: Record<string, string>,
): Obj {
  const template = clone(isMap(spec(d).template) ? (spec(d).template as Obj) : {});
  const tmeta = isMap(template.metadata) ? template.metadata : {};
  const labels = {
    ...((tmeta.labels as Record<string, string> | undefined) ?? {}),
    'pod-template-hash': hash,
  };
  const selector = clone(isMap(spec(d).selector) ? (spec(d).selector as Obj) : {});
  selector.matchLabels = {
    ...((selector.matchLabels as Record<string, string> | undefined) ?? {}),
    'pod-template-hash': hash,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, labels, annotations, ownerReferences: [controllerRef(d)] },
    spec: {
      replicas,
      ...(spec(d).minReadySeconds ? { minReadySeconds: spec(d).minReadySeconds } : {}),
      selector,
      template: { ...template, metadata: { ...tmeta, labels } },
    },
  };
}

/** Sets spec.replicas (and the replica annotations) of a ReplicaSet, bumping its generation. */
function resize(c: ControllerCtx, rs: Obj, replicas: number, annotations: Record<string, string>): void {
  const meta = metaOf(rs);
  const next = {
    ...rs,
    metadata: {
      ...meta,
      generation: (meta.generation ?? 1) + 1,
      annotations: { ...meta.annotations, ...annotations },
    },
    spec: { ...spec(rs), replicas },
  };
  c.api.store.put(resourceKey(rsDef), next);
}

/** Reconciles a Deployment; returns nothing to recheck (its ReplicaSets' changes wake it up). */
export function syncDeployment(c: ControllerCtx, d: Obj): undefined {
  const meta = metaOf(d);
  const ns = meta.namespace ?? '';
  const want = num(spec(d).replicas);
  const { surge, unavailable } = rollingParams(d, want);
  const hash = templateHash(spec(d).template);
  const rsName = `${meta.name}-${hash}`;
  const owned = c.index.owned(resourceKey(rsDef), ns, meta.uid);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  let current = owned.find((rs) => metaOf(rs).name === rsName);
  let created = false;
  if (current === undefined) {
    try {
      current = createObject(
        c.api,
        rsDef,
        ns,
        newReplicaSet(d, rsName, hash, want, rsAnnotations(want, surge, maxRevision + 1)),
      );
      created = true;
      scaleEvent(c, d, rsName, 0, want);
    } catch {
      return undefined; // a name collision with a foreign ReplicaSet; nothing sensible to do
    }
  } else {
    const revision = revisionOf(current) < maxRevision ? maxRevision + 1 : revisionOf(current);
    const from = num(spec(current).replicas);
    if (from !== want || revision !== revisionOf(current))
      resize(c, current, want, rsAnnotations(want, surge, revision));
    if (from !== want) scaleEvent(c, d, rsName, from, want);
  }
  for (const old of owned.filter((rs) => metaOf(rs).name !== rsName && num(spec(rs).replicas) > 0)) {
    scaleEvent(c, d, metaOf(old).name ?? '', num(spec(old).replicas), 0);
    resize(c, old, 0, {});
  }
  pruneHistory(c, d, rsName);
  writeDeploymentStatus(c, d, rsName, created, unavailable);
  return undefined;
}

/** Deletes scaled-down old ReplicaSets beyond revisionHistoryLimit, oldest revision first. */
function pruneHistory(c: ControllerCtx, d: Obj, keep: string): void {
  const meta = metaOf(d);
  const limit =
    typeof spec(d).revisionHistoryLimit === 'number' ? (spec(d).revisionHistoryLimit as number) : 10;
  const old = c.index
    .owned(resourceKey(rsDef), meta.namespace ?? '', meta.uid)
    .filter(
      (rs) => metaOf(rs).name !== keep && num(spec(rs).replicas) === 0 && num(status(rs).replicas) === 0,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of old.slice(0, Math.max(0, old.length - limit)))
    deleteObject(c.api, rsDef, meta.namespace ?? '', metaOf(rs).name ?? '');
}

function condition(type: string, ok: boolean, reason: string, message: string, now: string): Obj {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastUpdateTime: now,
    lastTransitionTime: now,
    reason,
    message,
  };
}

/** Replica counts of a Deployment's ReplicaSets; `updated` and `newAvailable` are those of the current one. */
interface Counts {
  replicas: number;
  ready: number;
  available: number;
  updated: number;
  newAvailable: number;
}

/** The Available and Progressing conditions, worded like the deployment controller's. */
function conditions(
  counts: Counts,
  want: number,
  maxUnavailable: number,
  rsName: string,
  created: boolean,
  now: string,
): Obj[] {
  const complete = counts.updated === want && counts.replicas === want && counts.newAvailable === want;
  const [reason, message] = created
    ? ['NewReplicaSetCreated', `Created new replica set "${rsName}"`]
    : complete
      ? ['NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`]
      : ['ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`];
  const available =
    counts.available >= want - maxUnavailable
      ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
      : condition(
          'Available',
          false,
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        );
  return [available, condition('Progressing', true, reason, message, now)];
}

function writeDeploymentStatus(
  c: ControllerCtx,
  d: Obj,
  rsName: string,
  created: boolean,
  maxUnavailable: number,
): void {
  const meta = metaOf(d);
  const ns = meta.namespace ?? '';
  const current = c.api.store.get(resourceKey(deployDef), ns, meta.name ?? '') ?? d;
  const all = c.index.owned(resourceKey(rsDef), ns, meta.uid);
  const sum = (key: string): number => all.reduce((n, rs) => n + num(status(rs)[key]), 0);
  const newRs = all.find((rs) => metaOf(rs).name === rsName);
  const counts: Counts = {
    replicas: sum('replicas'),
    ready: sum('readyReplicas'),
    available: sum('availableReplicas'),
    updated: newRs === undefined ? 0 : num(status(newRs).replicas),
    newAvailable: newRs === undefined ? -1 : num(status(newRs).availableReplicas),
  };
  const want = num(spec(current).replicas);
  const omit = (key: string, n: number): Obj => (n <= 0 ? {} : { [key]: n });
  const next: Obj = {
    observedGeneration: metaOf(current).generation,
    ...omit('replicas', counts.replicas),
    ...omit('updatedReplicas', counts.updated),
    ...omit('readyReplicas', counts.ready),
    ...omit('availableReplicas', counts.available),
    ...omit('unavailableReplicas', want - counts.available),
    terminatingReplicas: 0,
    conditions: conditions(counts, want, maxUnavailable, rsName, created, timestamp(c.api.env.nowMs())),
  };
  const revision = newRs === undefined ? undefined : metaOf(newRs).annotations?.[REVISION];
  const cmeta = metaOf(current);
  const annotated =
    revision === undefined
      ? current
      : { ...current, metadata: { ...cmeta, annotations: { ...cmeta.annotations, [REVISION]: revision } } };
  writeIfChanged(c.api, deployDef, current, withStatus(annotated, next));
}
