import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextTickIndex, runLoop, serialize, startDelayMs } from '../../../src/autoscaler/loop.ts';
import { FakeClock } from '../../support/fake-clock.ts';

describe('startDelayMs', () => {
  const rows: { name: string; given: [number, number]; want: number }[] = [
    { name: 'aligns to the next whole minute', given: [61_500, 60_000], want: 58_500 },
    { name: 'exactly on a boundary waits a full period', given: [120_000, 60_000], want: 60_000 },
    { name: 'startTime 1 waits 1ms', given: [5, 1], want: 1 },
    { name: 'startTime 0 means no alignment', given: [12_345, 0], want: 0 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(startDelayMs(...row.given), row.want));
});

describe('nextTickIndex', () => {
  const rows: { name: string; given: [number, number, number, number]; want: number }[] = [
    { name: 'a short cycle waits for the next tick', given: [1, 0, 15, 10], want: 2 },
    { name: 'an overrunning cycle collapses missed ticks into one', given: [1, 0, 35, 10], want: 3 },
    { name: 'a cycle ending exactly on a tick runs that tick next', given: [1, 0, 20, 10], want: 2 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(nextTickIndex(...row.given), row.want));
});

/** Runs the loop on a fake clock, recording when each cycle starts, until `cycles` have run. */
async function record(options: {
  startMs: number;
  intervalMs: number;
  startTimeMs: number;
  cycles: number;
  work: (i: number) => number;
}) {
  const clock = new FakeClock(options.startMs);
  const abort = new AbortController();
  const starts: number[] = [];
  let running = 0;
  let maxRunning = 0;
  await runLoop({
    clock,
    intervalMs: options.intervalMs,
    startTimeMs: options.startTimeMs,
    signal: abort.signal,
    tick: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      starts.push(clock.nowMs());
      clock.advance(options.work(starts.length));
      running--;
      if (starts.length === options.cycles) abort.abort();
    },
  });
  return { starts, maxRunning };
}

describe('runLoop', () => {
  it('waits for the startTime boundary, then one interval, then ticks at a fixed rate', async () => {
    const { starts } = await record({
      startMs: 61_500,
      intervalMs: 10_000,
      startTimeMs: 60_000,
      cycles: 3,
      work: () => 2_000,
    });
    assert.deepEqual(starts, [130_000, 140_000, 150_000]);
  });
  it('keeps the cadence anchored when a cycle overruns, without overlapping', async () => {
    const { starts, maxRunning } = await record({
      startMs: 0,
      intervalMs: 10,
      startTimeMs: 0,
      cycles: 4,
      work: (i) => (i === 1 ? 25 : 1),
    });
    assert.deepEqual(starts, [10, 35, 40, 50]);
    assert.equal(maxRunning, 1);
  });
  it('stops without running a cycle when aborted during the start delay', async () => {
    const clock = new FakeClock(0);
    const abort = new AbortController();
    abort.abort();
    let ran = 0;
    await runLoop({
      clock,
      intervalMs: 10,
      startTimeMs: 1000,
      signal: abort.signal,
      tick: async () => void ran++,
    });
    assert.equal(ran, 0);
  });
});

describe('serialize', () => {
  it('runs calls one after another even when started together', async () => {
    const order: string[] = [];
    const slow = serialize(async (name: string, ms: number) => {
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
      return name;
    });
    const results = await Promise.all([slow('a', 20), slow('b', 1)]);
    assert.deepEqual(results, ['a', 'b']);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
  });
  it('a failed call does not block the next', async () => {
    const fn = serialize(async (fail: boolean) => {
      if (fail) throw new Error('boom');
      return 'ok';
    });
    await assert.rejects(fn(true), /boom/);
    assert.equal(await fn(false), 'ok');
  });
});
