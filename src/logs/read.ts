// One pod log as text, for callers that summarize it (`kubectl cpa status` → summarizeCpaLog).
import type { KubeStreamer } from '../ports.ts';

/** Reads a pod's log with kubelet timestamps (what summarizeCpaLog wants). Throws KubeError. */
export async function readPodLog(
  stream: KubeStreamer,
  pod: { namespace: string; name: string; container?: string },
  options: { tailLines?: number; sinceSeconds?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const query: Record<string, string> = { timestamps: 'true' };
  if (pod.container !== undefined && pod.container !== '') query.container = pod.container;
  if (options.tailLines !== undefined) query.tailLines = String(options.tailLines);
  if (options.sinceSeconds !== undefined) query.sinceSeconds = String(options.sinceSeconds);
  const { namespace, name } = pod;
  const chunks = await stream({
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log`,
    query,
    signal: options.signal,
    call: { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace, name },
  });
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
