// Hand-written fixtures for the status tests: a routed fake API server with a call log, cycle reports,
// recorded states and workloads.
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import { KubeError } from '../../../src/errors.ts';
import type { KubeObject, KubeRequest, KubeResponse } from '../../../src/ports.ts';
import type { AutoscalerStatus } from '../../../src/status/model.ts';
import { SCHEMA_VERSION, STATUS_ANNOTATION, type RecordedState } from '../../../src/status/schema.ts';

/** An answer of the fake API: a body (status 200), or an HTTP error status. */
export type Answer = { body: unknown; text?: string } | { status: number; reason?: string };

/** Answers each request through `route`; records every request. Unrouted requests are 404. */
export class FakeApi {
  readonly calls: KubeRequest[] = [];
  readonly #route: (req: KubeRequest) => Answer | undefined;
  constructor(route: (req: KubeRequest) => Answer | undefined) {
    this.#route = route;
  }
  request = async (req: KubeRequest): Promise<KubeResponse> => {
    this.calls.push(req);
    const answer = this.#route(req) ?? { status: 404, reason: 'NotFound' };
    if ('status' in answer) {
      throw new KubeError(`failed to ${req.method} ${req.path}: HTTP ${answer.status}`, {
        verb: req.method.toLowerCase(),
        resource: req.path,
        status: answer.status,
        reason: answer.reason,
      });
    }
    return answer.text === undefined
      ? { status: 200, body: answer.body }
      : ({ status: 200, body: null, text: answer.text } as KubeResponse);
  };
  /** `GET /path` lines of the calls made, for asserting on which calls happened. */
  lines(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path}`);
  }
}

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A successful scaler cycle 1 → 3 at T0 + offset. */
export function scaledReport(offsetMs = 0, overrides: Partial<CycleReport> = {}): CycleReport {
  return {
    runType: 'scaler',
    target: 'deployment/team-a/web',
    startedMs: T0 + offsetMs,
    durationMs: 80,
    dryRun: false,
    metrics: [{ resource: 'web', value: '3' }],
    evaluation: 3,
    decision: { current: 1, evaluation: 3, clamped: 3, target: 3, reasons: ['Scaled'], action: 'scale' },
    scaled: true,
    ...overrides,
  };
}

/** A cycle with no change at 3 replicas. */
export function steadyReport(offsetMs: number): CycleReport {
  return scaledReport(offsetMs, {
    decision: { current: 3, evaluation: 3, clamped: 3, target: 3, reasons: ['NoChange'], action: 'none' },
    scaled: false,
  });
}

/** A cycle that failed in `stage`. */
export function failedReport(
  offsetMs: number,
  stage: 'evaluate' | 'target' | 'patch' = 'evaluate',
): CycleReport {
  return {
    runType: 'scaler',
    target: 'deployment/team-a/web',
    startedMs: T0 + offsetMs,
    durationMs: 20,
    dryRun: false,
    error: { stage, message: 'failed get evaluation: evaluate exited with status 1' },
  };
}

export const RECORD_INPUT = {
  name: 'my-autoscaler',
  runner: { host: 'laptop', pid: 42, version: '0.1.0' },
  config: {
    minReplicas: 1,
    maxReplicas: 5,
    intervalMs: 15_000,
    runMode: 'per-resource' as const,
    downscaleStabilizationSec: 0,
  },
};

/** A recorded state as `run` writes it after scaledReport(). */
export function recorded(overrides: Partial<RecordedState> = {}): RecordedState {
  return {
    schemaVersion: SCHEMA_VERSION,
    name: 'my-autoscaler',
    runner: { host: 'laptop', pid: 42, version: '0.1.0' },
    config: { ...RECORD_INPUT.config },
    cycle: { time: iso(T0), durationMs: 80, runType: 'scaler' },
    since: iso(T0),
    consecutiveFailures: 0,
    metrics: [{ resource: 'web', value: '3' }],
    evaluation: 3,
    decision: {
      from: 1,
      to: 3,
      evaluation: 3,
      clamped: 3,
      reason: 'Scaled',
      reasons: ['Scaled'],
      action: 'scaled',
      time: iso(T0),
    },
    lastScaleTime: iso(T0),
    ...overrides,
  };
}

/** A workload object as a list returns it (kind and apiVersion filled in by listAll). */
export function workload(
  kind: string,
  name: string,
  options: {
    ns?: string;
    replicas?: number;
    annotation?: string;
    owners?: unknown[];
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  const annotations: Record<string, string> = {};
  if (options.annotation !== undefined) annotations[STATUS_ANNOTATION] = options.annotation;
  return {
    apiVersion: kind === 'ReplicationController' ? 'v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: options.ns ?? 'team-a',
      uid: `uid-${name}`,
      annotations,
      labels: options.labels ?? {},
      ...(options.owners === undefined ? {} : { ownerReferences: options.owners }),
    },
    spec: { replicas: options.replicas ?? 3 },
  };
}

/** A fully known item, for renderer tests. */
export function item(overrides: Partial<AutoscalerStatus> = {}): AutoscalerStatus {
  return {
    name: 'my-autoscaler',
    namespace: 'team-a',
    source: 'annotations',
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 5,
    config: { intervalMs: 15_000, runMode: 'per-resource', downscaleStabilizationSec: 0 },
    currentReplicas: 3,
    desiredReplicas: 3,
    lastMetrics: [{ resource: 'web', value: '3' }],
    lastEvaluation: 3,
    lastDecision: { from: 1, to: 3, reason: 'Scaled', reasons: ['Scaled'], clamped: 3, time: iso(T0) },
    lastScaleTime: iso(T0),
    lastCycleTime: iso(T0),
    firstRecordedTime: iso(T0 - 3_600_000),
    lastError: null,
    consecutiveFailures: 0,
    state: 'Active',
    runner: { host: 'laptop', pid: 42, version: '0.1.0' },
    pod: null,
    hints: [],
    ...overrides,
  };
}
