import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../../src/logs/classify.ts';
import { groupEntries } from '../../../src/logs/entries.ts';
import type { LogRecord } from '../../../src/logs/records.ts';
import { formatJson, formatText, REASON_TEXT } from '../../../src/logger/format.ts';
import type { LogEvent, ReasonCode } from '../../../src/logger/events.ts';

/** A glog line with message `m` at severity `sev` from `file`. */
const glog = (m: string, sev = 'I', file = 'x.go'): string =>
  `${sev}0612 14:03:15.310742       1 ${file}:1] ${m}`;

function one(line: string): { record: LogRecord; v?: number } {
  const entries = groupEntries(line);
  assert.equal(entries.length, 1);
  const c = classify(entries[0]!);
  return c.v === undefined ? { record: c.record } : { record: c.record, v: c.v };
}

const goCases: { name: string; given: string; want: { record: LogRecord; v?: number } }[] = [
  {
    name: 'version banner',
    given: glog('Custom Pod Autoscaler version: v2.12.2'),
    want: { record: { kind: 'version', version: 'v2.12.2' }, v: 0 },
  },
  {
    name: 'start-up line',
    given: glog('Starting API using HTTPS'),
    want: { record: { kind: 'lifecycle' }, v: 0 },
  },
  {
    name: 'V1 set-up line',
    given: glog('Setting up REST API'),
    want: { record: { kind: 'lifecycle' }, v: 1 },
  },
  {
    name: 'V2 cycle start',
    given: glog('Running autoscaler'),
    want: { record: { kind: 'cycle-start' }, v: 2 },
  },
  {
    name: 'V2 scale dump gives the current replicas',
    given: glog(
      'Managed scale subresource retrieved: &Scale{ObjectMeta:{web  default},Spec:ScaleSpec{Replicas:7,},Status:ScaleStatus{Replicas:7,Selector:app=web,},}',
    ),
    want: { record: { kind: 'current', replicas: 7 }, v: 2 },
  },
  {
    name: 'V2 raw evaluation',
    given: glog('Metrics evaluated: &{TargetReplicas:-3}'),
    want: { record: { kind: 'evaluation', replicas: -3 }, v: 2 },
  },
  {
    name: 'V3 parsed evaluation',
    given: glog('Evaluation parsed: &{TargetReplicas:3}'),
    want: { record: { kind: 'evaluation', replicas: 3 }, v: 3 },
  },
  {
    name: 'V3 evaluator output spanning lines',
    given: glog('Evaluation determined: debug\n{"targetReplicas": 4}'),
    want: { record: { kind: 'evaluation-raw', raw: 'debug\n{"targetReplicas": 4}' }, v: 3 },
  },
  {
    name: 'V3 per-resource metric',
    given: glog('Metrics gathered: 7'),
    want: { record: { kind: 'metric', value: '7' }, v: 3 },
  },
  {
    name: 'V3 per-pod metric',
    given: glog('Metric gathered: {"v": 1}'),
    want: { record: { kind: 'metric', value: '{"v": 1}' }, v: 3 },
  },
  {
    name: 'V3 pod of the next metric',
    given: glog('Running metric gathering for pod: web-1'),
    want: { record: { kind: 'metric-pod', pod: 'web-1' }, v: 3 },
  },
  {
    name: 'V1 less-than-min: current replicas and the (truthful) min',
    given: glog('Scale target less than min at 5 replicas, setting target to min 2 replicas'),
    want: { record: { kind: 'clamp', current: 5, reason: 'ClampedToMin', to: 2 }, v: 1 },
  },
  {
    name: 'V1 greater-than-max prints min in place of max: only the branch is used',
    given: glog('Scale target greater than max at 5 replicas, setting target to max 1 replicas'),
    want: { record: { kind: 'clamp', current: 5, reason: 'ClampedToMax' }, v: 1 },
  },
  {
    name: 'V1 within bounds',
    given: glog('Scale target set to 5 replicas'),
    want: { record: { kind: 'clamp', current: 5 }, v: 1 },
  },
  {
    name: 'stabilized target',
    given: glog('Picked max evaluation over stabilization window of 300 seconds; replicas 8'),
    want: { record: { kind: 'picked', windowSec: 300, replicas: 8 }, v: 0 },
  },
  {
    name: 'rescale',
    given: glog('Rescaling from 5 to 8 replicas'),
    want: { record: { kind: 'action', reason: 'Scaled', from: 5, to: 8 }, v: 0 },
  },
  {
    name: 'no change',
    given: glog('No change in target replicas, maintaining 4 replicas'),
    want: { record: { kind: 'action', reason: 'NoChange', from: 4, to: 4 }, v: 0 },
  },
  {
    name: 'disabled',
    given: glog('No scaling, autoscaling disabled on resource web'),
    want: { record: { kind: 'action', reason: 'AutoscalingDisabled', from: 0, to: 0 }, v: 0 },
  },
  {
    name: 'failed shell with a traceback',
    given: glog("Shell command failed, stderr: Traceback:\n  main()\nKeyError: 'x'\n"),
    want: { record: { kind: 'stderr', text: "Traceback:\n  main()\nKeyError: 'x'", failed: true }, v: 0 },
  },
  {
    name: 'logStderr dump starts on the next line',
    given: glog('Standard error returned from shell:\nnote: 3 pods'),
    want: { record: { kind: 'stderr', text: 'note: 3 pods', failed: false }, v: 0 },
  },
  {
    name: 'V2 end marker follows the decision',
    given: glog('Scaled resource successfully'),
    want: { record: { kind: 'post' }, v: 2 },
  },
  {
    name: 'V3 patch line follows the decision',
    given: glog(
      'Applying patch: [{"op":"replace","path":"/spec/replicas","value":3}] to resource web in namespace default',
    ),
    want: { record: { kind: 'post' }, v: 3 },
  },
  {
    name: 'V3 detail without a value',
    given: glog('Attempting to run pre-scaling hook'),
    want: { record: { kind: 'detail' }, v: 3 },
  },
  {
    name: 'V3 K8s metrics line',
    given: glog('Finished querying the K8s metrics server'),
    want: { record: { kind: 'detail' }, v: 3 },
  },
  {
    name: 'V4 method call',
    given: glog("Running shell command, entrypoint: 'python', command '[/metric.py]'"),
    want: { record: { kind: 'detail' }, v: 4 },
  },
  {
    name: 'wrapped cycle error (v2.4+)',
    given: glog('Error while autoscaling: failed to get managed resource: forbidden', 'E', 'main.go'),
    want: {
      record: { kind: 'error', message: 'failed to get managed resource: forbidden', cycle: true },
      v: 0,
    },
  },
  {
    name: 'bare error from main.go (before v2.4)',
    given: glog('exit status 1', 'E', 'main.go'),
    want: { record: { kind: 'error', message: 'exit status 1', cycle: true }, v: 0 },
  },
  {
    name: 'K8s metric error does not fail the cycle',
    given: glog(
      'Failed to retrieve K8s metrics, not required so continuing: no metrics',
      'E',
      'metricget.go',
    ),
    want: {
      record: {
        kind: 'error',
        message: 'Failed to retrieve K8s metrics, not required so continuing: no metrics',
        cycle: false,
      },
      v: 0,
    },
  },
  {
    name: 'fatal start-up error',
    given: glog('Fail to read configuration file: open /config.yaml: no such file', 'F', 'main.go'),
    want: {
      record: {
        kind: 'error',
        message: 'Fail to read configuration file: open /config.yaml: no such file',
        cycle: false,
        fatal: true,
      },
      v: 0,
    },
  },
  {
    name: 'client-go warning is ignored',
    given: glog('Use tokens from the TokenRequest API', 'W', 'warnings.go'),
    want: { record: { kind: 'other' } },
  },
  {
    name: 'unknown info line is ignored',
    given: glog('something else'),
    want: { record: { kind: 'other' } },
  },
  {
    name: 'v0.8: `Scale target set to E` prints the evaluation',
    given: '2019/12/22 10:00:30 Scale target set to 4 replicas',
    want: { record: { kind: 'clamp', evaluation: 4, to: 4 }, v: 0 },
  },
  {
    name: 'v0.8: greater than max prints evaluation and max',
    given:
      '2019/12/22 10:00:30 Scale target greater than max at 14 replicas, setting target to max 10 replicas',
    want: { record: { kind: 'clamp', reason: 'ClampedToMax', evaluation: 14, to: 10 }, v: 0 },
  },
  {
    name: 'v0.8: rescale without from',
    given: '2019/12/22 10:00:30 Rescaling to 3 replicas',
    want: { record: { kind: 'action', reason: 'Scaled', to: 3 }, v: 0 },
  },
  {
    name: 'v0.8: an unknown line is a bare error',
    given: '2019/12/22 10:01:00 Unknown run mode: per-thing',
    want: { record: { kind: 'error', message: 'Unknown run mode: per-thing', cycle: true }, v: 0 },
  },
];

for (const { name, given, want } of goCases) {
  test(`classify Go CPA: ${name}`, () => assert.deepEqual(one(given), want));
}

const TIME = '2026-06-12T14:03:15.000Z';
const target = 'deployment/default/web';
const base = { target, runType: 'scaler', durationMs: 84 };

// Round trip through src/logger/format.ts: the parser must read what the formatter writes.
const ownCases: { name: string; given: LogEvent; want: { record: LogRecord; v?: number } }[] = [
  {
    name: 'decision with a change and a clamp',
    given: {
      kind: 'decision',
      ...base,
      from: 2,
      to: 10,
      evaluation: 12,
      reasons: ['ClampedToMax', 'Scaled'],
      action: 'scaled',
    },
    want: {
      record: { kind: 'decision', from: 2, to: 10, evaluation: 12, reasons: ['ClampedToMax', 'Scaled'] },
      v: 0,
    },
  },
  {
    name: 'decision without a change, held by stabilization',
    given: {
      kind: 'decision',
      ...base,
      from: 10,
      to: 10,
      evaluation: 3,
      reasons: ['ScaleDownStabilized', 'NoChange'],
      action: 'unchanged',
    },
    want: {
      record: {
        kind: 'decision',
        from: 10,
        to: 10,
        evaluation: 3,
        reasons: ['ScaleDownStabilized', 'NoChange'],
      },
      v: 0,
    },
  },
  {
    name: 'dry-run decision of the REST API',
    given: {
      kind: 'decision',
      ...base,
      runType: 'api_dry_run',
      from: 1,
      to: 3,
      evaluation: 3,
      reasons: ['Scaled'],
      action: 'would-scale',
    },
    want: {
      record: {
        kind: 'decision',
        from: 1,
        to: 3,
        evaluation: 3,
        reasons: ['Scaled'],
        runType: 'api_dry_run',
        dryRun: true,
      },
      v: 0,
    },
  },
  {
    name: 'disabled decision',
    given: {
      kind: 'decision',
      ...base,
      from: 0,
      to: 0,
      evaluation: 5,
      reasons: ['AutoscalingDisabled'],
      action: 'disabled',
    },
    want: {
      record: { kind: 'decision', from: 0, to: 0, evaluation: 5, reasons: ['AutoscalingDisabled'] },
      v: 0,
    },
  },
  {
    name: 'cycle error with a multi-line message',
    given: { kind: 'cycle-error', ...base, stage: 'evaluate', message: "failed get evaluation: got 'a\nb'" },
    want: { record: { kind: 'error', message: "failed get evaluation: got 'a\nb'", cycle: true }, v: 0 },
  },
  {
    name: 'hook stderr',
    given: { kind: 'hook-stderr', hook: 'metric', stderr: 'line 1\nline 2\n' },
    want: { record: { kind: 'stderr', text: 'line 1\nline 2', failed: false }, v: 0 },
  },
  {
    name: 'metric value at verbosity 3',
    given: { kind: 'info', level: 3, message: 'metric gathered for web-1: {"v": 1}' },
    want: { record: { kind: 'metric', resource: 'web-1', value: '{"v": 1}' }, v: 3 },
  },
  {
    name: 'raw evaluation at verbosity 3',
    given: { kind: 'info', level: 3, message: 'evaluation determined: {"targetReplicas": 3}' },
    want: { record: { kind: 'evaluation-raw', raw: '{"targetReplicas": 3}' }, v: 3 },
  },
  {
    name: 'scale read at verbosity 2',
    given: { kind: 'info', level: 2, message: 'scale: 4 replicas, selector "app=web"' },
    want: { record: { kind: 'current', replicas: 4 }, v: 2 },
  },
];

for (const { name, given, want } of ownCases) {
  test(`classify kubectl-cpa text: ${name}`, () => {
    assert.deepEqual(one(formatText(given, TIME)), want);
  });
  test(`classify kubectl-cpa json: ${name}`, () => {
    assert.deepEqual(one(formatJson(given, TIME)), want);
  });
}

// Every reason the formatter can write reads back as its code: the text catalogue's words come from
// REASON_TEXT, so a reason added to the vocabulary cannot be dropped silently from `logs --decisions`.
for (const code of Object.keys(REASON_TEXT) as ReasonCode[]) {
  test(`classify kubectl-cpa text: reason ${code} reads back as its code`, () => {
    const action = code === 'AutoscalingDisabled' ? 'disabled' : 'scaled';
    const given: LogEvent = {
      kind: 'decision',
      ...base,
      from: 2,
      to: 2,
      evaluation: 4,
      reasons: [code],
      action,
    };
    const { record } = one(formatText(given, TIME));
    assert.deepEqual(record.kind === 'decision' ? record.reasons : record, [code]);
  });
}
