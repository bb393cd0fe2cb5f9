// Connecting to a real cluster: kubeconfig resolution and the HTTPS transport. The entry of the kube chunk
// (scripts/build.mjs), because it loads @kubernetes/client-node, which commands that never talk to a cluster
// should not pay for.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeClientOver } from '../kube/client.ts';
import type { KubeconfigSources } from '../kube/kubeconfig.ts';
import type { CpaKubeClient, Files, KubeConnection, KubeOptions } from '../ports.ts';
import { realFiles } from './files.ts';
import { loadKubeconfig } from './kubeconfig-loader.ts';
import { createTransport } from './kube-request.ts';
import { createStreamer } from './kube-stream.ts';

/** A KubeClient for the current context of `kc`. */
export function createKubeClient(kc: KubeConfig, options: { timeoutMs?: number } = {}): CpaKubeClient {
  const transport = createTransport(kc, options);
  return { ...kubeClientOver(transport.request, transport.close), stream: createStreamer(kc) };
}

/**
 * Deps.connectKube: picks the cluster like kubectl (flags, KUBECONFIG, ~/.kube/config, in-cluster), reading
 * the kubeconfig files through `files`.
 */
export async function connectKube(
  options: KubeOptions,
  env: KubeconfigSources['env'],
  homeDir: string | undefined,
  files: Files = realFiles,
): Promise<KubeConnection> {
  const loaded = await loadKubeconfig(options, { env, homeDir, files });
  return {
    client: createKubeClient(loaded.kc, { timeoutMs: options.requestTimeoutMs }),
    context: loaded.context,
    namespace: loaded.namespace,
    server: loaded.server,
  };
}
