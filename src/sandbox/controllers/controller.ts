// The built-in controller manager: follows the store, queues the workloads a change concerns (the object
// itself, or the controller owning a changed Pod or ReplicaSet), and syncs them after the change has been
// delivered to every watcher — never from inside a notification. Also runs the kubelet.
import type { StoreContext, Cancel } from '../store/context.ts';
import { syncDeployment } from './deployments.ts';
import { EventRecorder } from './events.ts';
import { Kubelet } from './kubelet.ts';
import { controllerOf, OwnerIndex } from './owners.ts';
import { WIDGET } from '../store/registry.ts';
import { syncReplicaSet, syncReplicationController, syncWidget, type ControllerCtx } from './replicas.ts';
import { syncStatefulSet } from './statefulsets.ts';
import type { StoreEvent } from '../store/store.ts';
import { metaOf, type Obj } from '../wire/json.ts';

type Sync = (c: ControllerCtx, obj: Obj) => number | undefined;

const WIDGET_KEY = `${WIDGET.group}/${WIDGET.plural}`;

/** The controllers by the store key of the resource they own. */
const SYNCS: Readonly<Record<string, Sync>> = {
  'apps/deployments': syncDeployment,
  'apps/replicasets': syncReplicaSet,
  'apps/statefulsets': syncStatefulSet,
  '/replicationcontrollers': syncReplicationController,
  [WIDGET_KEY]: syncWidget,
};

/** Store key of an owner kind named in an ownerReference. */
const OWNER_KINDS: Readonly<Record<string, string>> = {
  Deployment: 'apps/deployments',
  ReplicaSet: 'apps/replicasets',
  StatefulSet: 'apps/statefulsets',
  ReplicationController: '/replicationcontrollers',
  [WIDGET.kind]: WIDGET_KEY,
};

/** A sync that keeps finding work after this many rounds in one go is a bug; stop instead of spinning. */
const MAX_ROUNDS = 100;
/** A drain hands the event loop back after this long (requests wait meanwhile); the rest runs next turn. */
const DRAIN_BUDGET_MS = 50;

/** The running controllers of one sandbox. */
export class Controller {
  readonly #c: ControllerCtx;
  readonly #kubelet: Kubelet;
  readonly #queue = new Set<string>();
  readonly #timers = new Set<Cancel>();
  readonly #unsubscribe: () => void;
  #scheduled: Cancel | undefined;
  #closed = false;

  /** Starts following `ctx.store`; pods start `startDelayMs` after they are bound. */
  constructor(ctx: StoreContext, startDelayMs: number) {
    this.#c = {
      api: ctx,
      index: new OwnerIndex(ctx.store, ['/pods', 'apps/replicasets']),
      events: new EventRecorder(ctx),
    };
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
    this.#kubelet = new Kubelet(ctx, startDelayMs);
    for (const resource of Object.keys(SYNCS))
      for (const o of ctx.store.list(resource)) this.#enqueue(resource, o);
  }

  /** Stops every timer and subscription. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    this.#kubelet.close();
    this.#c.index.close();
    this.#scheduled?.();
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  #onEvent(e: StoreEvent): void {
    if (e.type !== 'DELETED' && SYNCS[e.resource] !== undefined) this.#enqueue(e.resource, e.object);
    const owner = controllerOf(e.object);
    const ownerKey = owner === undefined ? undefined : OWNER_KINDS[owner.kind];
    if (owner !== undefined && ownerKey !== undefined)
      this.#enqueueKey(JSON.stringify([ownerKey, metaOf(e.object).namespace ?? '', owner.name]));
  }

  #enqueue(resource: string, obj: Obj): void {
    this.#enqueueKey(JSON.stringify([resource, metaOf(obj).namespace ?? '', metaOf(obj).name ?? '']));
  }

  #enqueueKey(key: string): void {
    if (this.#closed) return;
    this.#queue.add(key);
    this.#scheduled ??= this.#c.api.env.after(0, () => this.#drain());
  }

  #drain(): void {
    this.#scheduled = undefined;
    const { env } = this.#c.api;
    const start = env.nowMs();
    for (let round = 0; round < MAX_ROUNDS && this.#queue.size > 0; round++) {
      if (round > 0 && env.nowMs() - start > DRAIN_BUDGET_MS) {
        this.#scheduled ??= env.after(0, () => this.#drain());
        return;
      }
      const keys = [...this.#queue];
      this.#queue.clear();
      for (const key of keys) this.#sync(key);
    }
  }

  #sync(key: string): void {
    const [resource, ns, name] = JSON.parse(key) as [string, string, string];
    const obj = this.#c.api.store.get(resource, ns, name);
    const sync = SYNCS[resource];
    if (obj === undefined || sync === undefined || this.#closed) return;
    const recheckMs = sync(this.#c, obj);
    if (recheckMs === undefined) return;
    const cancel = this.#c.api.env.after(recheckMs, () => {
      this.#timers.delete(cancel);
      this.#enqueueKey(key);
    });
    this.#timers.add(cancel);
  }
}
