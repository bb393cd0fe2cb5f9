// A Kubernetes metric of one cycle in a few numbers, for people: what `-v 2` logs and what `run` records
// on the target for `kubectl cpa status` (detail and -o json). Values stay CPA's milli-units; the text puts
// cores and MiB beside them.
import type { K8sMetric, PodsBased, ValueBased } from './model.ts';

/** One gathered metric, summarised (field names are part of `status -o json`). */
export interface K8sMetricSummary {
  /** What is measured: `resource cpu (Utilization)`, `pods rps`, `external queue (AverageValue)`. */
  metric: string;
  /** Resource metrics: `cpu`, `memory` (decides the human unit). */
  resource?: string;
  readyPods?: number;
  totalPods?: number;
  /** Resource and Pods metrics: the average of the samples, milli-units. */
  averageMilli?: number;
  /** Resource Utilization: usage over the requests of the pods with samples, percent. */
  utilizationPercent?: number;
  /** Object and External metrics: `value`, or `average_value` (the total CPA leaves to divide). */
  valueMilli?: number;
  averageValueMilli?: number;
}

const MIB_MILLI = 1024 * 1024 * 1000;
const trim = (fixed: string): string => fixed.replace(/\.?0+$/, '') || '0';

/** `0.25 cores (250m)`, `64.0 MiB (67108864000m)`, or the plain value for other units. */
export function humanValue(resource: string, milli: number): string {
  if (resource === 'cpu') return `${trim((milli / 1000).toFixed(3))} cores (${milli}m)`;
  if (resource === 'memory') return `${(milli / MIB_MILLI).toFixed(1)} MiB (${milli}m)`;
  return `${trim((milli / 1000).toFixed(3))} (${milli}m)`;
}

function metricLabel(m: K8sMetric): string {
  const s = m.spec;
  if (s.resource) return `resource ${s.resource.name} (${s.resource.target.type})`;
  if (s.pods) return `pods ${s.pods.metric.name}`;
  if (s.object) {
    const d = s.object.describedObject;
    return `object ${d.kind}/${d.name} ${s.object.metric.name} (${s.object.target.type})`;
  }
  if (s.external) return `external ${s.external.metric.name} (${s.external.target.type})`;
  return s.type;
}

function podsBased(out: K8sMetricSummary, m: PodsBased): void {
  const samples = [...(m.podMetricsInfo ?? new Map()).entries()];
  const total = samples.reduce((sum, [, s]) => sum + s.value, 0);
  out.readyPods = m.readyPodCount;
  out.totalPods = m.totalPods;
  out.averageMilli = samples.length === 0 ? 0 : Math.round(total / samples.length);
  if (m.requests) {
    // As the HPA: only pods with both a sample and a request count.
    const requested = samples.reduce((sum, [pod]) => sum + (m.requests?.get(pod) ?? 0), 0);
    if (requested > 0) out.utilizationPercent = Math.floor((total * 100) / requested);
  }
}

function valueBased(out: K8sMetricSummary, m: ValueBased): void {
  if (m.current.value !== undefined) out.valueMilli = m.current.value;
  if (m.current.averageValue !== undefined) out.averageValueMilli = m.current.averageValue;
  if (m.readyPodCount !== undefined) out.readyPods = m.readyPodCount;
}

/** The summary of one gathered metric. */
export function summarize(m: K8sMetric): K8sMetricSummary {
  const out: K8sMetricSummary = { metric: metricLabel(m) };
  if (m.spec.resource) out.resource = m.spec.resource.name;
  if (m.resource) podsBased(out, m.resource);
  else if (m.pods) podsBased(out, m.pods);
  else if (m.object) valueBased(out, m.object);
  else if (m.external) valueBased(out, m.external);
  return out;
}

/** One line: `resource cpu (Utilization): 2/3 pods ready, average 0.25 cores (250m), 125% of requests`. */
export function describeSummary(s: K8sMetricSummary): string {
  const unit = s.resource ?? '';
  const parts: string[] = [];
  if (s.readyPods !== undefined)
    parts.push(
      s.totalPods === undefined ? `${s.readyPods} pods ready` : `${s.readyPods}/${s.totalPods} pods ready`,
    );
  if (s.averageMilli !== undefined) parts.push(`average ${humanValue(unit, s.averageMilli)}`);
  if (s.utilizationPercent !== undefined) parts.push(`${s.utilizationPercent}% of requests`);
  if (s.valueMilli !== undefined) parts.push(`value ${humanValue(unit, s.valueMilli)}`);
  if (s.averageValueMilli !== undefined)
    parts.push(`total ${humanValue(unit, s.averageValueMilli)} (divide by replicas)`);
  return `${s.metric}: ${parts.length === 0 ? 'no data' : parts.join(', ')}`;
}

/** Rows for `kubectl cpa status NAME`: none when the autoscaler gathers no Kubernetes metrics. */
export function kubernetesMetricRows(summaries: readonly K8sMetricSummary[] | undefined): [string, string][] {
  if (summaries === undefined) return [];
  if (summaries.length === 0) return [['Kubernetes metrics', '<none gathered>']];
  if (summaries.length === 1) return [['Kubernetes metrics', describeSummary(summaries[0]!)]];
  return summaries.map((s, i) => [`Kubernetes metric ${i + 1}`, describeSummary(s)]);
}

const NUMBER_FIELDS = [
  'readyPods',
  'totalPods',
  'averageMilli',
  'utilizationPercent',
  'valueMilli',
  'averageValueMilli',
] as const;

/** Reads recorded summaries back (status); undefined when absent or malformed, never throws. */
export function readSummaries(value: unknown): K8sMetricSummary[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: K8sMetricSummary[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { metric?: unknown }).metric !== 'string')
      return undefined;
    const r = raw as Record<string, unknown>;
    const s: K8sMetricSummary = { metric: String(r.metric) };
    if (typeof r.resource === 'string') s.resource = r.resource;
    for (const key of NUMBER_FIELDS) {
      const v = r[key];
      if (typeof v === 'number' && Number.isFinite(v)) s[key] = v;
    }
    out.push(s);
  }
  return out;
}
