// Trace parsing as a table: CSV and JSON lines, every problem with its line, the step-hold lookup.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime, parseTrace, sampleAt, splitCsvLine } from '../../../src/simulate/trace.ts';

const T0 = Date.parse('2026-12-01T00:00:00Z');

describe('parseTime', () => {
  const rows: { name: string; given: string; want: number | null }[] = [
    { name: 'ISO 8601 with Z', given: '2026-12-01T00:00:00Z', want: T0 },
    { name: 'ISO 8601 with offset', given: '2026-12-01T01:00:00+01:00', want: T0 },
    { name: 'epoch seconds', given: String(T0 / 1000), want: T0 },
    { name: 'epoch seconds with fraction', given: `${T0 / 1000}.5`, want: T0 + 500 },
    { name: 'epoch milliseconds', given: String(T0), want: T0 },
    { name: 'a word is refused', given: 'March', want: null },
    { name: 'empty is refused', given: ' ', want: null },
    { name: 'an impossible date is refused', given: '2026-13-45T00:00:00Z', want: null },
  ];
  for (const row of rows) it(row.name, () => assert.equal(parseTime(row.given), row.want));
});

describe('splitCsvLine', () => {
  const rows: { name: string; given: string; want: string[] | null }[] = [
    { name: 'plain fields are trimmed', given: 'a, b ,c', want: ['a', 'b', 'c'] },
    {
      name: 'a quoted JSON document keeps its commas',
      given: 't,"{""a"":1,""b"":2}"',
      want: ['t', '{"a":1,"b":2}'],
    },
    { name: 'empty fields', given: 'a,,', want: ['a', '', ''] },
    { name: 'an unclosed quote is refused', given: 'a,"b', want: null },
    { name: 'text after a closing quote is refused', given: '"a"b,c', want: null },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(splitCsvLine(row.given), row.want));
});

describe('parseTrace', () => {
  const rows: { name: string; given: string; want: unknown }[] = [
    {
      name: 'CSV with value and demand',
      given: 'time,value,demand\n2026-12-01T00:00:00Z,120,2\n2026-12-01T00:00:15Z,250,3\n',
      want: {
        ok: true,
        samples: [
          { timeMs: T0, value: '120', demand: 2 },
          { timeMs: T0 + 15_000, value: '250', demand: 3 },
        ],
      },
    },
    {
      name: 'CSV per-pod values, comments and blank lines skipped',
      given: '# exported\ntime,pods\n\n2026-12-01T00:00:00Z,10;20 ; 30\n',
      want: { ok: true, samples: [{ timeMs: T0, pods: ['10', '20', '30'] }] },
    },
    {
      name: 'JSON lines: number, document and per-pod values',
      given:
        '{"time":"2026-12-01T00:00:00Z","value":5}\n' +
        `{"time":${T0 / 1000 + 15},"value":{"rps":7},"demand":1.5}\n` +
        `{"time":${T0 + 30_000},"pods":[1,"2"]}\n`,
      want: {
        ok: true,
        samples: [
          { timeMs: T0, value: '5' },
          { timeMs: T0 + 15_000, value: '{"rps":7}', demand: 1.5 },
          { timeMs: T0 + 30_000, pods: ['1', '2'] },
        ],
      },
    },
    {
      name: 'every bad line is reported with its number',
      given:
        'time,value,demand\nyesterday,1,1\n2026-12-01T00:00:00Z,,1\n2026-12-01T00:00:15Z,3,-1\n2026-12-01T00:00:30Z,3\n',
      want: {
        ok: false,
        problems: [
          'line 2: time "yesterday" is not an ISO 8601 time or epoch seconds/ms',
          'line 3: needs a value (or per-pod values in pods)',
          'line 4: demand "-1" is not a number of replicas (0 or more)',
          'line 5: expected 3 fields (time,value,demand)',
        ],
      },
    },
    {
      name: 'an unknown column and a missing value column',
      given: 'time,load\n2026-12-01T00:00:00Z,1\n',
      want: {
        ok: false,
        problems: [
          'line 1: unknown column "load" (columns: time, value, pods, demand)',
          'line 1: the header needs a time column and a value (or pods) column',
        ],
      },
    },
    {
      name: 'times must increase',
      given: 'time,value\n2026-12-01T00:00:15Z,1\n2026-12-01T00:00:00Z,2\n',
      want: { ok: false, problems: ['sample 2: time 2026-12-01T00:00:00.000Z is not after the one before'] },
    },
    {
      name: 'an empty file',
      given: '\n# nothing\n',
      want: { ok: false, problems: ['the trace holds no samples'] },
    },
    {
      name: 'JSON lines that are not objects',
      given: '{"time":1,"value":1}\n[1]\n{oops\n',
      want: { ok: false, problems: ['line 2: not a JSON object', 'line 3: not a JSON object'] },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(parseTrace(row.given), row.want));

  it('lists at most 20 problems and counts the rest', () => {
    const text = 'time,value\n' + 'x,1\n'.repeat(25);
    const parsed = parseTrace(text);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.equal(parsed.problems.length, 21);
      assert.equal(parsed.problems.at(-1), '… and 5 more');
    }
  });
});

describe('sampleAt', () => {
  const samples = [{ timeMs: 0 }, { timeMs: 10 }, { timeMs: 20 }];
  const rows: { name: string; given: [number, number?]; want: number }[] = [
    { name: 'exactly at a sample', given: [10], want: 1 },
    { name: 'between samples the earlier one holds', given: [19], want: 1 },
    { name: 'after the last sample the last one holds', given: [99], want: 2 },
    { name: 'a hint is only a starting point', given: [25, 1], want: 2 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(sampleAt(samples, ...row.given), row.want));
});
