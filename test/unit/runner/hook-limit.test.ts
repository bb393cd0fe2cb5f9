// The process-wide bound on hook calls (--max-hooks): never more than the bound at once, first come first
// served (nobody starves), and a caller that gives up while waiting leaves without running.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import type { ProcessOutcome, ProcessSpec } from '../../../src/ports.ts';
import { HookLimit } from '../../../src/runner/hook-limit.ts';

/** A process runner whose calls finish only when the test says so; it logs starts by the spec's file. */
function heldRunner() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  let running = 0;
  let peak = 0;
  const runner = (spec: ProcessSpec): Promise<ProcessOutcome> => {
    started.push(spec.file);
    running++;
    peak = Math.max(peak, running);
    return new Promise((resolve) => {
      finish.set(spec.file, () => {
        running--;
        resolve({
          kind: 'exited',
          exitCode: 0,
          stdout: Buffer.from(''),
          stderr: Buffer.from(''),
          durationMs: 1,
        });
      });
    });
  };
  return { runner, started, finish, peak: () => peak };
}

const spec = (file: string, signal?: AbortSignal): ProcessSpec => ({
  file,
  args: [],
  cwd: '/',
  stdin: '',
  timeoutMs: 1000,
  maxOutputBytes: 1024,
  env: {},
  ...(signal ? { signal } : {}),
});

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await turn();
}

describe('HookLimit', () => {
  test('never runs more than the bound at once', async () => {
    const h = heldRunner();
    const limit = new HookLimit(2);
    const run = limit.wrapRunner(h.runner);
    const calls = ['a', 'b', 'c', 'd', 'e'].map((f) => run(spec(f)));
    await settle();
    assert.deepEqual(h.started, ['a', 'b']);
    assert.equal(limit.waiting, 3);
    for (const f of ['a', 'b', 'c', 'd', 'e']) {
      await settle();
      h.finish.get(f)?.();
    }
    await Promise.all(calls);
    assert.equal(h.peak(), 2);
    assert.equal(limit.peak, 2);
    assert.equal(limit.running, 0);
  });

  test('first come, first served: a later caller never overtakes one that waits', async () => {
    const h = heldRunner();
    const limit = new HookLimit(1);
    const run = limit.wrapRunner(h.runner);
    const first = run(spec('slow-autoscaler-1'));
    const waiting = run(spec('fast-autoscaler'));
    await settle();
    // A burst of calls from another autoscaler arrives after the waiting one.
    const burst = ['slow-autoscaler-2', 'slow-autoscaler-3'].map((f) => run(spec(f)));
    h.finish.get('slow-autoscaler-1')?.();
    await settle();
    assert.deepEqual(h.started, ['slow-autoscaler-1', 'fast-autoscaler']);
    h.finish.get('fast-autoscaler')?.();
    await settle();
    h.finish.get('slow-autoscaler-2')?.();
    await settle();
    h.finish.get('slow-autoscaler-3')?.();
    await Promise.all([first, waiting, ...burst]);
    assert.deepEqual(h.started, [
      'slow-autoscaler-1',
      'fast-autoscaler',
      'slow-autoscaler-2',
      'slow-autoscaler-3',
    ]);
  });

  test('a caller aborted while waiting leaves the queue without running, as an aborted outcome', async () => {
    const h = heldRunner();
    const limit = new HookLimit(1);
    const run = limit.wrapRunner(h.runner);
    const first = run(spec('a'));
    const abort = new AbortController();
    const gaveUp = run(spec('b', abort.signal));
    await settle();
    abort.abort();
    assert.deepEqual(await gaveUp, { kind: 'aborted', durationMs: 0 });
    assert.equal(limit.waiting, 0);
    h.finish.get('a')?.();
    await first;
    assert.deepEqual(h.started, ['a']);
    assert.equal(limit.running, 0);
  });

  test('HTTP calls share the same bound as processes', async () => {
    const h = heldRunner();
    const limit = new HookLimit(1);
    const run = limit.wrapRunner(h.runner);
    let httpStarted = false;
    const request = limit.wrapRequester(async () => {
      httpStarted = true;
      return { kind: 'response', status: 200, body: Buffer.from('1'), durationMs: 1 };
    });
    const proc = run(spec('a'));
    const http = request({ method: 'GET', url: 'http://x', headers: {}, timeoutMs: 1, maxBodyBytes: 1 });
    await settle();
    assert.equal(httpStarted, false);
    h.finish.get('a')?.();
    await Promise.all([proc, http]);
    assert.equal(httpStarted, true);
  });
});
