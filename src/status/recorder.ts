// The recorder `run` hands to the pipeline as `onReport`: after each cycle it writes the recorded-state
// annotation on the scale target (a JSON merge patch of metadata.annotations, never the scale
// subresource, never a CustomPodAutoscaler object) and the cycle's Events. Nothing here fails a cycle:
// a failed write becomes a warning, said once per distinct message.
import type { CycleReport } from '../autoscaler/types.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import { describeError, KubeError } from '../errors.ts';
import { groupVersionPath } from '../kube/discovery.ts';
import type { Logger } from '../logger/events.ts';
import type { Clock, Deps, KubeClient, KubeObject, KubeRequester, ResolvedTarget } from '../ports.ts';
import { EventCorrelator } from './correlate.ts';
import { newEventBody, repeatEventPatch, type InvolvedObject } from './events.ts';
import { eventsForReport, type EventSpec } from './reasons.ts';
import { buildRecordedState, writeVerdict, type RecordInput } from './record.ts';
import { decodeState } from './decode-state.ts';
import { encodeState, STATUS_ANNOTATION, type RecordedState } from './schema.ts';

export interface RecorderOptions extends RecordInput {
  client: Pick<KubeClient, 'resolveTarget' | 'getObject'> & { request: KubeRequester };
  target: ScaleTargetRef;
  namespace: string;
  clock: Clock;
  logger: Logger;
}

/** Dry runs leave no trace; REST API requests that stopped before deciding and did not fail have nothing to say. */
export function shouldRecord(report: CycleReport): boolean {
  if (report.dryRun || report.runType === 'api_dry_run') return false;
  return report.decision !== undefined || report.error !== undefined;
}

/** `my-autoscaler` for `/home/me/my-autoscaler`; the target's name when the directory has no name (`/`). */
export function autoscalerName(absDir: string, target: ScaleTargetRef): string {
  const base =
    absDir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return base === '' ? target.name : base;
}

/** The recorder of one `run`: named after the autoscaler directory, runner identity from Deps. */
export function runRecorder(input: {
  deps: Pick<Deps, 'host' | 'version' | 'clock'>;
  client: RecorderOptions['client'];
  config: Config & { scaleTargetRef: ScaleTargetRef; namespace: string };
  logger: Logger;
  absDir: string;
}): (report: CycleReport) => Promise<void> {
  const { deps, config } = input;
  return createRecorder({
    ...{ client: input.client, target: config.scaleTargetRef, namespace: config.namespace, config },
    ...{ clock: deps.clock, logger: input.logger, name: autoscalerName(input.absDir, config.scaleTargetRef) },
    runner: { host: deps.host.hostname, pid: deps.host.pid, version: deps.version },
  });
}

/** Builds the `onReport` callback for one target. */
export function createRecorder(options: RecorderOptions): (report: CycleReport) => Promise<void> {
  const recorder = new Recorder(options);
  return (report) => recorder.record(report);
}

function objectPath(t: ResolvedTarget): string {
  return `${groupVersionPath(t)}/namespaces/${encodeURIComponent(t.namespace)}/${t.resource}/${encodeURIComponent(t.name)}`;
}

class Recorder {
  readonly #o: RecorderOptions;
  readonly #label: string;
  readonly #correlator: EventCorrelator;
  readonly #warned = new Map<string, string>();
  /** undefined until read from the target once; null when the target carries no usable record. */
  #previous: RecordedState | null | undefined;
  #uid: string | undefined;

  constructor(options: RecorderOptions) {
    this.#o = options;
    this.#label = `${options.target.kind.toLowerCase()}/${options.namespace}/${options.target.name}`;
    this.#correlator = new EventCorrelator(options.target.name);
  }

  async record(report: CycleReport): Promise<void> {
    if (!shouldRecord(report)) return;
    // A target that cannot be read cannot be annotated; the cycle error already says why.
    if (report.error?.stage !== 'target') {
      await this.#writeState(report).catch((err: unknown) => this.#warn('status annotation', err));
    }
    for (const spec of eventsForReport(report, this.#o.config)) {
      await this.#writeEvent(spec).catch((err: unknown) => this.#warn('event', err));
    }
  }

  async #writeState(report: CycleReport): Promise<void> {
    const { client, target, namespace } = this.#o;
    const resolved = await client.resolveTarget(target, namespace);
    if (this.#previous === undefined) this.#remember(await client.getObject(resolved), null);
    const previous = this.#previous ?? null;
    const next = buildRecordedState(this.#o, report, previous);
    const verdict = writeVerdict(previous, next);
    if (verdict === 'unchanged') return;
    const res = await client.request({
      method: 'PATCH',
      path: objectPath(resolved),
      body: { metadata: { annotations: { [STATUS_ANNOTATION]: encodeState(next) } } },
      contentType: 'application/merge-patch+json',
      call: {
        verb: 'patch',
        group: resolved.group,
        resource: resolved.resource,
        namespace,
        name: target.name,
      },
    });
    this.#remember(res.body as KubeObject | null, next);
    this.#o.logger.log({ kind: 'info', level: 2, message: `recorded status on ${this.#label} (${verdict})` });
  }

  /** Keeps the uid (for Events) and the state now on the target. */
  #remember(object: KubeObject | null, written: RecordedState | null): void {
    const meta = (object?.metadata ?? {}) as { uid?: unknown; annotations?: Record<string, string> };
    if (typeof meta.uid === 'string') this.#uid = meta.uid;
    this.#previous = written ?? decodeState(meta.annotations?.[STATUS_ANNOTATION]).state;
  }

  async #writeEvent(spec: EventSpec): Promise<void> {
    const { target, namespace, clock, runner } = this.#o;
    const involved: InvolvedObject = {
      apiVersion: target.apiVersion,
      kind: target.kind,
      name: target.name,
      namespace,
    };
    if (this.#uid !== undefined) involved.uid = this.#uid;
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

  /** A warning for the first occurrence of each distinct failure; repeats only at -v 1. */
  #warn(what: string, err: unknown): void {
    const hint = err instanceof KubeError && err.hint ? ` (${err.hint})` : '';
    const message = `failed to record ${what} on ${this.#label}: ${describeError(err)}${hint}`;
    if (this.#warned.get(what) === message) {
      this.#o.logger.log({ kind: 'info', level: 1, message });
      return;
    }
    this.#warned.set(what, message);
    this.#o.logger.log({ kind: 'warning', message });
  }
}
