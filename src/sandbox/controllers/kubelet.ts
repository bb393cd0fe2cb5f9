// The sandbox's scheduler and kubelet in one: every new Pod is bound to the sandbox's node at once, shows
// ContainerCreating, and after the start delay runs: Running, containers started, Ready (unless the pod says
// otherwise). Per-pod scripting: annotation `sandbox.kubectl-cpa.dev/start-delay: "SECONDS"` and
// `sandbox.kubectl-cpa.dev/ready: "false"` (runs but never becomes Ready).
import { createHash } from 'node:crypto';
import type { StoreContext, Cancel } from '../store/context.ts';
import { SANDBOX_ANNOTATION } from './log-script.ts';
import { timestamp } from '../store/objects.ts';
import { qosClass } from '../store/defaults.ts';
import type { StoreEvent } from '../store/store.ts';
import { isMap, metaOf, type Obj } from '../wire/json.ts';

/** The node every pod runs on. */
export const NODE_NAME = 'sandbox';
const NODE_IP = '127.0.0.1';

function containersOf(pod: Obj): Obj[] {
  const spec = isMap(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.containers) ? spec.containers.filter(isMap) : [];
}

function condition(type: string, status: boolean, now: string, extra: Obj = {}): Obj {
  return { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...extra };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The pod as the scheduler binds it: on the sandbox node, containers being created. */
function boundPod(pod: Obj, now: string): Obj {
  const spec = { ...(pod.spec as Obj), nodeName: NODE_NAME };
  const status: Obj = {
    phase: 'Pending',
    conditions: [condition('PodScheduled', true, now)],
    hostIP: NODE_IP,
    hostIPs: [{ ip: NODE_IP }],
    startTime: now,
    containerStatuses: containersOf(pod).map((c) => ({
      name: c.name,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image,
      imageID: '',
      started: false,
    })),
    qosClass: qosClass(spec),
  };
  return { ...pod, spec, status };
}

/** Binds and starts pods; one timer per pod between bind and start. */
export class Kubelet {
  readonly #ctx: StoreContext;
  readonly #startDelayMs: number;
  readonly #timers = new Map<string, Cancel>();
  readonly #unsubscribe: () => void;
  #nextIp = 2;

  constructor(ctx: StoreContext, startDelayMs: number) {
    this.#ctx = ctx;
    this.#startDelayMs = startDelayMs;
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
    for (const pod of ctx.store.list('/pods'))
      this.#onEvent({ type: 'ADDED', resource: '/pods', object: pod, rv: 0 });
  }

  /** Cancels pending starts and stops following the store. */
  close(): void {
    this.#unsubscribe();
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  #onEvent(e: StoreEvent): void {
    if (e.resource !== '/pods') return;
    const meta = metaOf(e.object);
    const uid = meta.uid ?? '';
    if (e.type === 'DELETED') {
      this.#timers.get(uid)?.();
      this.#timers.delete(uid);
      return;
    }
    if (this.#timers.has(uid)) return;
    const spec = isMap(e.object.spec) ? e.object.spec : {};
    const phase = isMap(e.object.status) ? e.object.status.phase : undefined;
    const [ns, name] = [meta.namespace ?? '', meta.name ?? ''];
    // Never write from inside a store notification: other listeners have not seen this event yet.
    if (spec.nodeName === undefined)
      this.#timers.set(
        uid,
        this.#ctx.env.after(0, () => this.#bind(ns, name, uid)),
      );
    // A pod bound before a restart (state file) still has to start.
    else if (spec.nodeName === NODE_NAME && phase === 'Pending') this.#scheduleStart(e.object);
  }

  #delayMs(pod: Obj): number {
    const annotated = Number(metaOf(pod).annotations?.[`${SANDBOX_ANNOTATION}/start-delay`]);
    return Number.isFinite(annotated) && annotated >= 0 ? annotated * 1000 : this.#startDelayMs;
  }

  #scheduleStart(pod: Obj): void {
    const meta = metaOf(pod);
    const uid = meta.uid ?? '';
    const start = (): void => this.#start(meta.namespace ?? '', meta.name ?? '', uid);
    this.#timers.set(uid, this.#ctx.env.after(this.#delayMs(pod), start));
  }

  #current(namespace: string, name: string, uid: string): Obj | undefined {
    const pod = this.#ctx.store.get('/pods', namespace, name);
    return pod !== undefined && metaOf(pod).uid === uid ? pod : undefined;
  }

  /** Binds a new pod; with no start delay it runs in the same write (the Pending state would not be seen). */
  #bind(namespace: string, name: string, uid: string): void {
    const pod = this.#current(namespace, name, uid);
    if (pod === undefined || (isMap(pod.spec) && pod.spec.nodeName !== undefined)) return;
    const bound = boundPod(pod, timestamp(this.#ctx.env.nowMs()));
    if (this.#delayMs(pod) === 0) {
      this.#timers.delete(uid);
      this.#ctx.store.put('/pods', this.#running(bound));
    } else {
      this.#scheduleStart(this.#ctx.store.put('/pods', bound));
    }
  }

  #start(namespace: string, name: string, uid: string): void {
    this.#timers.delete(uid);
    const pod = this.#current(namespace, name, uid);
    if (pod !== undefined && isMap(pod.status)) this.#ctx.store.put('/pods', this.#running(pod));
  }

  /** A bound pod as it runs: containers started, Ready unless annotated `ready: "false"`. */
  #running(pod: Obj): Obj {
    const now = timestamp(this.#ctx.env.nowMs());
    const uid = metaOf(pod).uid ?? '';
    const ready = metaOf(pod).annotations?.[`${SANDBOX_ANNOTATION}/ready`] !== 'false';
    const containers = containersOf(pod);
    const unready = {
      reason: 'ContainersNotReady',
      message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
    };
    const ip = this.#allocateIp();
    const old = isMap(pod.status) ? pod.status : {};
    const scheduled = Array.isArray(old.conditions)
      ? old.conditions.filter((c) => isMap(c) && c.type === 'PodScheduled')
      : [];
    const status: Obj = {
      ...old,
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true, now),
        condition('Initialized', true, now),
        condition('Ready', ready, now, ready ? {} : unready),
        condition('ContainersReady', ready, now, ready ? {} : unready),
        ...scheduled,
      ],
      podIP: ip,
      podIPs: [{ ip }],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        state: { running: { startedAt: now } },
        lastState: {},
        ready,
        restartCount: 0,
        image: c.image,
        imageID: `${String(c.image)}@sha256:${sha(String(c.image))}`,
        containerID: `containerd://${sha(`${uid}/${String(c.name)}`)}`,
        started: true,
      })),
    };
    return { ...pod, status };
  }

  #allocateIp(): string {
    const n = this.#nextIp++ % 65_024;
    return `10.244.${Math.floor(n / 254)}.${(n % 254) + 1}`;
  }
}
