// The recorder `run` hands to the pipeline as `onReport`: after each cycle it writes the recorded-state
// annotation on the scale target (a JSON merge patch of metadata.annotations, never the scale
// subresource, never a CustomPodAutoscaler object) and the cycle's Events. Nothing here fails a cycle:
// a failed write becomes a warning, said once per distinct message.
import type { TargetHold } from '../autoscaler/context.ts';
import type { CycleReport } from '../autoscaler/types.ts';
import type { Config, ScaleTargetRef } from '../config/types.ts';
import { describeError, KubeError } from '../errors.ts';
import type { Logger } from '../logger/events.ts';
import type { Clock, Deps, KubeClient, KubeObject, KubeRequester } from '../ports.ts';
import { EventWriter } from './event-writer.ts';
import { annotationOf, TargetRecord } from './target-record.ts';
import { eventsForReport, type EventSpec } from './reasons.ts';
import {
  autoscalerName,
  buildRecordedState,
  shouldRecord,
  writeVerdict,
  type RecordInput,
} from './record.ts';
import type { RecordedState } from './schema.ts';
import {
  claimVerdict,
  holderLabel,
  observe,
  renewEveryMs,
  sameHolder,
  type ClaimHolder,
  type ClaimObservation,
  type ClaimVerdict,
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

class Recorder {
  readonly #o: RecorderOptions;
  readonly #label: string;
  readonly #events: EventWriter;
  readonly #record: TargetRecord;
  #observation: ClaimObservation | undefined;
  readonly #warned = new Map<string, string>();
  constructor(options: RecorderOptions) {
    this.#o = options;
    this.#label = `${options.target.kind.toLowerCase()}/${options.namespace}/${options.target.name}`;
    this.#events = new EventWriter(options);
    this.#record = new TargetRecord(options.client, options.claim !== undefined);
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
      await this.#events.write(spec, this.#record.uid).catch((err: unknown) => this.#warn('event', err));
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
      await this.#events.write(spec, this.#record.uid).catch((err: unknown) => this.#warn('event', err));
    }
  }

  async #writeState(report: CycleReport): Promise<void> {
    const { client, target, namespace } = this.#o;
    const resolved = await client.resolveTarget(target, namespace);
    if (this.#record.previous === undefined) await this.#record.read(resolved);
    const previous = this.#record.previous ?? null;
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
        await this.#record.write(resolved, state);
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
      state = this.#withClaim(buildRecordedState(this.#o, report, this.#record.previous ?? null));
    }
    this.#o.logger.log({ kind: 'info', level: 2, message: `recorded status on ${this.#label} (${verdict})` });
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
    this.#record.remember(object, null);
    if (claim === undefined) return { held: true };
    const recorded = this.#record.decode(annotationOf(object)).claim;
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
        const object = await this.#record.read(resolved);
        const recorded = this.#record.decode(annotationOf(object)).claim;
        const state = this.#record.previous;
        if (recorded === null || !state || !sameHolder(recorded.holder, claim.me)) return;
        const { claim: _released, ...rest } = state;
        try {
          await this.#record.write(resolved, rest);
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
    const base = this.#record.previous ?? null;
    const state = this.#withClaim(
      base === null
        ? buildRecordedState(this.#o, claimReport(this.#label, this.#o.clock.nowMs()), null)
        : { ...base, name: this.#o.name, runner: { ...this.#o.runner } },
    );
    try {
      await this.#record.write(resolved, state);
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
