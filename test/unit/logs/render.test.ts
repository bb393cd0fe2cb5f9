import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cycle } from '../../../src/logs/cycles.ts';
import {
  podPrefix,
  renderDecision,
  renderLine,
  verbosityHint,
  type LineStyle,
} from '../../../src/logs/render.ts';

const plain: LineStyle = { timestamps: false };

const decisionCases: { name: string; given: [Cycle, LineStyle]; want: string }[] = [
  {
    name: 'Go CPA at verbosity 0: evaluation unknown, glog clock without year',
    given: [{ format: 'glog', clock: '0612 14:03:15.310742', reasons: ['Scaled'], from: 2, to: 4 }, plain],
    want: '06-12 14:03:15       eval ?    2 → 4     Scaled',
  },
  {
    name: 'RFC 3339 time without fraction, all reasons',
    given: [
      {
        format: 'glog',
        time: '2026-06-12T14:03:15.3107425Z',
        reasons: ['ClampedToMax', 'Scaled'],
        evaluation: 12,
        from: 5,
        to: 8,
      },
      plain,
    ],
    want: '2026-06-12T14:03:15Z eval 12   5 → 8     ClampedToMax,Scaled',
  },
  {
    name: 'failed cycle: ? for what is unknown, error with the last stderr line, newlines shown as ⏎',
    given: [
      {
        format: 'glog',
        time: '2026-06-12T14:03:35Z',
        reasons: [],
        error: "failed get evaluation: got 'a\nb'",
        stderr: "Traceback:\nKeyError: 'x'\n",
      },
      plain,
    ],
    want: "2026-06-12T14:03:35Z eval ?    ? → ?     Failed  error: failed get evaluation: got 'a⏎b' (stderr: KeyError: 'x')",
  },
  {
    name: 'REST API dry run of kubectl-cpa is tagged',
    given: [
      {
        format: 'json',
        time: '2026-06-12T14:03:50.000Z',
        reasons: ['Scaled'],
        evaluation: 3,
        from: 10,
        to: 3,
        runType: 'api_dry_run',
        dryRun: true,
      },
      plain,
    ],
    want: '2026-06-12T14:03:50Z eval 3    10 → 3    Scaled [api_dry_run] (dry run)',
  },
  {
    name: 'pod prefix in colour',
    given: [
      { format: 'glog', reasons: ['NoChange'], from: 1, to: 1 },
      { timestamps: true, prefix: '[pod/a/c] ', color: 36 },
    ],
    want: '\u001b[36m[pod/a/c] \u001b[0m?                    eval ?    1 → 1     NoChange',
  },
];

for (const { name, given, want } of decisionCases) {
  test(`renderDecision: ${name}`, () => assert.equal(renderDecision(...given), want));
}

const STAMPED = '2026-06-12T14:03:15.310742123Z I0612 14:03:15.310742       1 x.go:1] hi';

const lineCases: { name: string; given: [string, LineStyle]; want: string }[] = [
  {
    name: 'the kubelet stamp is dropped without --timestamps',
    given: [STAMPED, plain],
    want: 'I0612 14:03:15.310742       1 x.go:1] hi',
  },
  { name: 'and kept with it', given: [STAMPED, { timestamps: true }], want: STAMPED },
  { name: 'a line without stamp is shown as it is', given: ['plain', plain], want: 'plain' },
  {
    name: 'prefix without colour when piped or NO_COLOR',
    given: ['2026-06-12T14:03:15Z x', { timestamps: false, prefix: podPrefix('web', 'autoscaler') }],
    want: '[pod/web/autoscaler] x',
  },
  {
    name: 'prefix in the pod colour on a TTY',
    given: ['2026-06-12T14:03:15Z x', { timestamps: false, prefix: podPrefix('web', ''), color: 32 }],
    want: '\u001b[32m[pod/web] \u001b[0mx',
  },
];

for (const { name, given, want } of lineCases) {
  test(`renderLine: ${name}`, () => assert.equal(renderLine(...given), want));
}

const hintCases: { name: string; given: [Cycle, number | 'unknown']; want: boolean }[] = [
  {
    name: 'Go CPA below verbosity 2 without evaluation: hint',
    given: [{ format: 'glog', reasons: ['Scaled'] }, 0],
    want: true,
  },
  { name: 'verbosity unknown: hint', given: [{ format: 'glog', reasons: [] }, 'unknown'], want: true },
  {
    name: 'verbosity 3, cycle failed before evaluating: no hint',
    given: [{ format: 'glog', reasons: [] }, 3],
    want: false,
  },
  {
    name: 'evaluation known: no hint',
    given: [{ format: 'glog', reasons: ['Scaled'], evaluation: 3 }, 0],
    want: false,
  },
  {
    name: 'v0.8 has no logVerbosity: no hint',
    given: [{ format: 'stdlog', reasons: ['Scaled'] }, 0],
    want: false,
  },
  {
    name: 'our own logs always carry the evaluation: no hint',
    given: [{ format: 'text', reasons: [] }, 0],
    want: false,
  },
];

for (const { name, given, want } of hintCases) {
  test(`verbosityHint: ${name}`, () => assert.equal(verbosityHint(...given) !== undefined, want));
}

test('verbosityHint names the config entry to add', () => {
  assert.match(verbosityHint({ format: 'glog', reasons: [] }, 0) ?? '', /\{name: logVerbosity, value: "3"\}/);
});
