// Renderers are pure: items in, text out. Table on a terminal vs piped, wide, json, yaml, name, the detail
// view and --watch frames.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { alignColumns, shorten } from '../../../src/status/format.ts';
import type { AutoscalerStatus } from '../../../src/status/model.ts';
import { nameOf, renderJson, renderNames, renderYaml } from '../../../src/status/render-data.ts';
import { renderDetail } from '../../../src/status/render-detail.ts';
import { renderTable } from '../../../src/status/render-table.ts';
import { CLEAR_SCREEN, render, watchFrame, type View } from '../../../src/status/render.ts';
import { iso, item, T0 } from './fixtures.ts';

describe('text helpers', () => {
  it('shorten flattens newlines and adds an ellipsis', () =>
    assert.equal(shorten('ab\n  cdefgh', 6), 'ab cd…'));
  it('alignColumns pads like kubectl, three spaces, no trailing blanks', () => {
    assert.equal(
      alignColumns([
        ['NAME', 'X'],
        ['a-long-name', ''],
        ['b', 'yy'],
      ]),
      'NAME          X\na-long-name\nb             yy\n',
    );
  });
});

const now = T0 + 30_000;
const failing = item({
  name: 'other',
  namespace: 'team-b',
  source: 'logs',
  minReplicas: null,
  maxReplicas: null,
  lastMetrics: null,
  lastEvaluation: null,
  lastDecision: { from: 4, to: 4, reason: 'NoChange', time: iso(T0) },
  lastScaleTime: null,
  lastError: { stage: null, message: 'Error while autoscaling: failed to get metrics', time: iso(T0) },
  consecutiveFailures: 2,
  state: 'Failing',
  runner: null,
  pod: { name: 'other', phase: 'Running', count: 1 },
});

describe('renderTable', () => {
  const items = [item(), failing];
  it('piped: aligned plain columns, ASCII arrow, no colour', () => {
    const text = renderTable(items, {
      wide: false,
      allNamespaces: false,
      tty: false,
      color: false,
      nowMs: now,
    });
    assert.equal(
      text,
      [
        'NAME            TARGET           MIN         MAX         REPLICAS   DESIRED   LAST DECISION   LAST SCALE   AGE   STATUS       SOURCE',
        'my-autoscaler   Deployment/web   1           5           3          3         1->3 Scaled     30s          30s   Active       annotations',
        'other           Deployment/web   <unknown>   <unknown>   3          3         4->4 NoChange   <none>       30s   Failing(2)   logs',
        '',
      ].join('\n'),
    );
  });

  it('-A adds NAMESPACE first; wide adds metrics, evaluation, runner, pod, last error', () => {
    const text = renderTable(items, {
      wide: true,
      allNamespaces: true,
      tty: false,
      color: false,
      nowMs: now,
    });
    const [head, first, second] = text.split('\n');
    assert.match(
      head ?? '',
      /^NAMESPACE\s+NAME\s+TARGET.*SOURCE\s+METRICS\s+EVALUATION\s+RUNNER\s+POD\s+LAST ERROR$/,
    );
    assert.match(
      first ?? '',
      /^team-a\s+my-autoscaler\s.*annotations\s+web=3\s+3\s+laptop\/42\s+<none>\s+<none>$/,
    );
    assert.match(
      second ?? '',
      /^team-b\s+other\s.*logs\s+<unknown>\s+<unknown>\s+<none>\s+other \(Running\)\s+Error while autoscaling: failed to get metrics$/,
    );
  });

  it('terminal: a cli-table3 box, Unicode arrow, STATUS coloured', () => {
    const text = renderTable(items, {
      wide: false,
      allNamespaces: false,
      tty: true,
      color: true,
      nowMs: now,
    });
    assert.match(text, /^┌/);
    assert.match(text, /1→3 Scaled/);
    assert.match(text, /\u001b\[32mActive\u001b\[0m/);
    assert.match(text, /\u001b\[31mFailing\(2\)\u001b\[0m/);
  });

  it('terminal with NO_COLOR: the box without any escape sequence', () => {
    const text = renderTable(items, {
      wide: false,
      allNamespaces: false,
      tty: true,
      color: false,
      nowMs: now,
    });
    assert.match(text, /│ my-autoscaler │/);
    assert.doesNotMatch(text, /\u001b/);
  });
});

describe('json, yaml, name', () => {
  it('json: the documented AutoscalerStatusList', () => {
    const doc = JSON.parse(renderJson([item()])) as {
      apiVersion: string;
      kind: string;
      items: AutoscalerStatus[];
    };
    assert.deepEqual([doc.apiVersion, doc.kind], ['kubectl-cpa.io/v1', 'AutoscalerStatusList']);
    assert.deepEqual(doc.items, [item()]);
    for (const key of [
      'name',
      'namespace',
      'source',
      'target',
      'minReplicas',
      'maxReplicas',
      'currentReplicas',
      'desiredReplicas',
      'lastMetrics',
      'lastEvaluation',
      'lastDecision',
      'lastScaleTime',
      'lastError',
      'state',
    ])
      assert.ok(key in (doc.items[0] ?? {}), key);
  });
  it('yaml: the same document', () => {
    assert.deepEqual(parse(renderYaml([item(), failing])), JSON.parse(renderJson([item(), failing])));
  });
  const names: { name: string; given: AutoscalerStatus; want: string }[] = [
    { name: 'an annotated Deployment', given: item(), want: 'deployment.apps/web' },
    {
      name: 'an annotated ReplicationController (core group)',
      given: item({ target: { apiVersion: 'v1', kind: 'ReplicationController', name: 'rc' } }),
      want: 'replicationcontroller/rc',
    },
    {
      name: 'a CustomPodAutoscaler',
      given: failing,
      want: 'custompodautoscaler.custompodautoscaler.com/other',
    },
  ];
  for (const row of names) it(`name: ${row.name}`, () => assert.equal(nameOf(row.given), row.want));
  it('name: one per line', () =>
    assert.equal(
      renderNames([item(), failing]),
      'deployment.apps/web\ncustompodautoscaler.custompodautoscaler.com/other\n',
    ));
});

describe('renderDetail', () => {
  it('describes the decision chain, the conditions and the Events', () => {
    const clamped = item({
      lastEvaluation: 9,
      desiredReplicas: 5,
      lastDecision: {
        from: 3,
        to: 5,
        reason: 'ClampedToMax',
        reasons: ['ClampedToMax', 'Scaled'],
        clamped: 5,
        time: iso(T0),
      },
    });
    const events = [
      {
        type: 'Normal',
        reason: 'SuccessfulRescale',
        lastTime: iso(T0),
        firstTime: iso(T0 - 600_000),
        count: 3,
        from: 'kubectl-cpa',
        message: 'New size: 5; reason: evaluation 9 above maxReplicas 5',
      },
    ];
    const text = renderDetail(clamped, { nowMs: now, color: false, events });
    for (const line of [
      /^Name: {21}my-autoscaler$/m,
      /^Reference: {16}Deployment\/web$/m,
      /^Deployment pods: {10}3 current \/ 5 desired$/m,
      /^Status: {19}Active \(last cycle 30s ago\)$/m,
      /^Last decision: {12}ClampedToMax, 30s ago \(2025-03-01T10:00:00.000Z\)$/m,
      /^ {2}Metrics: +web=3$/m,
      /^ {2}Clamp: +9 → 5 \(maxReplicas 5\)$/m,
      /^ {2}Stabilization: +5 \(no downscale window\)$/m,
      /^ {2}Action: +scaled 3 → 5$/m,
      /^ {2}ScalingLimited +True +TooManyReplicas +the evaluation 9 is above maxReplicas 5$/m,
      /^ {2}Normal +SuccessfulRescale +30s \(x3 over 10m\) +kubectl-cpa +New size: 5/m,
    ])
      assert.match(text, line);
  });
  it('says when there are no Events, or when they could not be read', () => {
    assert.match(renderDetail(item(), { nowMs: now, color: false, events: [] }), /^Events: {2}<none>$/m);
    assert.match(renderDetail(item(), { nowMs: now, color: false, events: null }), /^Events: {2}<unknown>/m);
  });
  it('lists the hints of a log-sourced item', () => {
    const text = renderDetail(item({ ...failing, hints: ['metric values are logged at logVerbosity 3'] }), {
      nowMs: now,
      color: false,
      events: [],
    });
    assert.match(text, /^Hints:\n {2}- metric values are logged at logVerbosity 3$/m);
    assert.match(
      text,
      /^ {2}ScalingActive +False +FailedComputeMetrics +Error while autoscaling: failed to get metrics$/m,
    );
  });
});

describe('render and watchFrame', () => {
  const view = (v: Partial<View>): View => ({
    items: [item()],
    output: 'table',
    allNamespaces: false,
    tty: false,
    color: false,
    nowMs: now,
    ...v,
  });

  it('NAME with one result shows the detail view; with several, the table', () => {
    assert.match(render(view({ name: 'my-autoscaler', events: [] })), /^Name:/);
    assert.match(render(view({ name: 'web', items: [item(), item({ name: 'b' })] })), /^NAME /);
    assert.match(render(view({ name: 'my-autoscaler', output: 'json' })), /AutoscalerStatusList/);
  });
  it('an empty table renders nothing (the command says so on stderr)', () => {
    assert.equal(render(view({ items: [] })), '');
  });

  it('piped: the first frame is the whole table, later frames only changed rows, nothing when unchanged', () => {
    const first = watchFrame(null, view({}));
    assert.match(first.text, /^NAME /);
    const same = watchFrame(first.seen, view({ nowMs: now + 2000 }));
    assert.equal(same.text, '');
    const changed = watchFrame(
      same.seen,
      view({ items: [item({ currentReplicas: 4 }), item({ name: 'b' })] }),
    );
    assert.deepEqual(
      changed.text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
      ['my-autoscaler', 'b'],
    );
  });
  it('piped json: changed items as objects', () => {
    const first = watchFrame(null, view({ output: 'json' }));
    const next = watchFrame(first.seen, view({ output: 'json', items: [item({ state: 'Stale' })] }));
    assert.equal((JSON.parse(next.text) as AutoscalerStatus).state, 'Stale');
  });
  it('terminal: every frame clears the screen and redraws everything', () => {
    const first = watchFrame(null, view({ tty: true }));
    const again = watchFrame(first.seen, view({ tty: true }));
    assert.ok(again.text.startsWith(CLEAR_SCREEN));
    assert.match(again.text, /my-autoscaler/);
  });
});
