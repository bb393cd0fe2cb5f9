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
import { render, type View } from '../../../src/status/render.ts';
import { watchFrame } from '../../../src/status/render-watch.ts';
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
  const options = { wide: false, allNamespaces: false, tty: false, color: false, nowMs: now };
  it("kubectl get hpa's columns, borderless, three spaces apart, AGE since first recorded", () => {
    assert.equal(
      renderTable(items, options),
      [
        'NAME            REFERENCE        LAST EVALUATION   MINPODS     MAXPODS     REPLICAS   AGE',
        'my-autoscaler   Deployment/web   3                 1           5           3          60m',
        'other           Deployment/web   <unknown>         <unknown>   <unknown>   3          60m',
        '',
      ].join('\n'),
    );
  });

  it('the same layout on a terminal and in a pipe (no box), STATUS coloured in -o wide only when asked', () => {
    const wide = { ...options, wide: true };
    const piped = renderTable(items, wide);
    assert.equal(renderTable(items, { ...wide, tty: true }), piped);
    const coloured = renderTable(items, { ...wide, tty: true, color: true });
    assert.doesNotMatch(piped, /[│┌\u001b]/);
    assert.match(coloured, /\u001b\[32mActive\u001b\[0m/);
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), piped);
  });

  it('-A adds NAMESPACE first; -o wide adds LAST SCALE, STATUS, SOURCE, HELD BY, LEADER', () => {
    const text = renderTable(items, { ...options, wide: true, allNamespaces: true });
    const [head, first, second] = text.split('\n');
    assert.match(
      head ?? '',
      /^NAMESPACE\s+NAME\s+REFERENCE\s.*AGE\s+LAST SCALE\s+STATUS\s+SOURCE\s+HELD BY\s+LEADER$/,
    );
    assert.match(
      first ?? '',
      /^team-a\s+my-autoscaler\s.*60m\s+30s\s+Active\s+annotations\s+<none>\s+<none>$/,
    );
    assert.match(second ?? '', /^team-b\s+other\s.*60m\s+<none>\s+Failing\(2\)\s+logs\s+<none>\s+<none>$/);
  });

  it('-o wide HELD BY names the holder of the claim on the target', () => {
    const text = renderTable([item({ heldBy: 'web on laptop (pid 42)' })], { ...options, wide: true });
    assert.match(text.split('\n')[1] ?? '', /\sannotations\s+web on laptop \(pid 42\)\s+<none>$/);
  });

  it('AGE is <unknown> for a record written before the first-recorded time existed', () =>
    assert.match(renderTable([item({ firstRecordedTime: null })], options), /\s<unknown>\n$/));
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

  it('-w: the first frame is the whole table, later frames one line per changed item, nothing when unchanged', () => {
    const first = watchFrame(null, view({}));
    assert.match(first.text, /^NAME /);
    // Time passing and a heartbeat (a new cycle time alone) are not changes.
    const same = watchFrame(
      first.seen,
      view({ nowMs: now + 2000, items: [item({ lastCycleTime: iso(T0 + 60_000) })] }),
    );
    assert.equal(same.text, '');
    const changed = watchFrame(
      same.seen,
      view({ items: [item({ currentReplicas: 4 }), item({ name: 'b' })] }),
    );
    assert.deepEqual(
      changed.text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(0, 6).join(' ')),
      ['my-autoscaler Deployment/web 3 1 5 4', 'b Deployment/web 3 1 5 3'],
    );
  });
  it('-w: a later line keeps the columns of the first table (as kubectl remembers widths)', () => {
    const items = [item({ name: 'a-rather-long-autoscaler-name' }), item({ name: 'b' })];
    const first = watchFrame(null, view({ items }));
    const next = watchFrame(
      first.seen,
      view({ items: [items[0]!, item({ name: 'b', currentReplicas: 4 })] }),
    );
    const header = first.text.split('\n')[0] ?? '';
    assert.equal(next.text.indexOf('Deployment/web'), header.indexOf('REFERENCE'));
    assert.equal(next.text.indexOf(' 4 ') + 1, header.indexOf('REPLICAS'));
  });
  it('-w is the same on a terminal: no screen clearing, no redraw', () => {
    const first = watchFrame(null, view({ tty: true }));
    assert.doesNotMatch(first.text, /\u001b/);
    assert.equal(watchFrame(first.seen, view({ tty: true, nowMs: now + 4000 })).text, '');
  });
  it('--output-watch-events: EVENT column with ADDED, MODIFIED, DELETED', () => {
    const first = watchFrame(null, view({ items: [item(), item({ name: 'gone' })] }), true);
    assert.match(first.text, /^EVENT\s+NAME\s+REFERENCE/);
    assert.match(first.text, /\nADDED\s+my-autoscaler\s/);
    const next = watchFrame(first.seen, view({ items: [item({ currentReplicas: 5 })] }), true);
    assert.deepEqual(
      next.text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['MODIFIED my-autoscaler', 'DELETED gone'],
    );
  });
  it('-w -o json: each changed item as an object; with events, {type, object}', () => {
    const first = watchFrame(null, view({ output: 'json' }));
    assert.equal((JSON.parse(first.text) as AutoscalerStatus).name, 'my-autoscaler');
    const next = watchFrame(first.seen, view({ output: 'json', items: [item({ state: 'Stale' })] }), true);
    const event = JSON.parse(next.text) as { type: string; object: AutoscalerStatus };
    assert.deepEqual([event.type, event.object.state], ['MODIFIED', 'Stale']);
  });
  it('-w with the detail view: printed again only when the item changed', () => {
    const first = watchFrame(null, view({ name: 'my-autoscaler', events: [] }));
    assert.match(first.text, /^Name:/);
    assert.equal(
      watchFrame(first.seen, view({ name: 'my-autoscaler', events: [], nowMs: now + 2000 })).text,
      '',
    );
    assert.match(
      watchFrame(
        first.seen,
        view({ name: 'my-autoscaler', events: [], items: [item({ currentReplicas: 1 })] }),
      ).text,
      /^\nName:/,
    );
  });
});
