// Property tests of the log readers (`kubectl cpa logs`): any line parses without throwing, Go CPA lines
// built from glog's documented header (research §3.1) and v0.8's standard log parse back to their parts,
// and kubectl-cpa's own lines survive render → parse in both formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LogEvent, ReasonCode } from '../../../src/logger/events.ts';
import { formatJson, formatText } from '../../../src/logger/format.ts';
import { classify } from '../../../src/logs/classify.ts';
import { EntryGrouper, groupEntries } from '../../../src/logs/entries.ts';
import { parseLine, stampEvidence } from '../../../src/logs/line.ts';
import { LineSplitter, stampKey } from '../../../src/logs/lines.ts';
import type { LogRecord } from '../../../src/logs/records.ts';
import { hostileString, RUNS } from './arbitraries.ts';

const two = (max: number, min = 0): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((v) => String(v).padStart(2, '0'));
const clock = fc
  .tuple(two(23), two(59), two(59), fc.integer({ min: 0, max: 999_999 }))
  .map(([h, m, s, us]) => `${h}:${m}:${s}.${String(us).padStart(6, '0')}`);
/** A single physical line: anything but a newline. */
// A CR at the end of a line is the CRLF line ending (Windows editors, some log shippers), which the parser
// drops: a message cannot end with one.
const oneLine = hostileString.map((s) => s.replace(/[\n]/g, ' ').replace(/\r+$/, ''));
const count = fc.integer({ min: -5, max: 2 ** 31 - 1 });

/** RFC3339Nano as the kubelet prints it: the fraction without trailing zeros, none when zero. */
function rfc3339Nano(ms: number, extraNs: number): string {
  const iso = new Date(ms).toISOString(); // 2026-06-12T14:03:15.310Z
  const nanos = `${iso.slice(20, 23)}${String(extraNs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${nanos === '' ? '' : `.${nanos}`}Z`;
}
const stamp = fc
  .tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([ms, ns]) => rfc3339Nano(ms, ns));

describe('log lines: no input throws', () => {
  it('parseLine, stampEvidence and classify accept any line', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 200 })), (line) => {
        for (const stamps of [true, false, undefined]) {
          const parsed = parseLine(line, stamps);
          if (parsed.kind === 'header') classify(parsed);
        }
        stampEvidence(line);
        stampKey(line);
      }),
      { numRuns: RUNS.many },
    );
  });

  it('any text groups into entries that hold every line once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            oneLine,
            stamp.map((s) => `${s} x`),
          ),
          { maxLength: 12 },
        ),
        (lines) => {
          const entries = groupEntries(lines.map((l) => `${l}\n`).join(''));
          entries.forEach(classify);
          // Each entry's message holds its own lines; none is lost or duplicated.
          const total = entries.reduce((sum, e) => sum + e.message.split('\n').length, 0);
          assert.equal(total, lines.length);
        },
      ),
      { numRuns: RUNS.normal },
    );
  });
});

describe('Go CPA lines parse back to their parts', () => {
  const file = fc.stringMatching(/^[a-z_]{1,12}\.go$/);
  it('a glog header (Lmmdd hh:mm:ss.uuuuuu pid file:line] msg), with and without a kubelet stamp', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom('I', 'W', 'E', 'F'), two(12, 1), two(31, 1), clock),
        fc.tuple(fc.integer({ min: 1, max: 9_999_999 }), file, fc.integer({ min: 1, max: 99_999 })),
        oneLine,
        fc.option(stamp, { nil: undefined }),
        ([sev, month, day, time], [pid, source, lineNo], message, kubelet) => {
          const glog = `${sev}${month}${day} ${time} ${String(pid).padStart(7)} ${source}:${lineNo}] ${message}`;
          const line = kubelet === undefined ? glog : `${kubelet} ${glog}`;
          const want = {
            kind: 'header',
            format: 'glog',
            severity: sev,
            clock: `${month}${day} ${time}`,
            file: source,
            message,
            ...(kubelet === undefined ? {} : { time: kubelet }),
          };
          assert.deepEqual(parseLine(line, kubelet !== undefined), want);
          assert.deepEqual(groupEntries(line), [want]);
        },
      ),
      { numRuns: RUNS.normal },
    );
  });

  it('a v0.8 standard log line (YYYY/MM/DD hh:mm:ss msg) keeps its date as UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        two(12, 1),
        two(28, 1),
        clock,
        oneLine,
        (y, mo, d, t, msg) => {
          const hms = t.slice(0, 8);
          assert.deepEqual(parseLine(`${y}/${mo}/${d} ${hms} ${msg}`, false), {
            kind: 'header',
            format: 'stdlog',
            severity: 'I',
            time: `${y}-${mo}-${d}T${hms}Z`,
            message: msg,
          });
        },
      ),
      { numRuns: RUNS.quick },
    );
  });

  it("the decision lines' numbers come back from the message catalogue", () => {
    const rows: { make: (a: number, b: number) => string; want: (a: number, b: number) => LogRecord }[] = [
      {
        make: (a, b) => `Rescaling from ${a} to ${b} replicas`,
        want: (a, b) => ({ kind: 'action', reason: 'Scaled', from: a, to: b }),
      },
      {
        make: (a) => `No change in target replicas, maintaining ${a} replicas`,
        want: (a) => ({ kind: 'action', reason: 'NoChange', from: a, to: a }),
      },
      {
        make: (a, b) =>
          `Picked max evaluation over stabilization window of ${Math.abs(a)} seconds; replicas ${b}`,
        want: (a, b) => ({ kind: 'picked', windowSec: Math.abs(a), replicas: b }),
      },
      {
        make: (a) => `Evaluation parsed: &{TargetReplicas:${a}}`,
        want: (a) => ({ kind: 'evaluation', replicas: a }),
      },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...rows), count, count, clock, (row, a, b, time) => {
        const [entry] = groupEntries(`I0612 ${time}       1 scaling.go:134] ${row.make(a, b)}`);
        assert.ok(entry !== undefined);
        assert.deepEqual(classify(entry).record, row.want(a, b));
      }),
      { numRuns: RUNS.normal },
    );
  });
});

const REASONS: ReasonCode[] = ['Scaled', 'NoChange', 'ClampedToMin', 'ClampedToMax', 'ScaleDownStabilized'];
const target = fc
  .tuple(
    fc.constantFrom('deployment', 'statefulset', 'rollout.argoproj.io'),
    fc.stringMatching(/^[a-z0-9-]{1,10}$/),
  )
  .map(([kind, name]) => `${kind}/default/${name}`);
const decision = fc.record({
  kind: fc.constant('decision' as const),
  target,
  runType: fc.constantFrom('scaler', 'api', 'api_dry_run'),
  from: fc.nat(),
  to: fc.nat(),
  evaluation: fc.integer({ min: -1000, max: 2 ** 31 - 1 }),
  reasons: fc.array(fc.constantFrom(...REASONS), { minLength: 1, maxLength: 3 }),
  action: fc.constantFrom('scaled' as const, 'unchanged' as const, 'would-scale' as const),
  durationMs: fc.nat({ max: 10_000_000 }),
});
const iso = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());

/** What the reader should recover from a decision event. */
function decisionRecord(e: Extract<LogEvent, { kind: 'decision' }>, text = false): LogRecord {
  return {
    kind: 'decision',
    from: e.from,
    to: e.from === e.to ? e.from : e.to,
    evaluation: e.evaluation,
    // A dry run's text line says "would scale" instead of the reason Scaled, which a change implies (last).
    reasons:
      text && e.action === 'would-scale'
        ? [...e.reasons.filter((r) => r !== 'Scaled'), ...(e.from === e.to ? [] : (['Scaled'] as const))]
        : e.reasons,
    ...(e.runType === 'scaler' ? {} : { runType: e.runType }),
    ...(e.action === 'would-scale' ? { dryRun: true } : {}),
  };
}

describe("kubectl-cpa's own lines: render → parse", () => {
  it('a decision line in either format gives back its numbers, reasons and run type', () => {
    fc.assert(
      fc.property(
        decision,
        iso,
        fc.boolean(),
        fc.option(stamp, { nil: undefined }),
        (e, time, json, kubelet) => {
          const line = (json ? formatJson : formatText)(e, time);
          const [entry, ...more] = groupEntries(
            kubelet === undefined ? line : `${kubelet} ${line}`,
            kubelet !== undefined,
          );
          assert.equal(more.length, 0);
          assert.ok(entry !== undefined);
          assert.equal(entry.time, time);
          assert.deepEqual(classify(entry).record, decisionRecord(e, !json));
        },
      ),
      { numRuns: RUNS.normal },
    );
  });

  it('a cycle error, warning or hook stderr in JSON keeps its message exactly, newlines included', () => {
    const event: fc.Arbitrary<Extract<LogEvent, { kind: 'cycle-error' | 'warning' }>> = fc.oneof(
      fc.record({
        kind: fc.constant('cycle-error' as const),
        target,
        runType: fc.constant('scaler'),
        stage: fc.constantFrom('metric' as const, 'evaluate' as const),
        message: hostileString,
        durationMs: fc.nat(),
      }),
      fc.record({ kind: fc.constant('warning' as const), message: hostileString }),
    );
    fc.assert(
      fc.property(event, iso, (e, time) => {
        const [entry] = groupEntries(formatJson(e, time));
        assert.ok(entry !== undefined);
        const record = classify(entry).record;
        if (e.kind === 'cycle-error')
          assert.deepEqual(record, { kind: 'error', message: e.message, cycle: true });
        else assert.equal(entry.message, e.message);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('a one-line cycle error in text keeps its message', () => {
    // A final CR is dropped on reading (CRLF logs), so the text format cannot carry one; JSON can.
    fc.assert(
      fc.property(
        target,
        oneLine.filter((m) => !m.endsWith('\r')),
        iso,
        (t, message, time) => {
          const e: LogEvent = {
            kind: 'cycle-error',
            target: t,
            runType: 'scaler',
            stage: 'metric',
            message,
            durationMs: 5,
          };
          const entries = groupEntries(formatText(e, time));
          assert.equal(entries.length, 1);
          assert.deepEqual(classify(entries[0]!).record, { kind: 'error', message, cycle: true });
        },
      ),
      { numRuns: RUNS.normal },
    );
  });
});

describe('log streams', () => {
  it('splitting bytes into lines does not depend on where the chunks break', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (text, cuts) => {
          const bytes = new TextEncoder().encode(text);
          const splitter = new LineSplitter();
          const lines: string[] = [];
          let from = 0;
          for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
            lines.push(...splitter.push(bytes.subarray(from, cut)));
            from = cut;
          }
          lines.push(...splitter.push(bytes.subarray(from)), ...splitter.end());
          const want = text.split('\n');
          if (want.at(-1) === '') want.pop();
          assert.deepEqual(lines, want);
        },
      ),
      { numRuns: RUNS.normal },
    );
  });

  it('stampKey orders kubelet stamps by time', () => {
    const time = fc.tuple(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.integer({ min: 0, max: 999_999 }),
    );
    fc.assert(
      fc.property(time, time, ([ms1, ns1], [ms2, ns2]) => {
        const byTime = Math.sign(ms1 - ms2 || ns1 - ns2);
        const [a, b] = [stampKey(rfc3339Nano(ms1, ns1)), stampKey(rfc3339Nano(ms2, ns2))];
        assert.equal(a < b ? -1 : a > b ? 1 : 0, byTime);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('an entry grouper fed line by line agrees with grouping the whole text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            oneLine,
            stamp.map((s) => `${s} y`),
          ),
          { maxLength: 10 },
        ),
        (lines) => {
          const grouper = new EntryGrouper();
          const streamed = [...lines.flatMap((l) => grouper.push(l)), ...grouper.flush()];
          assert.deepEqual(streamed, groupEntries(lines.join('\n') + (lines.length > 0 ? '\n' : '')));
        },
      ),
      { numRuns: RUNS.normal },
    );
  });
});
