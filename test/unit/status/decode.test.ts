// readRecord: the annotation read field by field. A table of malformed values, then a property: whatever
// JSON stands in any field, reading never throws and `status` still renders a row.
import '../../support/fuzz-seed.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readRecord } from '../../../src/status/decode.ts';
import { fromAnnotated } from '../../../src/status/model.ts';
import { LIMITS, READ_CHARS } from '../../../src/status/record.ts';
import { renderDetail } from '../../../src/status/render-detail.ts';
import { renderTable } from '../../../src/status/render-table.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { recorded, T0, workload } from './fixtures.ts';

const good = (): Record<string, unknown> => JSON.parse(encodeState(recorded())) as Record<string, unknown>;
const withField = (key: string, value: unknown): string => JSON.stringify({ ...good(), [key]: value });

describe('readRecord', () => {
  const rows: { name: string; given: string | undefined; want: { malformed: string[]; problem?: RegExp } }[] =
    [
      { name: 'what encodeState wrote', given: encodeState(recorded()), want: { malformed: [] } },
      { name: 'no annotation', given: undefined, want: { malformed: [], problem: /^no annotation$/ } },
      {
        name: 'a newer schema is not malformed',
        given: withField('schemaVersion', 2),
        want: { malformed: [], problem: /schemaVersion 2 is not 1/ },
      },
      {
        name: 'not an object',
        given: '[1]',
        want: { malformed: ['not a JSON object: got a list'], problem: /not a JSON object/ },
      },
      {
        name: 'a required field missing',
        given: JSON.stringify({ ...good(), name: undefined }),
        want: { malformed: ['name: missing, want a string'] },
      },
      {
        name: 'a section that is not an object is named once',
        given: withField('config', [1]),
        want: { malformed: ['config: want an object, got a list'] },
      },
      {
        name: 'a value outside the vocabulary',
        given: withField('cycle', { time: '2025-03-01T10:00:00Z', durationMs: 1, runType: 'cron' }),
        want: { malformed: ['cycle.runType: want one of scaler, api, api_dry_run, got "cron"'] },
      },
      {
        name: 'a time that is no time',
        given: withField('lastScaleTime', 'yesterday'),
        want: { malformed: ['lastScaleTime: want an RFC 3339 time, got "yesterday"'] },
      },
      {
        name: 'an inherited key is not a field',
        given: JSON.stringify({ ...good(), lastError: { stage: 'toString', message: 'm', time: 'x' } }),
        want: {
          malformed: [
            'lastError.stage: want one of config, target, scale, pods, metric, evaluate, decide, patch, hook, got "toString"',
            'lastError.time: want an RFC 3339 time, got "x"',
          ],
        },
      },
      {
        name: 'many wrong values are counted, not all listed',
        given: withField(
          'metrics',
          Array.from({ length: 50 }, () => 1),
        ),
        want: {
          malformed: [
            ...Array.from({ length: 20 }, (_, i) => `metrics[${i}]: want an object, got 1`),
            '30 more: not listed',
          ],
        },
      },
    ];
  for (const row of rows) {
    it(row.name, () => {
      const got = readRecord(row.given);
      assert.deepEqual(got.malformed, row.want.malformed);
      if (row.want.problem === undefined) assert.notEqual(got.record, null);
      else assert.match(got.problem ?? '', row.want.problem);
    });
  }

  it('a long string is cut, saying how much it lost', () => {
    const got = readRecord(withField('name', 'n'.repeat(5000)));
    assert.equal(got.record?.name, `${'n'.repeat(READ_CHARS)}…[+${5000 - READ_CHARS} chars]`);
  });

  it('the reader cuts past the longest string the recorder writes, marker included', () => {
    // boundText's marker for the most characters any string can lose (the writer's format, as record.test pins).
    const longest = `${'n'.repeat(LIMITS.messageChars)}…[+${Number.MAX_SAFE_INTEGER} chars]`;
    assert.equal(readRecord(withField('name', longest)).record?.name, longest);
    assert.ok(READ_CHARS < 2 * LIMITS.messageChars, 'hand-edited huge strings are still cut');
  });

  it('property: any JSON in any field reads without throwing, and the row and detail view render', () => {
    const keys = Object.keys(good());
    const nested = ['runner', 'config', 'cycle', 'decision', 'lastError'];
    const value = fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.constantFrom(...keys, ...nested.map((k) => `${k}.`)),
        fc.string(),
        value,
        (key, sub, v) => {
          const record = good();
          if (key.endsWith('.')) {
            const section = key.slice(0, -1);
            record[section] = { ...(record[section] as object), [sub]: v };
          } else record[key] = v;
          const item = fromAnnotated(
            workload('Deployment', 'web', { annotation: JSON.stringify(record) }),
            T0,
          );
          assert.ok(item !== null);
          const o = { wide: true, allNamespaces: true, tty: false, color: false, nowMs: T0 };
          assert.match(renderTable([item], o), /Deployment\/web/);
          assert.match(renderDetail(item, { nowMs: T0, color: false, events: [] }), /^Name:/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
