// The StatefulSet controller: pods `<sts>-<ordinal>` with stable hostnames, created in order and each only
// once the previous one is Ready (OrderedReady) or all at once (Parallel), removed from the highest ordinal
// down, one at a time unless Parallel.
import { podReady, templateHash, withStatus, writeIfChanged } from './owners.ts';
import { findKind, resourceKey } from '../store/registry.ts';
import {
  availability,
  BURST_REPLICAS,
  createPod,
  deletePod,
  omitZero,
  podFor,
  podKey,
  spec,
  templateOf,
  type ControllerCtx,
} from './replicas.ts';
import { metaOf, type Obj } from '../wire/json.ts';

const stsDef = findKind('apps/v1', 'StatefulSet')!;
const COMPONENT = 'statefulset-controller';

/** The pod for ordinal `i`: template labels plus the StatefulSet's identity labels, hostname and subdomain. */
function ordinalPod(sts: Obj, i: number, revision: string): Obj {
  const name = `${metaOf(sts).name}-${i}`;
  const template = templateOf(sts);
  const labels = {
    ...((template.metadata.labels as Record<string, string> | undefined) ?? {}),
    'apps.kubernetes.io/pod-index': String(i),
    'controller-revision-hash': revision,
    'statefulset.kubernetes.io/pod-name': name,
  };
  const pod = podFor(sts, template, { name }, labels);
  const service = spec(sts).serviceName;
  pod.spec = {
    ...(pod.spec as Obj),
    hostname: name,
    ...(typeof service === 'string' && service !== '' ? { subdomain: service } : {}),
  };
  return pod;
}

/** Creates missing ordinals below `want`: in order, stopping at a pod not Ready yet unless `parallel`. */
function scaleUp(
  c: ControllerCtx,
  sts: Obj,
  pods: Map<number, Obj>,
  want: number,
  parallel: boolean,
  revision: string,
): void {
  const name = metaOf(sts).name ?? '';
  let created = 0;
  for (let i = 0; i < want && created < BURST_REPLICAS; i++) {
    const existing = pods.get(i);
    if (existing !== undefined) {
      if (!parallel && !podReady(existing)) return;
      continue;
    }
    created++;
    createPod(
      c,
      sts,
      ordinalPod(sts, i, revision),
      COMPONENT,
      () => `create Pod ${name}-${i} in StatefulSet ${name} successful`,
    );
    if (!parallel) return;
  }
}

/** Reconciles a StatefulSet; returns when to look again (minReadySeconds), if ever. */
export function syncStatefulSet(c: ControllerCtx, sts: Obj): number | undefined {
  const meta = metaOf(sts);
  const name = meta.name ?? '';
  const ns = meta.namespace ?? '';
  const want = typeof spec(sts).replicas === 'number' ? (spec(sts).replicas as number) : 1;
  const parallel = spec(sts).podManagementPolicy === 'Parallel';
  const revision = `${name}-${templateHash(templateOf(sts))}`;
  const ordinal = (p: Obj): number => Number((metaOf(p).name ?? '').slice(name.length + 1));
  const byOrdinal = new Map(c.index.owned(podKey, ns, meta.uid).map((p) => [ordinal(p), p]));
  const extra = [...byOrdinal.keys()].filter((i) => i >= want).sort((a, b) => b - a);
  for (const i of parallel ? extra : extra.slice(0, 1))
    deletePod(
      c,
      sts,
      byOrdinal.get(i)!,
      COMPONENT,
      `delete Pod ${name}-${i} in StatefulSet ${name} successful`,
    );
  if (extra.length === 0) scaleUp(c, sts, byOrdinal, want, parallel, revision);
  const pods = c.index.owned(podKey, ns, meta.uid);
  const counts = availability(pods, Number(spec(sts).minReadySeconds ?? 0), c.api.env.nowMs());
  const current = c.api.store.get(resourceKey(stsDef), ns, name) ?? sts;
  const status: Obj = {
    observedGeneration: metaOf(current).generation,
    replicas: pods.length,
    ...omitZero('readyReplicas', counts.ready),
    ...omitZero('currentReplicas', pods.length),
    ...omitZero('updatedReplicas', pods.length),
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
    availableReplicas: counts.available,
  };
  writeIfChanged(c.api, stsDef, current, withStatus(current, status));
  return counts.recheckMs;
}
