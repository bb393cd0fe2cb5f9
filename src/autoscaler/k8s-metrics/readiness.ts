// Which pods count (k8shorizmetrics' GroupPods, itself the HPA's): pending pods are ignored, pods without
// a sample are missing, and for CPU only a pod past its start-up noise counts as ready. The clock is
// passed in so that the rules can be table-tested.
import type { KubeObject } from '../../ports.ts';
import type { PodSample } from './model.ts';
import { parseTime, timeMs } from './go-time.ts';

/** The grouping of one gathering. */
export interface PodGroups {
  readyPodCount: number;
  ignored: Set<string>;
  missing: Set<string>;
}

/** Options of the CPU rule, in milliseconds (CPA's cpuInitializationPeriod / initialReadinessDelay). */
export interface ReadinessRules {
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
  nowMs: number;
}

interface PodView {
  name: string;
  deleting: boolean;
  phase: string;
  startMs?: number;
  ready?: { status: string; lastTransitionMs: number };
}

function msOf(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return timeMs(parseTime(text));
  } catch {
    return undefined;
  }
}

/** The fields of a pod the rules read. */
export function podView(pod: KubeObject): PodView {
  const meta = pod.metadata ?? {};
  const status = (pod.status ?? {}) as { phase?: unknown; startTime?: unknown; conditions?: unknown };
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const view: PodView = {
    name: typeof meta.name === 'string' ? meta.name : '',
    deleting: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    phase: typeof status.phase === 'string' ? status.phase : '',
  };
  const startMs = msOf(status.startTime);
  if (startMs !== undefined) view.startMs = startMs;
  if (ready !== undefined) {
    // A condition without a transition time decodes to Go's zero time, long before any start time.
    view.ready = {
      status: String(ready.status ?? ''),
      lastTransitionMs: msOf(ready.lastTransitionTime) ?? -62135596800000,
    };
  }
  return view;
}

/** True when a CPU sample of this pod should not be trusted yet (start-up spike or not ready). */
function cpuIgnored(pod: PodView, sample: PodSample, rules: ReadinessRules, sampleMs: number): boolean {
  if (pod.ready === undefined || pod.startMs === undefined) return true;
  const { status, lastTransitionMs } = pod.ready;
  if (pod.startMs + rules.cpuInitializationPeriodMs > rules.nowMs) {
    return status === 'False' || sampleMs < lastTransitionMs + sample.windowNs / 1e6;
  }
  return status === 'False' && pod.startMs + rules.initialReadinessDelayMs > lastTransitionMs;
}

/**
 * Groups pods for a Resource (`resource` = its name) or Pods metric (`resource` = ''): deleted and failed
 * pods are skipped, pending ones ignored, pods without a sample missing; the CPU rule applies to `cpu` only.
 */
export function groupPods(
  pods: readonly KubeObject[],
  samples: ReadonlyMap<string, PodSample>,
  resource: string,
  rules: ReadinessRules,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, ignored: new Set(), missing: new Set() };
  for (const pod of pods.map(podView)) {
    if (pod.deleting || pod.phase === 'Failed') continue;
    if (pod.phase === 'Pending') {
      groups.ignored.add(pod.name);
      continue;
    }
    const sample = samples.get(pod.name);
    if (sample === undefined) {
      groups.missing.add(pod.name);
      continue;
    }
    if (resource === 'cpu' && cpuIgnored(pod, sample, rules, timeMs(parseTime(sample.timestamp)))) {
      groups.ignored.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** Pods in phase Running with condition Ready=True (the ready count of Object and External metrics). */
export function readyRunningCount(pods: readonly KubeObject[]): number {
  return pods.map(podView).filter((p) => p.phase === 'Running' && p.ready?.status === 'True').length;
}
