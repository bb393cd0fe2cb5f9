// The backtest summary as a table: scale events, range, replica-hours, provisioning against demand, flaps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TimelineRow } from '../../../src/simulate/simulate.ts';
import { summarize } from '../../../src/simulate/summary.ts';

const MIN = 60_000;

/** Rows one minute apart from [from, replicas, ready, demand?] tuples. */
function rows(...cells: [number, number, number, number?][]): TimelineRow[] {
  return cells.map(([from, replicas, ready, demand], i) => ({
    timeMs: i * MIN,
    metric: '',
    from,
    replicas,
    ready,
    ...(demand === undefined ? {} : { demand }),
    reasons: [],
    action: from === replicas ? 'unchanged' : 'scaled',
  }));
}

describe('summarize', () => {
  const table: { name: string; given: TimelineRow[]; want: Partial<ReturnType<typeof summarize>> }[] = [
    {
      name: 'an empty timeline',
      given: [],
      want: { cycles: 0, minReplicas: 0, maxReplicas: 0, replicaHours: 0, flaps: 0 },
    },
    {
      name: 'scale events, range and replica-hours (60 replica-minutes = 1 hour)',
      given: rows([1, 1, 1], [1, 3, 3], [3, 3, 3], [3, 2, 2], [2, 51, 51]),
      want: { cycles: 5, scaleUps: 2, scaleDowns: 1, minReplicas: 1, maxReplicas: 51, replicaHours: 1 },
    },
    {
      name: 'under and over against demand rounded up; equal is neither',
      given: rows([1, 1, 1, 2], [1, 3, 1, 2.5], [3, 3, 3, 2.5], [3, 3, 3, 1], [3, 3, 3]),
      want: { cyclesWithDemand: 4, underProvisionedMs: 2 * MIN, overProvisionedMs: MIN },
    },
    {
      name: 'a reversal within five minutes is a flap; a later one is not',
      given: rows(
        [1, 4, 4], // up at 0
        [4, 2, 2], // down at 1m: flap
        [2, 2, 2],
        [2, 2, 2],
        [2, 2, 2],
        [2, 2, 2],
        [2, 2, 2],
        [2, 5, 5], // up at 7m: 6 minutes after the down, not a flap
        [5, 5, 5],
        [5, 6, 6], // up again: same direction, not a flap
      ),
      want: { scaleUps: 3, scaleDowns: 1, flaps: 1 },
    },
    {
      name: 'failed cycles are counted',
      given: [{ ...rows([2, 2, 2])[0]!, action: 'failed', error: 'boom' }],
      want: { cycles: 1, failedCycles: 1 },
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const got = summarize(row.given, MIN);
      const picked = Object.fromEntries(Object.keys(row.want).map((k) => [k, got[k as keyof typeof got]]));
      assert.deepEqual(picked, row.want);
    });
  }
});
