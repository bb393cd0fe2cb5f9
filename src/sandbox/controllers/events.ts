// core/v1 Events written by the built-in controllers, shaped like client-go's event recorder writes them:
// named `<object>.<hex nanoseconds>`, with source/reportingComponent, and a repeated event (same object,
// reason, message) counted on the existing Event instead of creating a new one.
import type { StoreContext } from '../store/context.ts';
import { timestamp } from '../store/objects.ts';
import { findKind } from '../store/registry.ts';
import { metaOf, type Obj } from '../wire/json.ts';
import { createObject } from '../store/writes.ts';

/** What happened, to which object, said by which component. */
export interface EventSpec {
  involved: Obj;
  component: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const eventDef = findKind('v1', 'Event')!;
/** Events remembered for counting repeats; repeats come soon after each other, so older ones are forgotten. */
const REMEMBERED = 2_000;

function involvedRef(obj: Obj): Obj {
  const meta = metaOf(obj);
  return {
    kind: obj.kind,
    namespace: meta.namespace,
    name: meta.name,
    uid: meta.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: meta.resourceVersion,
  };
}

/** Writes controller events; remembers each event's name by (object, reason, message, source) to count repeats. */
export class EventRecorder {
  readonly #ctx: StoreContext;
  readonly #names = new Map<string, string>();
  #sequence = 0;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Records an event in the involved object's namespace; failures never disturb the controller. */
  record(spec: EventSpec): void {
    const ctx = this.#ctx;
    const meta = metaOf(spec.involved);
    const namespace = meta.namespace ?? 'default';
    const now = timestamp(ctx.env.nowMs());
    const key = JSON.stringify([namespace, meta.uid, spec.reason, spec.message, spec.component]);
    const knownName = this.#names.get(key);
    const same = knownName === undefined ? undefined : ctx.store.get('/events', namespace, knownName);
    if (same !== undefined) {
      ctx.store.put('/events', { ...same, count: Number(same.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    // Unique like the recorder's UnixNano suffix, even for several events in the same millisecond.
    const nanos = BigInt(ctx.env.nowMs()) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000);
    const name = `${meta.name ?? 'object'}.${nanos.toString(16)}`;
    const event: Obj = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involvedRef(spec.involved),
      reason: spec.reason,
      message: spec.message,
      source: { component: spec.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: spec.type,
      eventTime: null,
      reportingComponent: spec.component,
      reportingInstance: '',
    };
    try {
      createObject(ctx, eventDef, namespace, event);
      this.#names.set(key, name);
      if (this.#names.size > REMEMBERED) this.#names.delete(this.#names.keys().next().value!);
    } catch {
      // The namespace is being deleted; the event has nothing left to describe.
    }
  }
}
