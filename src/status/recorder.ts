// The recorder `run` hands to the pipeline as `onReport`: after each cycle it writes the recorded-state
// annotation on the scale target (a JSON merge patch of metadata.annotations, never the scale
// subresource, never a CustomPodAutoscaler object) and the cycle's Events. Nothing here fails a cycle:
// a failed write becomes a warning, said once per distinct message.
import type { TargetHold } from '../autoscaler/context.ts';
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
import {
  claimVerdict,
  holderLabel,
  observe,
  readClaim,
  renewEveryMs,
  sameHolder,
  type ClaimHolder,
  type ClaimObservation,
  type ClaimVerdict,
  type RecordedClaim,
} from './claim.ts';

/** One writer per target: who this runner is, how long its claim lasts, whether it takes a fresh one over. */
export interface ClaimOptions {
  me: ClaimHolder;
  leaseMs: number;
  takeOver: boolean;
}

export interface RecorderOptions extends RecordInput {
  client: Pick<KubeClient, 'resolveTarget' | 'getObject'> & { request: KubeRequester };
  target: ScaleTargetRef;
  namespace: string;
  clock: Clock;
  logger: Logger;
  /** Absent: no claim is kept, every cycle may write (the demo, tests of recording alone). */
  claim?: ClaimOptions;
}

/** The recorder of one autoscaler: `record` after each cycle, `hold` before a cycle writes (claims). */
export interface TargetRecorder {
  record(report: CycleReport): Promise<void>;
  hold(object: KubeObject): Promise<TargetHold>;
  /** Gives up the claim if this runner still holds it (clean exit), so another runner need not wait a lease. */
  release(): Promise<void>;
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

/** The recorder of one `run`: named after the autoscaler (default its directory), runner identity from Deps. */
export function runRecorder(input: {
  deps: Pick<Deps, 'host' | 'version' | 'clock'>;
  client: RecorderOptions['client'];
  config: Config & { scaleTargetRef: ScaleTargetRef; namespace: string };
  logger: Logger;
  absDir: string;
  name?: string;
  claim?: ClaimOptions;
}): TargetRecorder {
  const { deps, config } = input;
  const recorder = new Recorder({
    ...{ client: input.client, target: config.scaleTargetRef, namespace: config.namespace, config },
    ...{ clock: deps.clock, logger: input.logger },
    name: input.name ?? autoscalerName(input.absDir, config.scaleTargetRef),
    runner: { host: deps.host.hostname, pid: deps.host.pid, version: deps.version },
    ...(input.claim === undefined ? {} : { claim: input.claim }),
  });
  return {
    record: (report) => recorder.record(report),
    hold: (object) => recorder.hold(object),
    release: () => recorder.release(),
  };
}

/** Builds the `onReport` callback for one target. */
export function createRecorder(options: RecorderOptions): (report: CycleReport) => Promise<void> {
  const recorder = new Recorder(options);
  return (report) => recorder.record(report);
}

function annotationOf(object: KubeObject): string | undefined {
  const meta = (object.metadata ?? {}) as { annotations?: Record<string, string> };
  return meta.annotations?.[STATUS_ANNOTATION];
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
  /** The target's resourceVersion as last read or written: claims and renewals are guarded by it. */
  #resourceVersion: string | undefined;
  #observation: ClaimObservation | undefined;
  /**
   * The annotation text last decoded and what it decoded to. A cycle that changes nothing reads the same
   * text as the cycle before; decoding it again (three JSON parses and a validation, ~0.5 ms in a profile)
   * was most of what the claim added to each cycle.
   */
  #read: { text: string | undefined; state: RecordedState | null; claim: RecordedClaim | null } | undefined;

  constructor(options: RecorderOptions) {
    this.#o = options;
    this.#label = `${options.target.kind.toLowerCase()}/${options.namespace}/${options.target.name}`;
    this.#correlator = new EventCorrelator(options.target.name);
  }

  async record(report: CycleReport): Promise<void> {
    if (!shouldRecord(report)) return;
    if (report.heldBy !== undefined) {
      // Another runner holds the target: its record stays as it wrote it; we only say why we did not write.
      const spec: EventSpec = {
        type: 'Warning',
        reason: 'TargetHeldByOther',
        message: `${this.#o.name} did not scale ${this.#label}: it is held by ${report.heldBy}`,
      };
      await this.#writeEvent(spec).catch((err: unknown) => this.#warn('event', err));
      return;
    }
    // An API that did not answer the cycle will not answer its record either: each write would wait out
    // another call timeout and delay the next tick (hostile testing: a black-holed API server). The cycle's
    // own error line already says what happened.
    if (report.error?.unreachable) return;
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
    const next = this.#withClaim(buildRecordedState(this.#o, report, previous));
    const claim = this.#o.claim;
    const verdict = writeVerdict(
      previous,
      next,
      claim === undefined ? undefined : renewEveryMs(this.#o.config.intervalMs, claim.leaseMs),
    );
    if (verdict === 'unchanged') return;
    let state = next;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#patchState(resolved, state);
        break;
      } catch (err) {
        if (claim === undefined || !isConflict(err) || attempt >= WRITE_ATTEMPTS) throw err;
      }
      // The target changed since we read it (our scale, then the controller's status writes): read it
      // again, and renew only if the claim is still ours; a runner that took it over meanwhile wins.
      const hold = await this.hold(await client.getObject(resolved), { claimIfFree: false });
      if (!hold.held) {
        this.#o.logger.log({
          kind: 'warning',
          message: `${this.#label} is now held by ${hold.holder}; this runner stops writing it`,
        });
        return;
      }
      state = this.#withClaim(buildRecordedState(this.#o, report, this.#previous ?? null));
    }
    this.#o.logger.log({ kind: 'info', level: 2, message: `recorded status on ${this.#label} (${verdict})` });
  }

  /** One merge patch of the annotation; with claims, guarded by the resourceVersion last seen. */
  async #patchState(resolved: ResolvedTarget, next: RecordedState): Promise<void> {
    const { client, target, namespace } = this.#o;
    const metadata: Record<string, unknown> = { annotations: { [STATUS_ANNOTATION]: encodeState(next) } };
    if (this.#o.claim !== undefined && this.#resourceVersion !== undefined)
      metadata.resourceVersion = this.#resourceVersion;
    const res = await client.request({
      method: 'PATCH',
      path: objectPath(resolved),
      body: { metadata },
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
  }

  /** `state` carrying this runner's claim, renewed now (a renewal alone is only written as a heartbeat). */
  #withClaim(state: RecordedState): RecordedState {
    const claim = this.#o.claim;
    if (claim === undefined) return state;
    const renewTime = new Date(this.#o.clock.nowMs()).toISOString();
    return { ...state, claim: { holder: { ...claim.me }, renewTime, leaseMs: claim.leaseMs } };
  }

  /**
   * Whether this runner may write the target as read in `object` (one writer per target). A free or lapsed
   * target, or a fresh one with `--take-over`, is claimed at once by a patch guarded by the read
   * resourceVersion: of two runners claiming together one gets 409 and reads who won.
   */
  async hold(object: KubeObject, options = { claimIfFree: true }): Promise<TargetHold> {
    const claim = this.#o.claim;
    this.#remember(object, null);
    if (claim === undefined) return { held: true };
    const recorded = this.#decode(annotationOf(object)).claim;
    const nowMs = this.#o.clock.nowMs();
    this.#observation = observe(this.#observation, recorded, nowMs);
    const verdict = claimVerdict({
      me: claim.me,
      claim: recorded,
      observation: this.#observation,
      nowMs,
      takeOver: claim.takeOver,
    });
    if (verdict.kind === 'mine') return { held: true };
    if (verdict.kind === 'held') return { held: false, holder: holderLabel(verdict.by) };
    if (!options.claimIfFree) return { held: false, holder: 'nobody (the claim lapsed)' };
    return this.#claim(verdict, claim.me);
  }

  async release(): Promise<void> {
    const claim = this.#o.claim;
    if (claim === undefined) return;
    try {
      const { client, target, namespace } = this.#o;
      const resolved = await client.resolveTarget(target, namespace);
      // Right after a scale the controller is still writing the target: a 409 means read it again.
      for (let attempt = 1; ; attempt++) {
        const object = await client.getObject(resolved);
        this.#remember(object, null);
        const recorded = this.#decode(annotationOf(object)).claim;
        const state = this.#previous;
        if (recorded === null || !state || !sameHolder(recorded.holder, claim.me)) return;
        const { claim: _released, ...rest } = state;
        try {
          await this.#patchState(resolved, rest);
          break;
        } catch (err) {
          if (!isConflict(err) || attempt >= WRITE_ATTEMPTS) throw err;
        }
      }
      this.#o.logger.log({ kind: 'info', level: 1, message: `released the claim on ${this.#label}` });
    } catch (err) {
      // The claim then lapses after its lease; nothing is lost but that wait.
      this.#o.logger.log({
        kind: 'info',
        level: 1,
        message: `could not release the claim on ${this.#label}: ${describeError(err)}`,
      });
    }
  }

  async #claim(verdict: ClaimVerdict, me: ClaimHolder): Promise<TargetHold> {
    const { client, target, namespace } = this.#o;
    const resolved = await client.resolveTarget(target, namespace);
    const base = this.#previous ?? null;
    const state = this.#withClaim(
      base === null
        ? buildRecordedState(this.#o, claimReport(this.#label, this.#o.clock.nowMs()), null)
        : { ...base, name: this.#o.name, runner: { ...this.#o.runner } },
    );
    try {
      await this.#patchState(resolved, state);
    } catch (err) {
      if (!isConflict(err)) {
        // A runner that may not write annotations (RBAC) cannot claim; it scales as before, and says so.
        this.#warn('claim', err);
        return { held: true };
      }
      const fresh = await client.getObject(resolved);
      const again = await this.hold(fresh, { claimIfFree: false });
      return again.held ? again : { held: false, holder: again.holder };
    }
    const from =
      verdict.kind === 'take-over'
        ? `, taken over from ${holderLabel(verdict.from)} (--take-over)`
        : verdict.kind === 'free' && verdict.lapsed !== undefined
          ? `, whose claim by ${holderLabel(verdict.lapsed)} lapsed`
          : '';
    const message = `claimed ${this.#label} for ${holderLabel(me)}${from}`;
    this.#o.logger.log(
      verdict.kind === 'take-over' ? { kind: 'warning', message } : { kind: 'info', level: 0, message },
    );
    return { held: true };
  }

  /** Keeps the uid (for Events) and the state now on the target. */
  #remember(object: KubeObject | null, written: RecordedState | null): void {
    const meta = (object?.metadata ?? {}) as {
      uid?: unknown;
      resourceVersion?: unknown;
      annotations?: Record<string, string>;
    };
    if (typeof meta.uid === 'string') this.#uid = meta.uid;
    if (typeof meta.resourceVersion === 'string') this.#resourceVersion = meta.resourceVersion;
    if (written !== null) {
      this.#previous = written;
      return;
    }
    this.#previous = this.#decode(meta.annotations?.[STATUS_ANNOTATION]).state;
  }

  /** The record and claim in `text`, decoded only when the text differs from the last one decoded. */
  #decode(text: string | undefined): { state: RecordedState | null; claim: RecordedClaim | null } {
    if (this.#read !== undefined && this.#read.text === text) return this.#read;
    const decoded = decodeState(text).state;
    // decodeState reads the record's own fields; the claim beside them is read by its own rules.
    const claim = readClaim(text);
    const state = decoded !== null && claim !== null ? { ...decoded, claim } : decoded;
    this.#read = { text, state, claim };
    return this.#read;
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

/**
 * Guarded annotation writes in a row before giving up: right after a scale the workload's controller writes
 * its status a few times, and each write moves the resourceVersion the next attempt must carry.
 */
const WRITE_ATTEMPTS = 5;

function isConflict(err: unknown): boolean {
  return err instanceof KubeError && err.details.status === 409;
}

/** The report a first claim is recorded with when the target carries no record yet. */
function claimReport(target: string, nowMs: number): CycleReport {
  return { runType: 'scaler', target, startedMs: nowMs, durationMs: 0, dryRun: false };
}
