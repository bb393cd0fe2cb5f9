// The Events of one target: a repeat of a recent Event bumps its count (as kubectl's event correlator
// does) instead of creating another; an expired one is created again.
import type { ScaleTargetRef } from '../config/types.ts';
import { KubeError } from '../errors.ts';
import type { Clock, KubeRequester } from '../ports.ts';
import { EventCorrelator } from './correlate.ts';
import { newEventBody, repeatEventPatch, type InvolvedObject } from './events.ts';
import type { EventSpec } from './reasons.ts';

/** Where and as whom Events are written. */
export interface EventWriterOptions {
  client: { request: KubeRequester };
  target: ScaleTargetRef;
  namespace: string;
  clock: Clock;
  runner: { host: string };
}

export class EventWriter {
  readonly #o: EventWriterOptions;
  readonly #correlator: EventCorrelator;

  constructor(options: EventWriterOptions) {
    this.#o = options;
    this.#correlator = new EventCorrelator(options.target.name);
  }

  /** Writes `spec` about the target; `uid` (when known) ties the Event to this incarnation of it. */
  async write(spec: EventSpec, uid: string | undefined): Promise<void> {
    const { target, namespace, clock, runner } = this.#o;
    const involved: InvolvedObject = {
      apiVersion: target.apiVersion,
      kind: target.kind,
      name: target.name,
      namespace,
    };
    if (uid !== undefined) involved.uid = uid;
    let planned = this.#correlator.plan(spec, clock.nowMs());
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const call = { group: '', resource: 'events', namespace };
    if (planned.action === 'update') {
      try {
        await this.#o.client.request({
          method: 'PATCH',
          path: `${base}/${encodeURIComponent(planned.name)}`,
          body: repeatEventPatch(planned),
          contentType: 'application/merge-patch+json',
          call: { ...call, verb: 'patch', name: planned.name },
        });
        return;
      } catch (err) {
        // The Event expired (default TTL 1h) or was deleted: start a new one.
        if (!(err instanceof KubeError) || err.details.status !== 404) throw err;
        this.#correlator.forget(planned.key);
        planned = this.#correlator.plan(spec, clock.nowMs());
      }
    }
    await this.#o.client.request({
      method: 'POST',
      path: base,
      body: newEventBody(planned, spec, involved, runner.host),
      call: { ...call, verb: 'create' },
    });
  }
}
