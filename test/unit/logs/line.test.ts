import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine, stampEvidence, type ParsedLine } from '../../../src/logs/line.ts';
import { groupEntries } from '../../../src/logs/entries.ts';
import { LineSplitter, stampKey } from '../../../src/logs/lines.ts';

const STAMP = '2026-06-12T14:03:15.310742123Z';
const GLOG = 'I0612 14:03:15.310742       1 scaling.go:134] Rescaling from 2 to 4 replicas';

const parseCases: { name: string; given: [string, boolean | undefined]; want: ParsedLine }[] = [
  {
    name: 'glog header: severity, year-less clock, file, message',
    given: [GLOG, undefined],
    want: {
      kind: 'header',
      format: 'glog',
      severity: 'I',
      clock: '0612 14:03:15.310742',
      file: 'scaling.go',
      message: 'Rescaling from 2 to 4 replicas',
    },
  },
  {
    name: 'glog with a kubelet stamp gets an RFC 3339 time',
    given: [`${STAMP} E0612 14:03:35.400177      15 main.go:266] Error while autoscaling: x`, undefined],
    want: {
      kind: 'header',
      format: 'glog',
      severity: 'E',
      clock: '0612 14:03:35.400177',
      file: 'main.go',
      message: 'Error while autoscaling: x',
      time: STAMP,
    },
  },
  {
    name: 'v0.8 standard log line carries its own date',
    given: ['2019/12/22 10:00:15 Rescaling to 10 replicas', undefined],
    want: {
      kind: 'header',
      format: 'stdlog',
      severity: 'I',
      time: '2019-12-22T10:00:15Z',
      message: 'Rescaling to 10 replicas',
    },
  },
  {
    name: 'our text format: its own time, error severity from the prefix',
    given: ['2026-06-12T14:03:30.000Z error: deployment/default/web cycle failed', undefined],
    want: {
      kind: 'header',
      format: 'text',
      severity: 'E',
      time: '2026-06-12T14:03:30.000Z',
      message: 'error: deployment/default/web cycle failed',
    },
  },
  {
    name: 'our text format behind a kubelet stamp keeps its own time',
    given: [`${STAMP} 2026-06-12T14:03:30.000Z warning: odd`, undefined],
    want: {
      kind: 'header',
      format: 'text',
      severity: 'W',
      time: '2026-06-12T14:03:30.000Z',
      message: 'warning: odd',
    },
  },
  {
    name: 'our JSON format: level maps to severity, the object is kept',
    given: [
      '{"time":"2026-06-12T14:03:30.000Z","level":"error","event":"cycle-error","message":"boom"}',
      undefined,
    ],
    want: {
      kind: 'header',
      format: 'json',
      severity: 'E',
      time: '2026-06-12T14:03:30.000Z',
      message: 'boom',
      json: { time: '2026-06-12T14:03:30.000Z', level: 'error', event: 'cycle-error', message: 'boom' },
    },
  },
  {
    name: 'a traceback line is a continuation',
    given: ['  File "/metric.py", line 12, in <module>', undefined],
    want: { kind: 'continuation', text: '  File "/metric.py", line 12, in <module>' },
  },
  {
    name: 'with kubelet stamps known, a stamped non-header line is a continuation',
    given: [`${STAMP} KeyError: 'numPods'`, true],
    want: { kind: 'continuation', time: STAMP, text: "KeyError: 'numPods'" },
  },
  {
    name: 'without kubelet stamps, a stamped line is our text format',
    given: ['2026-06-12T14:03:30.000Z hello', false],
    want: {
      kind: 'header',
      format: 'text',
      severity: 'I',
      time: '2026-06-12T14:03:30.000Z',
      message: 'hello',
    },
  },
  {
    name: 'a carriage return before the newline is dropped',
    given: [`${GLOG}\r`, false],
    want: {
      kind: 'header',
      format: 'glog',
      severity: 'I',
      clock: '0612 14:03:15.310742',
      file: 'scaling.go',
      message: 'Rescaling from 2 to 4 replicas',
    },
  },
  {
    name: 'JSON of another shape is not our format',
    given: ['{"msg":"hi"}', false],
    want: { kind: 'continuation', text: '{"msg":"hi"}' },
  },
];

for (const { name, given, want } of parseCases) {
  test(`parseLine: ${name}`, () => assert.deepEqual(parseLine(...given), want));
}

const evidenceCases: { name: string; given: string; want: boolean | undefined }[] = [
  { name: 'two stamps prove kubelet stamps', given: `${STAMP} 2026-06-12T14:03:30.000Z hi`, want: true },
  { name: 'a stamp before glog proves them', given: `${STAMP} ${GLOG}`, want: true },
  { name: 'a line without a stamp disproves them', given: GLOG, want: false },
  { name: 'a single stamp says nothing', given: '2026-06-12T14:03:30.000Z hi', want: undefined },
  { name: 'an empty line says nothing', given: '', want: undefined },
];

for (const { name, given, want } of evidenceCases) {
  test(`stampEvidence: ${name}`, () => assert.equal(stampEvidence(given), want));
}

const groupCases: { name: string; given: string; want: { format: string; message: string }[] }[] = [
  {
    name: 'header-less lines join the entry before them',
    given: `${GLOG}\nI0612 14:03:35.400031       1 shell.go:90] Shell command failed, stderr: Traceback:\n  main()\nKeyError: 'x'\n`,
    want: [
      { format: 'glog', message: 'Rescaling from 2 to 4 replicas' },
      { format: 'glog', message: "Shell command failed, stderr: Traceback:\n  main()\nKeyError: 'x'" },
    ],
  },
  {
    name: 'a log cut inside an entry starts with plain entries',
    given: `  main()\n${GLOG}\n`,
    want: [
      { format: 'plain', message: '  main()' },
      { format: 'glog', message: 'Rescaling from 2 to 4 replicas' },
    ],
  },
  {
    name: 'kubelet stamps are detected and continuation lines keep joining',
    given: `${STAMP} 2026-06-12T14:03:30.000Z stderr of metric:\n${STAMP} Traceback\n${STAMP} KeyError: 'x'\n`,
    want: [{ format: 'text', message: "stderr of metric:\nTraceback\nKeyError: 'x'" }],
  },
  {
    name: 'our text format without kubelet stamps: a continuation proves their absence',
    given: `2026-06-12T14:03:30.000Z stderr of metric:\nTraceback\n2026-06-12T14:03:31.000Z next\n`,
    want: [
      { format: 'text', message: 'stderr of metric:\nTraceback' },
      { format: 'text', message: 'next' },
    ],
  },
];

for (const { name, given, want } of groupCases) {
  test(`groupEntries: ${name}`, () =>
    assert.deepEqual(
      groupEntries(given).map((e) => ({ format: e.format, message: e.message })),
      want,
    ));
}

test('LineSplitter joins lines and UTF-8 sequences split across chunks', () => {
  const splitter = new LineSplitter();
  const bytes = Buffer.from('a → b\nsecond\nlast');
  const arrow = bytes.indexOf(0xe2);
  assert.deepEqual(splitter.push(bytes.subarray(0, arrow + 1)), []);
  assert.deepEqual(splitter.push(bytes.subarray(arrow + 1, arrow + 12)), ['a → b']);
  assert.deepEqual(splitter.push(bytes.subarray(arrow + 12)), ['second']);
  assert.deepEqual(splitter.end(), ['last']);
  assert.deepEqual(splitter.end(), []);
});

const keyCases: { name: string; given: [string, string]; want: number }[] = [
  // As raw strings `.31Z` sorts after `.3107Z` ('Z' > '0'); in time it is before.
  {
    name: 'trimmed fractions order by time (.31 before .3107)',
    given: ['2026-06-12T14:03:15.31Z', '2026-06-12T14:03:15.3107Z'],
    want: -1,
  },
  {
    name: 'no fraction is the start of the second',
    given: ['2026-06-12T14:03:15Z', '2026-06-12T14:03:15.000000001Z'],
    want: -1,
  },
  {
    name: 'equal instants are equal',
    given: ['2026-06-12T14:03:15.5Z', '2026-06-12T14:03:15.500000000Z'],
    want: 0,
  },
];

for (const { name, given, want } of keyCases) {
  test(`stampKey: ${name}`, () => {
    const [a, b] = given.map(stampKey) as [string, string];
    assert.equal(a < b ? -1 : a > b ? 1 : 0, want);
  });
}
