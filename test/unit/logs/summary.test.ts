import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { summarizeCpaLog, type LogSummary } from '../../../src/logs/summary.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url), 'utf8');

const TRACEBACK_ERROR =
  "failed get evaluation: failed to parse JSON evaluation, got 'debug: 3 pods\n{\"targetReplicas\": 4}\n': invalid character 'd' looking for beginning of value";

const cases: { name: string; given: string; want: LogSummary }[] = [
  {
    name: 'Go CPA at verbosity 0: decision and scale known, evaluation and metrics not, two failures at the end',
    given: fixture('go-v2-v0.log'),
    want: {
      version: 'v2.12.2',
      verbosity: 0,
      lastDecision: { from: 4, to: 4, reason: 'NoChange' },
      lastScale: { from: 2, to: 4 },
      lastError: { message: TRACEBACK_ERROR },
      consecutiveFailures: 2,
    },
  },
  {
    name: 'kubelet --timestamps stamps give RFC 3339 times to cycles, decisions, scales and errors',
    given: fixture('go-v2-v0-timestamps.log'),
    want: {
      version: 'v2.12.2',
      verbosity: 0,
      lastCycleTime: '2026-06-12T14:03:45.512230123Z',
      lastDecision: { from: 4, to: 4, reason: 'NoChange', time: '2026-06-12T14:03:25.2981205Z' },
      lastScale: { from: 2, to: 4, time: '2026-06-12T14:03:15.3107425Z' },
      lastError: { message: TRACEBACK_ERROR, time: '2026-06-12T14:03:45.512230123Z' },
      consecutiveFailures: 2,
    },
  },
  {
    name: 'a refused patch is not a scale; later good cycles reset the failure count; stderr joins the error',
    given: fixture('go-v2-v0-recovered.log'),
    want: {
      version: 'v2.12.2',
      verbosity: 0,
      lastDecision: { from: 3, to: 3, reason: 'NoChange' },
      lastError: {
        message:
          'failed to scale resource: failed to apply scaling changes to resource: deployments.apps "web" is forbidden: User "system:serviceaccount:default:web-cpa" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"',
      },
      consecutiveFailures: 0,
    },
  },
  {
    name: 'Go CPA at verbosity 2: raw evaluation, clamp and stabilization reasons, current replicas from the scale dump',
    given: fixture('go-v2-v2.log'),
    want: {
      version: 'v2.12.2',
      verbosity: 2,
      lastEvaluation: 12,
      lastDecision: { from: 5, to: 8, reason: 'ClampedToMax' },
      lastScale: { from: 5, to: 8 },
      lastError: {
        message:
          'failed to get metrics: failed to gather metrics: exit status 7 (stderr: curl: (7) Failed to connect to 10.0.0.7 port 5000)',
      },
      consecutiveFailures: 1,
    },
  },
  {
    name: 'Go CPA at verbosity 3: metric values of the latest cycle (per-resource after per-pod)',
    given: fixture('go-v2-v3.log'),
    want: {
      verbosity: 3,
      lastEvaluation: 3,
      lastMetrics: ['7'],
      lastDecision: { from: 2, to: 3, reason: 'Scaled' },
      lastScale: { from: 2, to: 3 },
      lastError: { message: TRACEBACK_ERROR },
      consecutiveFailures: 1,
    },
  },
  {
    name: 'Go CPA v0.8 standard log: evaluation from `Scale target …`, bare error, disabled',
    given: fixture('go-v08.log'),
    want: {
      verbosity: 0,
      lastCycleTime: '2019-12-22T10:01:15Z',
      lastEvaluation: 0,
      lastDecision: { from: 0, to: 0, reason: 'AutoscalingDisabled', time: '2019-12-22T10:01:15Z' },
      lastError: { message: 'exit status 1', time: '2019-12-22T10:01:00Z' },
      consecutiveFailures: 0,
    },
  },
  {
    name: 'kubectl-cpa text log: REST API dry runs are not the autoscaler’s decisions or scales',
    given: fixture('own-text.log'),
    want: {
      verbosity: 4,
      lastCycleTime: '2026-06-12T14:03:59.000Z',
      lastEvaluation: 5,
      lastMetrics: ['7'],
      lastDecision: { from: 0, to: 0, reason: 'AutoscalingDisabled', time: '2026-06-12T14:03:59.000Z' },
      lastScale: { from: 2, to: 10, time: '2026-06-12T14:03:15.000Z' },
      lastError: {
        message: 'failed to get metrics: failed to gather metrics: metric: exit status 1',
        time: '2026-06-12T14:03:30.000Z',
      },
      consecutiveFailures: 0,
    },
  },
  {
    name: 'kubectl-cpa JSON log reads the same as the text log',
    given: fixture('own-json.log'),
    want: summarizeCpaLog(fixture('own-text.log')),
  },
  {
    name: 'an empty log says nothing',
    given: '',
    want: { verbosity: 'unknown', consecutiveFailures: 0 },
  },
  {
    name: 'a fatal start-up line is the last error but not a failed cycle',
    given:
      'I0101 10:00:00.000100       1 main.go:140] Custom Pod Autoscaler version: v2.12.2\n' +
      'F0101 10:00:00.000200       1 main.go:112] Fail to parse configuration: error converting YAML to JSON\n',
    want: {
      version: 'v2.12.2',
      verbosity: 0,
      lastError: { message: 'Fail to parse configuration: error converting YAML to JSON' },
      consecutiveFailures: 0,
    },
  },
  {
    name: 'before v2.4.0 a failed cycle was logged as the bare error from main.go',
    given:
      'I0101 10:00:15.000100       1 scaling.go:111] Picked max evaluation over stabilization window of 0 seconds; replicas 2\n' +
      'I0101 10:00:15.000200       1 scaling.go:134] Rescaling from 1 to 2 replicas\n' +
      'E0101 10:00:30.000100       1 main.go:277] exit status 1\n',
    want: {
      verbosity: 0,
      lastDecision: { from: 1, to: 2, reason: 'Scaled' },
      lastScale: { from: 1, to: 2 },
      lastError: { message: 'exit status 1' },
      consecutiveFailures: 1,
    },
  },
];

for (const { name, given, want } of cases) {
  test(`summarizeCpaLog: ${name}`, () => {
    assert.deepEqual(summarizeCpaLog(given), want);
  });
}
