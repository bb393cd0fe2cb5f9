// How long one Kubernetes call of a cycle may take: about one interval, so that a hung API server costs the
// loop one tick per call instead of the 30 s hang guard, with a floor that a slow but healthy server clears.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeCallTimeoutMs } from '../../../src/autoscaler/context.ts';

describe('kubeCallTimeoutMs', () => {
  const cases: { name: string; intervalMs: number; want: number }[] = [
    { name: 'the default 15 s interval', intervalMs: 15_000, want: 15_000 },
    { name: 'a short interval gets the 2 s floor', intervalMs: 300, want: 2_000 },
    { name: 'exactly the floor', intervalMs: 2_000, want: 2_000 },
    { name: 'a long interval keeps the 30 s hang guard', intervalMs: 600_000, want: 30_000 },
    { name: 'a zero interval (rejected by config, but never 0 here)', intervalMs: 0, want: 2_000 },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.intervalMs} ms → ${c.want} ms`, () => {
      assert.equal(kubeCallTimeoutMs(c.intervalMs), c.want);
    });
  }
});
