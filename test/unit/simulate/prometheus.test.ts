// The Prometheus range query: the URL asked for, and the answer turned into trace samples (a table).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rangeQueryUrl, samplesFromRangeAnswer } from '../../../src/simulate/prometheus.ts';

const T = 1_764_547_200; // 2025-12-01T00:00:00Z in seconds

function matrix(result: unknown[]): string {
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

describe('rangeQueryUrl', () => {
  it('times and step in seconds, the query encoded, a path prefix kept', () => {
    const url = new URL(
      rangeQueryUrl({
        url: 'http://prom:9090/prefix',
        query: 'sum(rate(x[1m]))',
        startMs: T * 1000,
        endMs: T * 1000 + 60_000,
        stepMs: 15_000,
      }),
    );
    assert.equal(url.pathname, '/prefix/api/v1/query_range');
    assert.equal(url.searchParams.get('query'), 'sum(rate(x[1m]))');
    assert.equal(url.searchParams.get('start'), String(T));
    assert.equal(url.searchParams.get('end'), String(T + 60));
    assert.equal(url.searchParams.get('step'), '15');
  });
});

describe('samplesFromRangeAnswer', () => {
  const ok: { name: string; given: string; want: unknown }[] = [
    {
      name: 'one series: the metric value',
      given: matrix([
        {
          metric: {},
          values: [
            [T, '1.5'],
            [T + 15, '2'],
          ],
        },
      ]),
      want: [
        { timeMs: T * 1000, value: '1.5' },
        { timeMs: (T + 15) * 1000, value: '2' },
      ],
    },
    {
      name: 'several series: per-pod values in label order, missing points left out',
      given: matrix([
        {
          metric: { pod: 'web-b' },
          values: [
            [T, '20'],
            [T + 15, '21'],
          ],
        },
        { metric: { pod: 'web-a' }, values: [[T + 15, '11']] },
      ]),
      want: [
        { timeMs: T * 1000, pods: ['20'] },
        { timeMs: (T + 15) * 1000, pods: ['11', '21'] },
      ],
    },
  ];
  for (const row of ok) it(row.name, () => assert.deepEqual(samplesFromRangeAnswer(row.given), row.want));

  const bad: { name: string; given: string; want: RegExp }[] = [
    { name: 'not JSON', given: '<html>', want: /not JSON/ },
    {
      name: 'an error answer',
      given: '{"status":"error","errorType":"bad_data","error":"parse error at char 3"}',
      want: /failed to query Prometheus: parse error at char 3/,
    },
    {
      name: 'an instant vector',
      given: '{"status":"success","data":{"resultType":"vector","result":[]}}',
      want: /expected a matrix, got vector/,
    },
    { name: 'no series', given: matrix([]), want: /no series/ },
  ];
  for (const row of bad) it(row.name, () => assert.throws(() => samplesFromRangeAnswer(row.given), row.want));
});
