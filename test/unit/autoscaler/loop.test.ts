import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CycleCancelledError,
  CycleLock,
  nextTickIndex,
  runLoop,
  startDelayMs,
} from '../../../src/autoscaler/loop.ts';
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

/** A cycle that ends when the test calls `end`, logging its start and end. */
function gatedCycle(log: string[], name: string): { fn: () => Promise<string>; end: () => void } {
  let end = (): void => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    fn: async () => {
      log.push(`start ${name}`);
      await ended;
      log.push(`end ${name}`);
      return name;
    },
    end: () => end(),
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CycleLock', () => {
  it('runs cycles one after another even when started together', async () => {
    const lock = new CycleLock();
    const log: string[] = [];
    const a = gatedCycle(log, 'a');
    const b = gatedCycle(log, 'b');
    const results = Promise.all([lock.run('request', a.fn), lock.run('request', b.fn)]);
    await turn();
    assert.deepEqual(log, ['start a']);
    a.end();
    b.end();
    assert.deepEqual(await results, ['a', 'b']);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
  });

  it('lets a waiting tick go before every waiting request', async () => {
    const lock = new CycleLock();
    const log: string[] = [];
    const [r1, r2, r3, tick] = ['r1', 'r2', 'r3', 'tick'].map((name) => gatedCycle(log, name));
    if (!r1 || !r2 || !r3 || !tick) throw new Error('four cycles expected');
    const cycles = [r1, r2, r3, tick];
    const done = Promise.all([
      lock.run('request', r1.fn),
      lock.run('request', r2.fn),
      lock.run('request', r3.fn),
      lock.run('tick', tick.fn),
    ]);
    for (const cycle of cycles) cycle.end();
    await done;
    assert.deepEqual(
      log.filter((l) => l.startsWith('start')),
      ['start r1', 'start tick', 'start r2', 'start r3'],
    );
  });

  it('a request aborted while waiting never runs, and the ones behind it still do', async () => {
    const lock = new CycleLock();
    const log: string[] = [];
    const first = gatedCycle(log, 'first');
    const gone = gatedCycle(log, 'gone');
    const last = gatedCycle(log, 'last');
    const abort = new AbortController();
    const running = lock.run('request', first.fn);
    const abandoned = lock.run('request', gone.fn, abort.signal);
    const after = lock.run('request', last.fn);
    abort.abort();
    await assert.rejects(abandoned, CycleCancelledError);
    first.end();
    gone.end();
    last.end();
    await Promise.all([running, after]);
    assert.deepEqual(log, ['start first', 'end first', 'start last', 'end last']);
  });

  it('an already aborted request is refused at once', async () => {
    const lock = new CycleLock();
    const abort = new AbortController();
    abort.abort();
    let ran = false;
    await assert.rejects(
      lock.run('request', async () => void (ran = true), abort.signal),
      CycleCancelledError,
    );
    assert.equal(ran, false);
  });

  it('a failed cycle does not block the next', async () => {
    const lock = new CycleLock();
    await assert.rejects(
      lock.run('tick', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await lock.run('request', async () => 'ok'), 'ok');
  });
});
