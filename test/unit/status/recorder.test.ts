// The recorder against a fake API server: which writes happen after which cycles, and that a failed
// write never fails the cycle.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CycleReport } from '../../../src/autoscaler/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { KubeObject, KubeRequest, ResolvedTarget } from '../../../src/ports.ts';
import { autoscalerName, shouldRecord } from '../../../src/status/record.ts';
import { createRecorder } from '../../../src/status/recorder.ts';
import { decodeState } from '../../../src/status/decode-state.ts';
import { encodeState, STATUS_ANNOTATION } from '../../../src/status/schema.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import {
  failedReport,
  FakeApi,
  RECORD_INPUT,
  recorded,
  scaledReport,
  steadyReport,
  T0,
  type Answer,
} from './fixtures.ts';

const TARGET_PATH = '/apis/apps/v1/namespaces/team-a/deployments/web';
const EVENTS_PATH = '/api/v1/namespaces/team-a/events';

interface Cluster {
  api: FakeApi;
  logs: LogEvent[];
  clock: FakeClock;
  annotations: Record<string, string>;
  record: (report: CycleReport) => Promise<void>;
}

/** A deployment `web` in team-a; `fail` makes calls matching a method+path prefix answer with an HTTP status. */
function cluster(options: { annotation?: string; fail?: Record<string, Answer> } = {}): Cluster {
  const annotations: Record<string, string> = {};
  if (options.annotation !== undefined) annotations[STATUS_ANNOTATION] = options.annotation;
  const object = (): KubeObject => ({
    metadata: { name: 'web', namespace: 'team-a', uid: 'uid-web', annotations: { ...annotations } },
  });
  const api = new FakeApi((req: KubeRequest) => {
    for (const [key, answer] of Object.entries(options.fail ?? {}))
      if (`${req.method} ${req.path}`.startsWith(key)) return answer;
    if (req.path === TARGET_PATH && req.method === 'GET') return { body: object() };
    if (req.path === TARGET_PATH && req.method === 'PATCH') {
      const patch = req.body as { metadata: { annotations: Record<string, string> } };
      Object.assign(annotations, patch.metadata.annotations);
      return { body: object() };
    }
    if (req.path.startsWith(EVENTS_PATH)) return { body: req.body ?? {} };
    return undefined;
  });
  const resolved: ResolvedTarget = {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    name: 'web',
    namespace: 'team-a',
    hasScale: true,
  };
  const client = {
    resolveTarget: async () => resolved,
    getObject: async () => (await api.request({ method: 'GET', path: TARGET_PATH })).body as KubeObject,
    request: api.request,
  };
  const logs: LogEvent[] = [];
  const clock = new FakeClock(T0);
  const record = createRecorder({
    ...RECORD_INPUT,
    client,
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'team-a',
    clock,
    logger: { log: (e) => void logs.push(e), enabled: () => true },
  });
  return { api, logs, clock, annotations, record };
}

describe('shouldRecord', () => {
  const rows: { name: string; given: CycleReport; want: boolean }[] = [
    { name: 'a loop cycle that decided', given: scaledReport(), want: true },
    { name: 'a failed cycle', given: failedReport(0), want: true },
    { name: '--dry-run', given: scaledReport(0, { dryRun: true }), want: false },
    { name: 'a REST API dry run', given: scaledReport(0, { runType: 'api_dry_run' }), want: false },
    {
      name: 'a REST API metrics request that stopped before deciding',
      given: { ...scaledReport(0, { runType: 'api' }), decision: undefined },
      want: false,
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(shouldRecord(row.given), row.want));
});

describe('autoscalerName', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  const rows = [
    { name: 'the directory base name', given: '/home/me/my-autoscaler', want: 'my-autoscaler' },
    { name: 'a trailing slash is ignored', given: '/home/me/my-autoscaler/', want: 'my-autoscaler' },
    { name: 'the root directory falls back to the target name', given: '/', want: 'web' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(autoscalerName(row.given, ref), row.want));
});

describe('createRecorder', () => {
  it('first cycle: reads the target once, patches the annotation, creates a SuccessfulRescale Event', async () => {
    const c = cluster();
    await c.record(scaledReport());
    assert.deepEqual(c.api.lines(), [`GET ${TARGET_PATH}`, `PATCH ${TARGET_PATH}`, `POST ${EVENTS_PATH}`]);
    assert.equal(c.api.calls[1]?.contentType, 'application/merge-patch+json');
    assert.deepEqual(decodeState(c.annotations[STATUS_ANNOTATION]).state, recorded());
    const event = c.api.calls[2]?.body as {
      involvedObject: { uid: string };
      reason: string;
      message: string;
    };
    assert.equal(event.involvedObject.uid, 'uid-web');
    assert.equal(event.reason, 'SuccessfulRescale');
  });

  it('a steady cycle within the heartbeat period writes nothing; a minute later it writes a heartbeat', async () => {
    const c = cluster();
    await c.record(scaledReport());
    await c.record(steadyReport(15_000));
    const afterChange = c.api.calls.length;
    await c.record(steadyReport(30_000));
    assert.equal(c.api.calls.length, afterChange, 'no write for an unchanged state');
    await c.record(steadyReport(75_000));
    assert.equal(c.api.lines().at(-1), `PATCH ${TARGET_PATH}`);
    assert.equal(
      decodeState(c.annotations[STATUS_ANNOTATION]).state?.cycle.time,
      new Date(T0 + 75_000).toISOString(),
    );
  });

  it('carries the failure count and last scale time on from what a previous run recorded', async () => {
    const c = cluster({ annotation: encodeState(recorded({ consecutiveFailures: 2 })) });
    await c.record(failedReport(15_000));
    const state = decodeState(c.annotations[STATUS_ANNOTATION]).state;
    assert.equal(state?.consecutiveFailures, 3);
    assert.equal(state?.lastScaleTime, recorded().lastScaleTime);
  });

  it('a repeated failure updates the count of one Event instead of creating more', async () => {
    const c = cluster();
    for (let i = 0; i < 3; i++) {
      c.clock.now = T0 + i * 15_000;
      await c.record(failedReport(i * 15_000));
    }
    const events = c.api.calls.filter((call) => call.path.startsWith(EVENTS_PATH));
    assert.deepEqual(
      events.map((e) => e.method),
      ['POST', 'PATCH', 'PATCH'],
    );
    assert.deepEqual((events[2]?.body as { count: number }).count, 3);
  });

  it('an Event that expired is created again', async () => {
    const c = cluster({ fail: { [`PATCH ${EVENTS_PATH}/`]: { status: 404 } } });
    await c.record(failedReport(0));
    await c.record(failedReport(15_000));
    const events = c.api.calls.filter((call) => call.path.startsWith(EVENTS_PATH));
    assert.deepEqual(
      events.map((e) => e.method),
      ['POST', 'PATCH', 'POST'],
    );
    const names = [events[0], events[2]].map(
      (e) => (e?.body as { metadata: { name: string } }).metadata.name,
    );
    assert.notEqual(names[0], names[1]);
  });

  it('a forbidden annotation write is one warning with the RBAC hint, repeats are quiet, the cycle goes on', async () => {
    const c = cluster({ fail: { [`PATCH ${TARGET_PATH}`]: { status: 403, reason: 'Forbidden' } } });
    await c.record(failedReport(0));
    await c.record(failedReport(15_000));
    const warnings = c.logs.filter((l) => l.kind === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]?.kind === 'warning' ? warnings[0].message : '',
      /failed to record status annotation on deployment\/team-a\/web: .*403/,
    );
    assert.equal(c.logs.filter((l) => l.kind === 'info' && l.level === 1).length, 1);
    assert.equal(c.api.lines().filter((l) => l.startsWith('POST')).length, 1, 'the Event is still written');
  });

  it('a target that cannot be read gets an Event but no annotation attempt', async () => {
    const c = cluster();
    await c.record(failedReport(0, 'target'));
    assert.deepEqual(c.api.lines(), [`POST ${EVENTS_PATH}`]);
    assert.equal((c.api.calls[0]?.body as { reason: string }).reason, 'FailedGetScale');
  });

  it('a cycle the API did not answer records nothing: each write would wait out another timeout', async () => {
    const c = cluster();
    const report = failedReport(0, 'patch');
    report.error = { ...report.error!, unreachable: true };
    await c.record(report);
    assert.deepEqual(c.api.calls, []);
  });

  it('dry runs write nothing', async () => {
    const c = cluster();
    await c.record(scaledReport(0, { dryRun: true }));
    assert.deepEqual(c.api.calls, []);
  });
});
