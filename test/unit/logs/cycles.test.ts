import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classify } from '../../../src/logs/classify.ts';
import { CycleReducer, reduceCycles, type Cycle } from '../../../src/logs/cycles.ts';
import { groupEntries } from '../../../src/logs/entries.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url), 'utf8');

const cyclesOf = (text: string): Cycle[] => reduceCycles(groupEntries(text).map(classify));

/** glog line at second `s` of 10:00. */
const at = (s: number, m: string, sev = 'I', file = 'x.go'): string =>
  `${sev}0101 10:00:${String(s).padStart(2, '0')}.000000       1 ${file}:1] ${m}\n`;
const clock = (s: number): string => `0101 10:00:${String(s).padStart(2, '0')}.000000`;

const PARSE_ERROR =
  "failed get evaluation: failed to parse JSON evaluation, got 'debug: 3 pods\n{\"targetReplicas\": 4}\n': invalid character 'd' looking for beginning of value";

const cases: { name: string; given: string; want: Cycle[] }[] = [
  {
    name: 'verbosity 2: evaluation, current replicas, clamp and stabilization reasons',
    given: fixture('go-v2-v2.log'),
    want: [
      {
        format: 'glog',
        clock: '0101 10:00:15.000412',
        reasons: ['ScaleDownStabilized', 'NoChange'],
        evaluation: 2,
        from: 5,
        to: 5,
      },
      {
        format: 'glog',
        clock: '0101 10:00:30.000412',
        reasons: ['ClampedToMax', 'Scaled'],
        evaluation: 12,
        from: 5,
        to: 8,
      },
      {
        format: 'glog',
        clock: '0101 10:00:45.000412',
        reasons: [],
        from: 8,
        stderr: 'curl: (7) Failed to connect to 10.0.0.7 port 5000',
        error: 'failed to get metrics: failed to gather metrics: exit status 7',
      },
    ],
  },
  {
    name: 'verbosity 3: per-pod metrics paired with their pods, per-resource metric, raw evaluator output',
    given: fixture('go-v2-v3.log'),
    want: [
      {
        format: 'glog',
        clock: '0612 14:04:05.000412',
        reasons: ['Scaled'],
        metrics: [
          {
            resource: 'flask-metric-866fcfc968-gdjxn',
            value: '{"value": 5, "available": 0, "min": 0, "max": 5}',
          },
          {
            resource: 'flask-metric-866fcfc968-zqz9n',
            value: '{"value": 0, "available": 5, "min": 0, "max": 5}',
          },
        ],
        evaluationRaw: '{"targetReplicas": 3}',
        evaluation: 3,
        from: 2,
        to: 3,
      },
      {
        format: 'glog',
        clock: '0612 14:04:20.000412',
        reasons: [],
        metrics: [{ value: '7' }],
        evaluationRaw: 'debug: 3 pods\n{"targetReplicas": 4}',
        error: PARSE_ERROR,
        from: 3,
      },
    ],
  },
  {
    name: 'v0.8: evaluation from the clamp line, rescale without from, bare error, disabled',
    given: fixture('go-v08.log'),
    want: [
      {
        format: 'stdlog',
        time: '2019-12-22T10:00:15Z',
        reasons: ['ClampedToMax', 'Scaled'],
        evaluation: 14,
        to: 10,
      },
      {
        format: 'stdlog',
        time: '2019-12-22T10:00:30Z',
        reasons: ['NoChange'],
        evaluation: 10,
        from: 10,
        to: 10,
      },
      {
        format: 'stdlog',
        time: '2019-12-22T10:00:45Z',
        reasons: ['ClampedToMin', 'Scaled'],
        evaluation: 0,
        to: 1,
      },
      { format: 'stdlog', time: '2019-12-22T10:01:00Z', reasons: [], error: 'exit status 1' },
      { format: 'stdlog', time: '2019-12-22T10:01:15Z', reasons: ['AutoscalingDisabled'], from: 0, to: 0 },
    ],
  },
  {
    name: 'a refused patch after `Rescaling …` belongs to that cycle',
    given: fixture('go-v2-v0-recovered.log'),
    want: [
      {
        format: 'glog',
        clock: '0612 14:03:35.400031',
        reasons: [],
        stderr: "No 'numPods' label on resource being managed",
        error: 'failed to get metrics: failed to gather metrics: exit status 1',
      },
      {
        format: 'glog',
        clock: '0612 14:03:45.004211',
        reasons: ['Scaled'],
        from: 4,
        to: 3,
        error:
          'failed to scale resource: failed to apply scaling changes to resource: deployments.apps "web" is forbidden: User "system:serviceaccount:default:web-cpa" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"',
      },
      { format: 'glog', clock: '0612 14:03:55.001000', reasons: ['AutoscalingDisabled'], from: 0, to: 0 },
      { format: 'glog', clock: '0612 14:04:05.004211', reasons: ['NoChange'], from: 3, to: 3 },
    ],
  },
  {
    name: 'verbosity 1: clamped to min, then held up by the window (picked above the min)',
    given:
      at(15, 'Scale target less than min at 6 replicas, setting target to min 2 replicas') +
      at(15, 'Picked max evaluation over stabilization window of 300 seconds; replicas 6') +
      at(15, 'No change in target replicas, maintaining 6 replicas'),
    want: [
      {
        format: 'glog',
        clock: clock(15),
        reasons: ['ClampedToMin', 'ScaleDownStabilized', 'NoChange'],
        from: 6,
        to: 6,
      },
    ],
  },
  {
    name: 'a failed pre-scale hook after the decision was picked: an error cycle without action',
    given:
      at(15, 'Picked max evaluation over stabilization window of 0 seconds; replicas 3') +
      at(
        15,
        'Error while autoscaling: failed to scale resource: failed run pre-scaling hook: exit status 1',
        'E',
        'main.go',
      ) +
      at(30, 'Picked max evaluation over stabilization window of 0 seconds; replicas 3') +
      at(30, 'No change in target replicas, maintaining 3 replicas'),
    want: [
      {
        format: 'glog',
        clock: clock(15),
        reasons: [],
        error: 'failed to scale resource: failed run pre-scaling hook: exit status 1',
      },
      { format: 'glog', clock: clock(30), reasons: ['NoChange'], from: 3, to: 3 },
    ],
  },
  {
    name: 'K8s metric notes and client-go warnings do not split or fail cycles',
    given:
      at(15, 'Error when retrieving K8s metrics (1/2): boom', 'E', 'metricget.go') +
      at(15, 'Failed to retrieve K8s metrics, not required so continuing: boom', 'E', 'metricget.go') +
      at(15, 'deprecated API', 'W', 'warnings.go') +
      at(15, 'Picked max evaluation over stabilization window of 0 seconds; replicas 3') +
      at(15, 'Rescaling from 2 to 3 replicas'),
    want: [{ format: 'glog', clock: clock(15), reasons: ['Scaled'], from: 2, to: 3 }],
  },
  {
    name: 'a cycle still running at the end of the log is not reported; a restart ends the previous one',
    given:
      at(15, 'Picked max evaluation over stabilization window of 0 seconds; replicas 3') +
      at(15, 'Rescaling from 2 to 3 replicas') +
      at(20, 'Custom Pod Autoscaler version: v2.12.2') +
      at(30, 'Running autoscaler') +
      at(30, 'Metrics evaluated: &{TargetReplicas:3}'),
    want: [{ format: 'glog', clock: clock(15), reasons: ['Scaled'], from: 2, to: 3 }],
  },
  {
    name: 'kubectl-cpa text log: one cycle per decision or error line',
    given: fixture('own-text.log'),
    want: [
      {
        format: 'text',
        time: '2026-06-12T14:03:15.000Z',
        reasons: ['ClampedToMax', 'Scaled'],
        metrics: [{ resource: 'web', value: '7' }],
        evaluationRaw: '{"targetReplicas": 12}',
        from: 2,
        to: 10,
        evaluation: 12,
      },
      {
        format: 'text',
        time: '2026-06-12T14:03:30.000Z',
        reasons: [],
        error: 'failed to get metrics: failed to gather metrics: metric: exit status 1',
      },
      {
        format: 'text',
        time: '2026-06-12T14:03:45.000Z',
        reasons: ['ScaleDownStabilized', 'NoChange'],
        from: 10,
        to: 10,
        evaluation: 3,
      },
      {
        format: 'text',
        time: '2026-06-12T14:03:50.000Z',
        reasons: ['Scaled'],
        from: 10,
        to: 3,
        evaluation: 3,
        runType: 'api_dry_run',
        dryRun: true,
      },
      {
        format: 'text',
        time: '2026-06-12T14:03:59.000Z',
        reasons: ['AutoscalingDisabled'],
        from: 0,
        to: 0,
        evaluation: 5,
      },
    ],
  },
  {
    name: 'kubectl-cpa JSON log gives the same cycles as the text log',
    given: fixture('own-json.log'),
    want: cyclesOf(fixture('own-text.log')).map((c) => ({ ...c, format: 'json' })),
  },
];

for (const { name, given, want } of cases) {
  test(`reduceCycles: ${name}`, () => assert.deepEqual(cyclesOf(given), want));
}

test('CycleReducer: a decided cycle waits for lines that may still belong to it', () => {
  const reducer = new CycleReducer();
  const push = (line: string): Cycle[] => groupEntries(line).flatMap((e) => reducer.push(classify(e)));
  assert.deepEqual(
    push(at(15, 'Picked max evaluation over stabilization window of 0 seconds; replicas 3')),
    [],
  );
  assert.equal(reducer.decided, false);
  assert.deepEqual(push(at(15, 'Rescaling from 2 to 3 replicas')), []);
  assert.equal(reducer.decided, true);
  const hookError = 'failed to scale resource: failed to run post-scaling hook: exit status 2';
  assert.deepEqual(push(at(15, `Error while autoscaling: ${hookError}`, 'E', 'main.go')), []);
  assert.deepEqual(reducer.flush(), [
    { format: 'glog', clock: clock(15), reasons: ['Scaled'], from: 2, to: 3, error: hookError },
  ]);
  assert.deepEqual(reducer.flush(), []);
});
