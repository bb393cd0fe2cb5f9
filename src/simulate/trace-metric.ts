// The metric stage of a backtest answers from the trace. The configuration's metric method is swapped for an
// `http` method at a reserved address, and the HttpRequester the hooks use answers that address from the
// sample in force; every other request (an http evaluate hook) goes out as usual. So the pipeline, its
// payloads and its per-pod fan-out run unchanged: only where the metric's text comes from differs.
import type { Method } from '../config/types.ts';
import type { HttpOutcome, HttpRequester, HttpRequestSpec } from '../ports.ts';
import type { TraceSample } from './trace.ts';

/** The reserved address (`.invalid` never resolves, so nothing can ever be sent there by mistake). */
export const TRACE_METRIC_URL = 'http://trace.kubectl-cpa.invalid/metric';

/** The metric method that reads the trace, in place of the configured one. */
export function traceMetricMethod(): Method {
  return {
    type: 'http',
    timeoutMs: 1000,
    http: { method: 'POST', url: TRACE_METRIC_URL, headers: {}, successCodes: [200], parameterMode: 'body' },
  };
}

/** Which resource a metric payload is about: `{resource: …}` (v2) or the resource itself (seed format). */
export function resourceNameOf(payload: string): string {
  try {
    const doc = JSON.parse(payload) as {
      resource?: { metadata?: { name?: string } };
      metadata?: { name?: string };
    };
    return doc.resource?.metadata?.name ?? doc.metadata?.name ?? '';
  } catch {
    return '';
  }
}

/**
 * The metric text of `sample` for one resource of `podCount`: with as many simulated pods as recorded ones,
 * each pod gets its recorded value. With a different count, numeric values are spread evenly so their total
 * stays (load behind a Service is shared by whatever pods there are; handing the recorded values out again
 * would make more pods mean more load); other values repeat in order. Without per-pod values: the value.
 */
export function metricText(sample: TraceSample, podIndex: number, podCount: number): string {
  const pods = sample.pods;
  if (pods === undefined || podIndex < 0) return sample.value ?? pods?.join(';') ?? '';
  if (pods.length === podCount) return pods[podIndex] ?? '';
  const numbers = pods.map(Number);
  if (podCount > 0 && numbers.every((n) => Number.isFinite(n)))
    return String(numbers.reduce((a, b) => a + b, 0) / podCount);
  return pods[podIndex % pods.length] ?? '';
}

/** Answers the trace address from `current()`; passes everything else to `next`. */
export function traceRequester(
  next: HttpRequester,
  current: () => TraceSample,
  pods: { index(name: string): number; count(): number },
): HttpRequester {
  return (spec: HttpRequestSpec): Promise<HttpOutcome> => {
    if (spec.url !== TRACE_METRIC_URL) return next(spec);
    const sample = current();
    // Only per-pod values depend on which resource asks; reading the payload is not free at 5,760 cycles.
    const index = sample.pods === undefined ? -1 : pods.index(resourceNameOf(spec.body ?? ''));
    const text = metricText(sample, index, pods.count());
    return Promise.resolve({ kind: 'response', status: 200, body: Buffer.from(text), durationMs: 0 });
  };
}
