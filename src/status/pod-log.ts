// The tail of an autoscaler pod's log, read through the API server (`pods/log`, with kubelet timestamps so
// that Go CPA's year-less glog times become absolute).
import { CpaError } from '../errors.ts';
import type { KubeRequester, KubeResponse } from '../ports.ts';
import type { ReadPodLog } from './collect.ts';

/** Lines read from the end of each log; enough for several cycles at logVerbosity 3. */
export const DEFAULT_LOG_LINES = 500;

/** The raw text of an answer: `text` when the transport keeps it, else a body that is a string. */
export function responseText(res: KubeResponse): string | null {
  const raw = (res as KubeResponse & { text?: unknown }).text;
  if (typeof raw === 'string') return raw;
  return typeof res.body === 'string' ? res.body : null;
}

/** A ReadPodLog over the JSON requester. */
export function podLogReader(request: KubeRequester, tailLines: number): ReadPodLog {
  return async (namespace, pod, container) => {
    const query: Record<string, string> = { timestamps: 'true', tailLines: String(tailLines) };
    if (container !== undefined) query.container = container;
    const res = await request({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query,
      call: { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace, name: pod },
    });
    const text = responseText(res);
    if (text !== null) return text;
    // A log that is one JSON document was parsed by the transport; its lines are recoverable.
    if (res.body !== null) return JSON.stringify(res.body);
    throw new CpaError('the pod log answer carried no readable text (empty, or not kept by the API client)');
  };
}
