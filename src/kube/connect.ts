// Connecting to a real cluster: kubeconfig resolution and the HTTPS transport. Kept apart from client.ts
// because it loads @kubernetes/client-node, which commands that never talk to a cluster should not pay for.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeClientOver, type CpaKubeClient } from './client.ts';
import { loadKubeconfig, type KubeconfigSources } from './kubeconfig.ts';
import { createTransport } from './request.ts';
import { createStreamer } from './stream.ts';
import type { KubeOptions } from './types.ts';

/** A KubeClient for the current context of `kc`. */
export function createKubeClient(kc: KubeConfig, options: { timeoutMs?: number } = {}): CpaKubeClient {
  const transport = createTransport(kc, options);
  return { ...kubeClientOver(transport.request, transport.close), stream: createStreamer(kc) };
}

/** Deps.connectKube: picks the cluster like kubectl (flags, KUBECONFIG, ~/.kube/config, in-cluster). */
export async function connectKube(
  options: KubeOptions,
  env: KubeconfigSources['env'],
  homeDir: string | undefined,
): Promise<{ client: CpaKubeClient; context: string; namespace: string; server: string }> {
  const loaded = await loadKubeconfig(options, { env, homeDir });
  return {
    client: createKubeClient(loaded.kc),
    context: loaded.context,
    namespace: loaded.namespace,
    server: loaded.server,
  };
}
