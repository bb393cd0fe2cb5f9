// `status` flags validated as a whole, and the conditions of the detail view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsOf, failureKind } from '../../../src/status/conditions.ts';
import { validateStatusFlags, type RawStatusFlags, type StatusFlags } from '../../../src/status/flags.ts';
import type { AutoscalerStatus } from '../../../src/status/model.ts';
import { iso, item, T0 } from './fixtures.ts';

describe('validateStatusFlags', () => {
  const defaults: StatusFlags = {
    allNamespaces: false,
    output: 'table',
    watch: false,
    outputWatchEvents: false,
    logLines: 500,
    verbosity: 0,
  };
  const ok: { name: string; given: [string | undefined, RawStatusFlags]; want: StatusFlags }[] = [
    { name: 'no flags', given: [undefined, {}], want: defaults },
    {
      name: 'everything set',
      given: [
        'web',
        {
          namespace: 'a',
          output: 'yaml',
          watch: true,
          selector: 'x=y',
          logLines: '100',
          v: '6',
          context: 'c',
          kubeconfig: 'k',
        },
      ],
      want: {
        ...defaults,
        name: 'web',
        namespace: 'a',
        output: 'yaml',
        watch: true,
        selector: 'x=y',
        logLines: 100,
        verbosity: 6,
        context: 'c',
        kubeconfig: 'k',
      },
    },
    {
      name: '-A',
      given: [undefined, { allNamespaces: true, output: 'wide' }],
      want: { ...defaults, allNamespaces: true, output: 'wide' },
    },
  ];
  for (const row of ok) it(row.name, () => assert.deepEqual(validateStatusFlags(...row.given), row.want));

  it('-o jsonpath=T and -o custom-columns=SPEC carry their parsed template', () => {
    const jp = validateStatusFlags(undefined, { output: 'jsonpath={.items[*].name}' });
    assert.deepEqual([jp.output, jp.jsonpath?.source], ['jsonpath', '{.items[*].name}']);
    const cc = validateStatusFlags(undefined, { output: 'custom-columns=N:.name,R:{.currentReplicas}' });
    assert.deepEqual(
      [cc.output, cc.columns?.map((c) => [c.header, c.path.source])],
      [
        'custom-columns',
        [
          ['N', '{.name}'],
          ['R', '{.currentReplicas}'],
        ],
      ],
    );
  });

  it('template problems are usage errors reported with the others', () => {
    for (const [output, part] of [
      ['jsonpath=', 'no template given'],
      ['jsonpath={.items[*}', 'error parsing jsonpath {.items[*}'],
      ['custom-columns=NAME', 'expected <header>:<json-path-expr>'],
      ['custom-columns=', 'no custom columns given'],
      ['go-template={{.}}', 'jsonpath=TEMPLATE or custom-columns=SPEC'],
    ] as const)
      assert.throws(
        () => validateStatusFlags(undefined, { output, outputWatchEvents: true }),
        (err: Error) =>
          err.message.includes(part) &&
          err.message.includes('--output-watch-events: only with -w') &&
          (err as { exitCode?: number }).exitCode === 2,
        output,
      );
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        validateStatusFlags('', {
          namespace: 'a',
          allNamespaces: true,
          output: 'xml',
          logLines: '0',
          v: 'x',
          selector: ' ',
        }),
      (err: Error) => {
        for (const part of [
          '-o/--output: "xml"',
          '-n/--namespace and -A',
          'NAME: must not be empty',
          '-l/--selector',
          '--log-lines: "0"',
          '-v: "x"',
        ])
          assert.ok(err.message.includes(part), part);
        return (err as { exitCode?: number }).exitCode === 2;
      },
    );
  });
});

describe('conditionsOf', () => {
  const failing = (stage: string | null, message: string): AutoscalerStatus =>
    item({ consecutiveFailures: 1, state: 'Failing', lastError: { stage, message, time: iso(T0) } });
  const rows: { name: string; given: AutoscalerStatus; want: string[] }[] = [
    {
      name: 'healthy after a rescale',
      given: item(),
      want: ['True/SucceededRescale', 'True/ValidMetricFound', 'False/DesiredWithinRange'],
    },
    {
      name: 'steady',
      given: item({
        lastDecision: {
          from: 3,
          to: 3,
          reason: 'NoChange',
          reasons: ['NoChange'],
          clamped: 3,
          time: iso(T0),
        },
      }),
      want: ['True/ReadyForNewScale', 'True/ValidMetricFound', 'False/DesiredWithinRange'],
    },
    {
      name: 'held by the window and clamped to min',
      given: item({
        lastDecision: {
          from: 5,
          to: 5,
          reason: 'ScaleDownStabilized',
          reasons: ['ClampedToMin', 'ScaleDownStabilized', 'NoChange'],
          clamped: 1,
          time: iso(T0),
        },
      }),
      want: ['True/ScaleDownStabilized', 'True/ValidMetricFound', 'True/TooFewReplicas'],
    },
    {
      name: 'scale read failed',
      given: failing('scale', 'x'),
      want: ['False/FailedGetScale', 'True/ValidMetricFound', 'False/DesiredWithinRange'],
    },
    {
      name: 'patch failed',
      given: failing('patch', 'x'),
      want: ['False/FailedUpdateScale', 'True/ValidMetricFound', 'False/DesiredWithinRange'],
    },
    {
      name: 'metric failed',
      given: failing('metric', 'x'),
      want: ['True/SucceededRescale', 'False/FailedComputeMetrics', 'False/DesiredWithinRange'],
    },
    {
      name: 'Go CPA log error chain: evaluate',
      given: failing(null, 'failed get evaluation: failed to parse JSON evaluation'),
      want: ['True/SucceededRescale', 'False/FailedEvaluate', 'False/DesiredWithinRange'],
    },
    {
      name: 'disabled',
      given: item({ lastDecision: { from: 0, to: 0, reason: 'AutoscalingDisabled', time: iso(T0) } }),
      want: ['True/ReadyForNewScale', 'False/ScalingDisabled', 'False/DesiredWithinRange'],
    },
    {
      name: 'nothing known yet',
      given: item({ lastDecision: null }),
      want: ['Unknown/NoDecision', 'Unknown/NoDecision', 'Unknown/NoDecision'],
    },
  ];
  for (const row of rows)
    it(row.name, () =>
      assert.deepEqual(
        conditionsOf(row.given).map((c) => `${c.status}/${c.reason}`),
        row.want,
      ),
    );

  it('a recovered autoscaler is not classified as failing by its old error', () => {
    assert.equal(
      failureKind(
        item({ consecutiveFailures: 0, lastError: { stage: 'metric', message: 'old', time: iso(T0) } }),
      ),
      null,
    );
  });
});
