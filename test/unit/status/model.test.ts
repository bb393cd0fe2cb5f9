// Items from annotations and from CustomPodAutoscaler pod logs, the STATUS column, and the item list.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeCpaLog, type LogSummary } from '../../../src/logs/summary.ts';
import type { KubeObject } from '../../../src/ports.ts';
import type { Collected } from '../../../src/status/collect.ts';
import { buildItems, isCopiedRecord, matchName } from '../../../src/status/items.ts';
import { choosePod, fromCpa, podsOfCpa, type CpaFacts } from '../../../src/status/model-cpa.ts';
import { fromAnnotated, stateOf, type AutoscalerState, type StateFacts } from '../../../src/status/model.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { iso, recorded, T0, workload } from './fixtures.ts';

describe('stateOf', () => {
  const base: StateFacts = { ageMs: 1000, staleAfterMs: 90_000, consecutiveFailures: 0, disabled: false };
  const rows: { name: string; given: Partial<StateFacts>; want: AutoscalerState }[] = [
    { name: 'recent and fine', given: {}, want: 'Active' },
    { name: 'old record', given: { ageMs: 90_001 }, want: 'Stale' },
    {
      name: 'a runner that stopped while failing is Stale first',
      given: { ageMs: 100_000, consecutiveFailures: 2 },
      want: 'Stale',
    },
    { name: 'failures', given: { consecutiveFailures: 1 }, want: 'Failing' },
    { name: 'disabled', given: { disabled: true }, want: 'Disabled' },
    { name: 'paused wins over everything', given: { paused: true, noPod: true }, want: 'Paused' },
    { name: 'no pod', given: { noPod: true }, want: 'NoPod' },
    { name: 'unreadable log', given: { unknown: true, consecutiveFailures: 3 }, want: 'Unknown' },
    { name: 'no time known is not stale', given: { ageMs: null }, want: 'Active' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(stateOf({ ...base, ...row.given }), row.want));
});

describe('fromAnnotated', () => {
  it('a workload without the annotation is not an autoscaler', () => {
    assert.equal(fromAnnotated(workload('Deployment', 'web'), T0), null);
  });

  it('reads every field of a recorded state', () => {
    const got = fromAnnotated(
      workload('Deployment', 'web', { annotation: encodeState(recorded()), replicas: 3 }),
      T0 + 5000,
    );
    assert.deepEqual(got, {
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
      firstRecordedTime: iso(T0),
      lastError: null,
      consecutiveFailures: 0,
      state: 'Active',
      runner: { host: 'laptop', pid: 42, version: '0.1.0' },
      pod: null,
      hints: [],
    });
  });

  const rows: {
    name: string;
    given: { annotation: string; nowMs: number };
    want: [AutoscalerState, RegExp | null];
  }[] = [
    {
      name: 'a record older than the stale age',
      given: { annotation: encodeState(recorded()), nowMs: T0 + 91_000 },
      want: ['Stale', /still running/],
    },
    {
      name: 'failing',
      given: { annotation: encodeState(recorded({ consecutiveFailures: 4 })), nowMs: T0 },
      want: ['Failing', null],
    },
    {
      name: 'an unreadable record is shown, not dropped, as malformed',
      given: { annotation: '{bad', nowMs: T0 },
      want: ['Invalid', /annotation is malformed: not JSON/],
    },
    {
      name: 'a record of a newer schema is unknown, not malformed',
      given: { annotation: JSON.stringify({ ...recorded(), schemaVersion: 2 }), nowMs: T0 },
      want: ['Unknown', /cannot be read: schemaVersion 2 is not 1/],
    },
    {
      name: 'one field of the wrong type makes the record Invalid and is named',
      given: { annotation: JSON.stringify({ ...recorded(), evaluation: '3' }), nowMs: T0 },
      want: ['Invalid', /malformed: evaluation: want a number, got "3"$/],
    },
    {
      name: 'metrics left out are mentioned',
      given: { annotation: encodeState(recorded({ metricsOmitted: 12 })), nowMs: T0 },
      want: ['Active', /12 metrics were left out/],
    },
  ];
  it('a malformed field is unknown; the fields around it are still shown', () => {
    const annotation = JSON.stringify({ ...recorded(), metrics: [{ resource: 5, value: {} }] });
    const got = fromAnnotated(workload('Deployment', 'web', { annotation }), T0);
    assert.equal(got?.lastMetrics, null);
    assert.deepEqual(got?.malformed, [
      'metrics[0].resource: want a string, got 5',
      'metrics[0].value: want a string, got an object',
    ]);
    assert.equal(got?.lastEvaluation, 3);
    assert.equal(got?.lastDecision?.to, 3);
  });

  for (const row of rows) {
    it(row.name, () => {
      const got = fromAnnotated(
        workload('Deployment', 'web', { annotation: row.given.annotation }),
        row.given.nowMs,
      );
      assert.equal(got?.state, row.want[0]);
      if (row.want[1] === null) assert.deepEqual(got?.hints, []);
      else assert.match(got?.hints.join('\n') ?? '', row.want[1]);
    });
  }
});

const cpa = (
  name: string,
  extra: { config?: Record<string, string>; annotations?: Record<string, string>; podName?: string } = {},
): KubeObject => ({
  apiVersion: 'custompodautoscaler.com/v1',
  kind: 'CustomPodAutoscaler',
  metadata: { name, namespace: 'team-a', annotations: extra.annotations ?? {} },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    template: {
      metadata: extra.podName === undefined ? {} : { name: extra.podName },
      spec: { containers: [{ name: 'c' }] },
    },
    config: Object.entries(extra.config ?? {}).map(([k, v]) => ({ name: k, value: v })),
  },
});
const pod = (
  name: string,
  extra: {
    labels?: Record<string, string>;
    owner?: string;
    phase?: string;
    created?: string;
    deleting?: boolean;
  } = {},
): KubeObject => ({
  metadata: {
    name,
    namespace: 'team-a',
    labels: extra.labels ?? {},
    creationTimestamp: extra.created ?? '2025-03-01T09:00:00Z',
    ...(extra.owner === undefined
      ? {}
      : { ownerReferences: [{ kind: 'CustomPodAutoscaler', name: extra.owner }] }),
    ...(extra.deleting ? { deletionTimestamp: '2025-03-01T10:00:00Z' } : {}),
  },
  status: { phase: extra.phase ?? 'Running' },
});

describe('podsOfCpa and choosePod', () => {
  const labelled = [pod('a', { labels: { 'v1.custompodautoscaler.com/owned-by': 'scaler' } })];
  const rows: { name: string; given: [KubeObject, KubeObject[], KubeObject[]]; want: string[] }[] = [
    { name: 'by the owned-by label', given: [cpa('scaler'), labelled, []], want: ['a'] },
    {
      name: 'by owner reference (operators before v1.3)',
      given: [cpa('scaler'), [], [pod('x', { owner: 'scaler' }), pod('y')]],
      want: ['x'],
    },
    {
      name: 'by the template pod name (provisionPod: false)',
      given: [cpa('scaler', { podName: 'custom' }), [], [pod('custom'), pod('scaler')]],
      want: ['custom'],
    },
    { name: 'by the CR name', given: [cpa('scaler'), [], [pod('scaler')]], want: ['scaler'] },
    { name: 'none', given: [cpa('scaler'), [], [pod('other')]], want: [] },
  ];
  for (const row of rows)
    it(row.name, () =>
      assert.deepEqual(
        podsOfCpa(...row.given).map((p) => p.metadata?.name),
        row.want,
      ),
    );

  it('choosePod prefers the newest pod that is not terminating', () => {
    const pods = [
      pod('old', { created: '2025-03-01T08:00:00Z' }),
      pod('new', { created: '2025-03-01T09:30:00Z' }),
      pod('going', { created: '2025-03-01T09:59:00Z', deleting: true }),
    ];
    assert.equal(choosePod(pods)?.metadata?.name, 'new');
  });
});

describe('fromCpa', () => {
  const summary =
    (s: Partial<LogSummary>): ((text: string) => LogSummary) =>
    () => ({ verbosity: 0, consecutiveFailures: 0, ...s });
  const facts = (f: Partial<CpaFacts>): CpaFacts => ({
    cpa: cpa('scaler', { config: { minReplicas: '2', maxReplicas: '8', interval: '10000' } }),
    pods: [pod('scaler')],
    log: { text: 'log' },
    currentReplicas: 4,
    summarize: summary({}),
    ...f,
  });

  it('a V0 log: decision known, evaluation and metrics unknown with hints', () => {
    const got = fromCpa(
      facts({
        summarize: summary({
          lastCycleTime: iso(T0),
          lastDecision: { from: 2, to: 4, reason: 'Scaled', time: iso(T0) },
          lastScale: { from: 2, to: 4, time: iso(T0) },
        }),
      }),
      T0 + 1000,
    );
    assert.equal(got.state, 'Active');
    assert.deepEqual(
      [got.minReplicas, got.maxReplicas, got.config.intervalMs, got.currentReplicas, got.desiredReplicas],
      [2, 8, 10_000, 4, 4],
    );
    assert.deepEqual(got.lastDecision, { from: 2, to: 4, reason: 'Scaled', time: iso(T0) });
    assert.equal(got.lastScaleTime, iso(T0));
    assert.equal(got.lastEvaluation, null);
    assert.equal(got.lastMetrics, null);
    assert.match(got.hints.join('\n'), /logVerbosity 3/);
    assert.equal(got.source, 'logs');
    assert.deepEqual(got.pod, { name: 'scaler', phase: 'Running', count: 1 });
  });

  it('a V3 log: metrics and evaluation known, no hints', () => {
    const got = fromCpa(
      facts({
        summarize: summary({
          verbosity: 3,
          lastMetrics: ['5'],
          lastEvaluation: 6,
          lastDecision: { from: 4, to: 6, reason: 'Scaled' },
        }),
      }),
      T0,
    );
    assert.deepEqual(got.lastMetrics, [{ value: '5' }]);
    assert.equal(got.lastEvaluation, 6);
    assert.deepEqual(got.hints, []);
  });

  const states: {
    name: string;
    given: Partial<CpaFacts>;
    nowMs?: number;
    want: [AutoscalerState, RegExp];
  }[] = [
    { name: 'no pod', given: { pods: [], log: undefined }, want: ['NoPod', /no autoscaler pod found/] },
    {
      name: 'log unreadable (no kubelet)',
      given: { log: { error: 'pod does not have a host assigned' } },
      want: ['Unknown', /cannot be read \(pod does not have a host assigned\).*kubectl cpa logs scaler/],
    },
    {
      name: 'paused',
      given: {
        cpa: cpa('scaler', { annotations: { 'v1.custompodautoscaler.com/paused-replicas': '2' } }),
        pods: [],
        log: undefined,
      },
      want: ['Paused', /paused at 2 replicas/],
    },
    {
      name: 'failing',
      given: {
        summarize: summary({
          consecutiveFailures: 3,
          lastError: { message: 'Error while autoscaling: failed to get metrics' },
        }),
      },
      want: ['Failing', /no decision in the log yet/],
    },
    {
      name: 'stale after 3 intervals of the CR config',
      given: { summarize: summary({ lastCycleTime: iso(T0), lastDecision: { to: 2, reason: 'NoChange' } }) },
      nowMs: T0 + 31_000,
      want: ['Stale', /logVerbosity/],
    },
    {
      name: 'disabled',
      given: { summarize: summary({ lastDecision: { to: 0, reason: 'AutoscalingDisabled' } }) },
      want: ['Disabled', /logVerbosity/],
    },
    {
      name: 'two pods',
      given: {
        pods: [pod('a'), pod('b')],
        summarize: summary({ lastDecision: { to: 2, reason: 'NoChange' } }),
      },
      want: ['Active', /2 autoscaler pods found/],
    },
    {
      name: 'an empty log (no node ran the pod)',
      given: { log: { text: '' } },
      want: ['Unknown', /the pod log is empty/],
    },
    {
      name: 'a log with start-up lines only',
      given: { summarize: summary({ version: 'v2.12.2' }) },
      want: ['Unknown', /no autoscaling cycle yet/],
    },
  ];
  for (const row of states) {
    it(`state: ${row.name}`, () => {
      const got = fromCpa(facts(row.given), row.nowMs ?? T0);
      assert.equal(got.state, row.want[0]);
      assert.match(got.hints.join('\n'), row.want[1]);
    });
  }
});

describe('fromCpa with the real log summary', () => {
  // A Go CPA at logVerbosity 0, read with kubelet timestamps: a rescale, then a failing cycle.
  const LOG = [
    '2025-03-01T10:00:15.004211000Z I0301 10:00:15.004211       1 scaling.go:111] Picked max evaluation over stabilization window of 0 seconds; replicas 3',
    '2025-03-01T10:00:15.004290000Z I0301 10:00:15.004290       1 scaling.go:134] Rescaling from 1 to 3 replicas',
    "2025-03-01T10:00:30.120001000Z I0301 10:00:30.120001       1 shell.go:90] Shell command failed, stderr: No 'numPods' label",
    '2025-03-01T10:00:30.120044000Z E0301 10:00:30.120044       1 main.go:266] Error while autoscaling: failed to get metrics: failed to gather metrics: exit status 1',
    '',
  ].join('\n');

  it('shows the decision, the scale and the failure; metrics and evaluation unknown at V0', () => {
    const got = fromCpa(
      {
        cpa: cpa('scaler'),
        pods: [pod('scaler')],
        log: { text: LOG },
        currentReplicas: 3,
        summarize: summarizeCpaLog,
      },
      Date.parse('2025-03-01T10:00:40Z'),
    );
    assert.equal(got.state, 'Failing');
    assert.deepEqual(got.lastDecision, {
      from: 1,
      to: 3,
      reason: 'Scaled',
      time: '2025-03-01T10:00:15.004211000Z',
    });
    assert.equal(got.lastScaleTime, '2025-03-01T10:00:15.004211000Z');
    assert.equal(got.consecutiveFailures, 1);
    assert.match(
      got.lastError?.message ?? '',
      /failed to get metrics: failed to gather metrics: exit status 1/,
    );
    assert.deepEqual([got.lastMetrics, got.lastEvaluation], [null, null]);
  });
});

describe('items', () => {
  const owned = [{ kind: 'Deployment', name: 'web', controller: true }];
  it('a ReplicaSet of a Deployment carries a copy of the record, not its own', () => {
    assert.equal(isCopiedRecord(workload('ReplicaSet', 'web-123', { owners: owned })), true);
    assert.equal(isCopiedRecord(workload('ReplicaSet', 'rs')), false);
    assert.equal(isCopiedRecord(workload('Deployment', 'web')), false);
  });

  const collected = (): Collected => ({
    workloads: [
      workload('Deployment', 'web', { annotation: encodeState(recorded({ name: 'zeta' })) }),
      workload('ReplicaSet', 'web-123', {
        owners: owned,
        annotation: encodeState(recorded({ name: 'zeta' })),
      }),
      workload('StatefulSet', 'db', { annotation: encodeState(recorded({ name: 'alpha' })) }),
      workload('Deployment', 'plain'),
    ],
    cpas: [cpa('middle')],
    podsOf: new Map(),
    logs: new Map(),
    replicasOf: new Map([['team-a/middle', 3]]),
    warnings: [],
  });

  it('one item per autoscaler, sorted by name, copies skipped', () => {
    const items = buildItems(collected(), T0, () => ({ verbosity: 'unknown', consecutiveFailures: 0 }));
    assert.deepEqual(
      items.map((i) => [i.name, i.source, `${i.target.kind}/${i.target.name}`]),
      [
        ['alpha', 'annotations', 'StatefulSet/db'],
        ['middle', 'logs', 'Deployment/web'],
        ['zeta', 'annotations', 'Deployment/web'],
      ],
    );
    assert.equal(items[1]?.currentReplicas, 3);
  });

  it('NAME matches the autoscaler name or its target name', () => {
    const items = buildItems(collected(), T0, () => ({ verbosity: 'unknown', consecutiveFailures: 0 }));
    assert.deepEqual(
      matchName(items, 'alpha').map((i) => i.name),
      ['alpha'],
    );
    assert.deepEqual(
      matchName(items, 'web').map((i) => i.name),
      ['middle', 'zeta'],
    );
    assert.deepEqual(matchName(items, 'nope'), []);
    assert.equal(matchName(items, undefined).length, 3);
  });
});
