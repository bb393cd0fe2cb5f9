// The simulated cluster of a backtest: a virtual clock whose sleep moves time forward at once, and one
// scalable target in memory, behind the same KubeClient port the real cluster sits behind. The target's
// replicas follow the PATCHes the pipeline sends; a new pod turns Ready `readyDelayMs` after it was made,
// and a scale-down removes the newest pods first, as the ReplicaSet controller does.
import type { Clock, KubeClient, KubeObject, ResolvedTarget, Scale } from '../ports.ts';

/** Time that passes only when told to: a day of cycles runs in the time the hooks take. */
export class VirtualClock implements Clock {
  #nowMs: number;
  constructor(startMs: number) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!signal?.aborted) this.#nowMs += Math.max(0, ms);
    return Promise.resolve();
  }
  /** Moves time to `ms` (never backwards). */
  setMs(ms: number): void {
    this.#nowMs = Math.max(this.#nowMs, ms);
  }
}

interface SimPod {
  name: string;
  createdMs: number;
}

/** What the simulated target is made from. */
export interface WorldOptions {
  clock: Clock;
  /** The workload object (DIR/deployment.yaml, or a minimal one); copied, never changed in place. */
  object: KubeObject;
  namespace: string;
  startReplicas: number;
  readyDelayMs: number;
}

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith('s') ? `${lower}es` : `${lower}s`;
}

/** The pod template's metadata and spec: a simulated pod carries them as a real one would. */
function podTemplate(object: KubeObject): { metadata: Record<string, unknown>; spec?: unknown } {
  const template = (object.spec as { template?: { metadata?: Record<string, unknown>; spec?: unknown } })
    ?.template;
  return { metadata: template?.metadata ?? {}, spec: template?.spec };
}

function matchLabels(object: KubeObject): Record<string, string> {
  const spec = object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined;
  return spec?.selector?.matchLabels ?? { app: object.metadata?.name ?? 'simulated' };
}

/** The in-memory target and its pods; a KubeClient for runCycle. */
export class SimulatedWorld implements KubeClient {
  readonly #clock: Clock;
  readonly #object: KubeObject;
  readonly #namespace: string;
  readonly #readyDelayMs: number;
  readonly #labels: Record<string, string>;
  readonly #template: { metadata: Record<string, unknown>; spec?: unknown };
  #pods: SimPod[] = [];
  #replicas = 0;
  #version = 1;
  #made = 0;

  constructor(options: WorldOptions) {
    this.#clock = options.clock;
    this.#object = structuredClone(options.object);
    this.#namespace = options.namespace;
    this.#readyDelayMs = options.readyDelayMs;
    this.#labels = matchLabels(options.object);
    this.#template = podTemplate(options.object);
    // The starting pods have been Ready for a long time.
    this.#setReplicas(options.startReplicas, options.clock.nowMs() - options.readyDelayMs);
  }

  /** Replicas asked for (the scale subresource's spec). */
  get replicas(): number {
    return this.#replicas;
  }

  /** Pods Ready at the clock's time. */
  readyPods(): number {
    const now = this.#clock.nowMs();
    return this.#pods.filter((p) => p.createdMs + this.#readyDelayMs <= now).length;
  }

  resolveTarget(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget> {
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    return Promise.resolve({
      group: group ?? '',
      version: version ?? 'v1',
      resource: plural(ref.kind),
      kind: ref.kind,
      name: ref.name,
      namespace,
      hasScale: true,
    });
  }

  getObject(): Promise<KubeObject> {
    // A fresh top level per read; the parts below are shared: the pipeline only reads objects (its
    // payloads copy them), and a deep copy per cycle was a visible share of a day's backtest.
    const object: KubeObject = { ...this.#object };
    const ready = this.readyPods();
    object.metadata = {
      ...object.metadata,
      namespace: this.#namespace,
      resourceVersion: this.#resourceVersion(ready),
    };
    object.spec = { ...(object.spec as object | undefined), replicas: this.#replicas };
    object.status = {
      replicas: this.#pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      updatedReplicas: this.#pods.length,
    };
    return Promise.resolve(object);
  }

  getScale(): Promise<Scale> {
    const selector = Object.entries(this.#labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return Promise.resolve({
      replicas: this.#replicas,
      selector,
      statusReplicas: this.#pods.length,
      resourceVersion: this.#resourceVersion(this.readyPods()),
    });
  }

  patchScale(_target: ResolvedTarget, replicas: number): Promise<Scale> {
    this.#setReplicas(replicas, this.#clock.nowMs());
    return this.getScale();
  }

  listPods(): Promise<KubeObject[]> {
    const now = this.#clock.nowMs();
    return Promise.resolve(
      this.#pods.map((pod) => {
        const ready = pod.createdMs + this.#readyDelayMs <= now;
        return {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            ...this.#template.metadata,
            name: pod.name,
            namespace: this.#namespace,
            labels: { ...(this.#template.metadata.labels as object | undefined), ...this.#labels },
            creationTimestamp: new Date(pod.createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
          ...(this.#template.spec === undefined ? {} : { spec: this.#template.spec }),
          status: {
            phase: ready ? 'Running' : 'Pending',
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
          },
        };
      }),
    );
  }

  /** Pods that exist (Ready or not): what a per-pod metric stage lists. */
  podCount(): number {
    return this.#pods.length;
  }

  /** The position of a pod in the listing (per-pod trace values are handed out by it); -1 when unknown. */
  podIndex(name: string): number {
    return this.#pods.findIndex((p) => p.name === name);
  }

  /**
   * Like the apiserver, every change moves the version: a scale bumps #version, and a pod turning Ready
   * (the controller's status write, here a matter of time) shows in the ready count.
   */
  #resourceVersion(ready: number): string {
    return `${this.#version}.${ready}`;
  }

  #setReplicas(replicas: number, createdMs: number): void {
    const name = this.#object.metadata?.name ?? 'simulated';
    while (this.#pods.length < replicas) this.#pods.push({ name: `${name}-${++this.#made}`, createdMs });
    this.#pods.length = Math.max(0, replicas);
    this.#replicas = replicas;
    this.#version++;
  }
}
