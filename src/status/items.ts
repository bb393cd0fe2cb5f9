// From what was read to the list `status` prints: one item per autoscaler, sorted, filtered by NAME.
import type { LogSummary } from '../logs/summary.ts';
import type { KubeObject } from '../ports.ts';
import { keyOf, type Collected } from './collect.ts';
import { fromCpa } from './model-cpa.ts';
import { fromAnnotated, type AutoscalerStatus } from './model.ts';

/**
 * The Deployment controller copies a Deployment's annotations onto its ReplicaSets, so a ReplicaSet
 * controlled by a Deployment carries a copy of the record, not a record of its own.
 */
export function isCopiedRecord(workload: KubeObject): boolean {
  if (workload.kind !== 'ReplicaSet') return false;
  const owners = (workload.metadata?.ownerReferences ?? []) as { kind?: string; controller?: boolean }[];
  return owners.some((o) => o.kind === 'Deployment' && o.controller === true);
}

/** Every item, sorted by namespace, then name, then target. */
export function buildItems(
  collected: Collected,
  nowMs: number,
  summarize: (text: string) => LogSummary,
): AutoscalerStatus[] {
  const items: AutoscalerStatus[] = [];
  for (const workload of collected.workloads) {
    if (isCopiedRecord(workload)) continue;
    const item = fromAnnotated(workload, nowMs);
    if (item !== null) items.push(item);
  }
  for (const cpa of collected.cpas) {
    const key = keyOf(cpa);
    const log = collected.logs.get(key);
    items.push(
      fromCpa(
        {
          cpa,
          pods: collected.podsOf.get(key) ?? [],
          ...(log === undefined ? {} : { log }),
          currentReplicas: collected.replicasOf.get(key) ?? null,
          summarize,
        },
        nowMs,
      ),
    );
  }
  const order = (i: AutoscalerStatus) =>
    `${i.namespace}\u0000${i.name}\u0000${i.target.kind}/${i.target.name}`;
  return items.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** `status NAME`: the autoscaler's own name, or its target's name. */
export function matchName(items: readonly AutoscalerStatus[], name: string | undefined): AutoscalerStatus[] {
  if (name === undefined) return [...items];
  return items.filter((i) => i.name === name || i.target.name === name);
}
