// metrics.k8s.io/v1beta1 pods and nodes, computed when read from a scripted series, in metrics-server's
// units (CPU in nanocores `…n`, memory in `…Ki`). A running pod's usage follows its annotations
// `sandbox.kubectl-cpa.dev/cpu` and `…/memory` (comma-separated quantities, one per step; `…/cpu.<container>`
// for one container), stepping every `…/metrics-every` seconds (15) from its start and cycling.
import type { VirtualSource } from '../store/context.ts';
import { NODE_NAME } from './kubelet.ts';
import { SANDBOX_ANNOTATION } from './log-script.ts';
import { timestamp } from '../store/objects.ts';
import type { ResourceDef } from '../store/registry.ts';
import type { Store } from '../store/store.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';

const DEFAULT_SERIES = { cpu: '50m,100m,150m,100m', memory: '32Mi' };
const STEP_SEC = 15;
const UNITS: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes quantity (`250m`, `64Mi`, `1.5`) as a number of base units; NaN when unreadable. */
export function parseQuantity(text: string): number {
  const m = /^([0-9.]+)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text.trim());
  return m === null ? Number.NaN : Number(m[1]) * UNITS[m[2] ?? '']!;
}

/** The series value at `step` (cycling); NaN entries count as zero. */
function valueAt(series: string, step: number): number {
  const values = series.split(',').map(parseQuantity);
  const v = values[step % values.length];
  return v === undefined || Number.isNaN(v) ? 0 : v;
}

function usage(cpuCores: number, memoryBytes: number): Obj {
  return { cpu: `${Math.round(cpuCores * 1e9)}n`, memory: `${Math.round(memoryBytes / 1024)}Ki` };
}

function startedMs(pod: Obj): number | undefined {
  const status = isMap(pod.status) ? pod.status : {};
  if (status.phase !== 'Running' || typeof status.startTime !== 'string') return undefined;
  return Date.parse(status.startTime);
}

interface PodUsage {
  pod: Obj;
  stepStartMs: number;
  containers: { name: string; cpu: number; memory: number }[];
}

function podUsage(pod: Obj, nowMs: number): PodUsage | undefined {
  const start = startedMs(pod);
  if (start === undefined) return undefined;
  const annotations = metaOf(pod).annotations ?? {};
  const every =
    Number(annotations[`${SANDBOX_ANNOTATION}/metrics-every`] ?? STEP_SEC) * 1000 || STEP_SEC * 1000;
  const step = Math.max(0, Math.floor((nowMs - start) / every));
  const spec = isMap(pod.spec) ? pod.spec : {};
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).filter(isMap).map((c) => {
    const name = String(c.name);
    const series = (res: 'cpu' | 'memory'): string =>
      annotations[`${SANDBOX_ANNOTATION}/${res}.${name}`] ??
      annotations[`${SANDBOX_ANNOTATION}/${res}`] ??
      DEFAULT_SERIES[res];
    return { name, cpu: valueAt(series('cpu'), step), memory: valueAt(series('memory'), step) };
  });
  return { pod, stepStartMs: start + step * every, containers };
}

function podMetrics(u: PodUsage, nowMs: number): Obj {
  const meta = metaOf(u.pod);
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      creationTimestamp: timestamp(nowMs),
      ...(meta.labels ? { labels: meta.labels } : {}),
    },
    timestamp: timestamp(u.stepStartMs),
    window: `${STEP_SEC}s`,
    containers: u.containers.map((c) => ({ name: c.name, usage: usage(c.cpu, c.memory) })),
  };
}

/** The metrics.k8s.io source over a store, at the time `nowMs()` says. */
export function metricsSource(store: Store, nowMs: () => number): VirtualSource {
  return {
    list(def: ResourceDef, namespace: string | undefined): Obj[] {
      const now = nowMs();
      const usages = store
        .list('/pods', def.plural === 'pods' ? namespace : undefined)
        .map((p) => podUsage(p, now))
        .filter((u): u is PodUsage => u !== undefined);
      if (def.plural === 'pods') return usages.map((u) => podMetrics(u, now));
      return store.list('/nodes').map((node) => {
        const name = metaOf(node).name;
        const mine = usages.filter((u) => isMap(u.pod.spec) && u.pod.spec.nodeName === name);
        const cpu = mine.reduce((n, u) => n + u.containers.reduce((m, c) => m + c.cpu, 0), 0.1);
        const memory = mine.reduce(
          (n, u) => n + u.containers.reduce((m, c) => m + c.memory, 0),
          512 * 1024 ** 2,
        );
        return {
          kind: 'NodeMetrics',
          apiVersion: 'metrics.k8s.io/v1beta1',
          metadata: { name, creationTimestamp: timestamp(now), labels: metaOf(node).labels ?? {} },
          timestamp: timestamp(now - (now % (STEP_SEC * 1000))),
          window: `${STEP_SEC}s`,
          usage: usage(cpu, memory),
        };
      });
    },
  };
}

/** The sandbox's one node, as the kubelet would register it. */
export function sandboxNode(nowMs: number): Obj {
  const now = timestamp(nowMs);
  const ready = {
    type: 'Ready',
    status: 'True',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': NODE_NAME,
        'kubernetes.io/os': 'linux',
      },
    },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [ready],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: NODE_NAME },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.37.2',
        containerRuntimeVersion: 'kubectl-cpa-sandbox://1',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'kubectl-cpa sandbox',
        kernelVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
        kubeProxyVersion: '',
      },
    },
  };
}
