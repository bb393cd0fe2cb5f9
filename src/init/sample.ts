// The sample data of a new project: the workload it scales (deployment.yaml, for `run --sandbox`) carrying
// the load annotation the sample metric hook reads, and a trace of a load bump for `simulate`. Pure.
import { stringify } from 'yaml';
import type { ScaleTargetRef } from '../config/types.ts';

/** The annotation the sample metric hook reads: a stand-in for a real metric source. */
export const HOOK_LOAD_ANNOTATION = 'autoscaler.example/load';
/** The load one replica handles, in the sample evaluator. */
export const LOAD_PER_REPLICA = 100;

/** The load on the sample workload: per-resource 250 (→ 3 replicas), per-pod 150 per pod (1 pod → 2). */
const TARGET_LOAD = 250;
const POD_LOAD = 150;

/** The sample workload, or null for a kind the sandbox cannot create from a plain manifest. */
export function sampleWorkload(target: ScaleTargetRef, perPod: boolean): string | null {
  if (target.apiVersion !== 'apps/v1' || (target.kind !== 'Deployment' && target.kind !== 'StatefulSet'))
    return null;
  const labels = { app: target.name };
  const load = { [HOOK_LOAD_ANNOTATION]: String(perPod ? POD_LOAD : TARGET_LOAD) };
  const manifest = {
    apiVersion: target.apiVersion,
    kind: target.kind,
    metadata: { name: target.name, ...(perPod ? {} : { annotations: load }) },
    spec: {
      replicas: 1,
      ...(target.kind === 'StatefulSet' ? { serviceName: target.name } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(perPod ? { annotations: load } : {}) },
        spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
  return (
    `# The workload the autoscaler scales, with the ${HOOK_LOAD_ANNOTATION} annotation the sample metric hook\n` +
    `# reads${perPod ? ' on every pod' : ''}. \`kubectl cpa run . --sandbox\` loads it into the sandbox.\n` +
    stringify(manifest)
  );
}

/** A Monday morning: the sample trace's first sample. */
const TRACE_START_MS = Date.parse('2026-01-05T09:00:00Z');
const TRACE_STEP_MS = 60_000;
const TRACE_SAMPLES = 30;

/** The load of the sample trace at minute `i`: a quiet start, a bump to ~6 replicas, back down. */
function loadAt(i: number): number {
  const bump = Math.max(0, Math.sin(((i - 5) / 20) * Math.PI));
  return Math.round(120 + 480 * bump * bump);
}

/**
 * The sample trace: 30 minutes, one sample a minute, with the demand (replicas needed). Per-pod, each
 * minute holds the values of the pods that were running then (as if perfectly scaled), sharing the load.
 */
export function sampleTrace(perPod: boolean): string {
  const lines = [perPod ? 'time,pods,demand' : 'time,value,demand'];
  for (let i = 0; i < TRACE_SAMPLES; i++) {
    const load = loadAt(i);
    const demand = Math.ceil(load / LOAD_PER_REPLICA);
    const time = new Date(TRACE_START_MS + i * TRACE_STEP_MS).toISOString().replace('.000Z', 'Z');
    const value = perPod
      ? Array.from({ length: demand }, () => (Math.round((load / demand) * 10) / 10).toString()).join(';')
      : String(load);
    lines.push(`${time},${value},${demand}`);
  }
  return `${lines.join('\n')}\n`;
}
