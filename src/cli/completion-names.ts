// Names completion reads from the cluster: autoscalers (as `status` finds them) and namespaces. Completion
// must never print an error into the shell, so any failure is no names.
import { summarizeCpaLog } from '../logs/summary.ts';
import type { Deps, KubeObject } from '../ports.ts';
import { collect, listAll } from '../status/collect.ts';
import { buildItems } from '../status/items.ts';
import type { ClusterQuery } from './complete-words.ts';
import { kubeOptions } from './kube-flags.ts';

/** Autoscaler or namespace names for `query`; [] when the cluster cannot be read. */
export async function clusterNames(deps: Deps, query: ClusterQuery): Promise<string[]> {
  try {
    const kube = await deps.connectKube(kubeOptions(query.kube));
    try {
      if (query.what === 'namespaces') {
        const spec = {
          apiVersion: 'v1',
          kind: 'Namespace',
          group: '',
          resource: 'namespaces',
          namespace: null,
        };
        return (await listAll(kube.client.request, spec)).map((n: KubeObject) => n.metadata?.name ?? '');
      }
      const namespace = query.allNamespaces ? null : (query.kube.namespace ?? kube.namespace);
      // Pod logs are not read: a name needs only the lists.
      const collected = await collect(kube.client, { namespace }, async () => '');
      return buildItems(collected, deps.clock.nowMs(), summarizeCpaLog).map((i) => i.name);
    } finally {
      kube.client.close();
    }
  } catch {
    return [];
  }
}
