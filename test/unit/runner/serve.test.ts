// The runner's one place that runs a prepared autoscaler: --once maps the cycle to the exit code, the loop
// stops when told, the client is always closed, and the shutdown wiring aborts at once but closes the
// Kubernetes client only after a grace (at once on a second signal).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEvent } from '../../../src/logger/events.ts';
import type { Clock, CpaKubeClient, Deps } from '../../../src/ports.ts';
import type { PreparedRun } from '../../../src/runner/prepare.ts';
import { runPrepared, SHUTDOWN_GRACE_MS, wireShutdown } from '../../../src/runner/serve.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { fakeRunner, testConfig, type FakeScript } from '../../support/fakes.ts';
import { FakeCpaClient, mapFiles } from './fakes.ts';

type Handler = (signal: 'SIGINT' | 'SIGTERM') => void;

function harness(evaluate: FakeScript, clock: Clock = new FakeClock(1_000_000)) {
  const client = new FakeCpaClient(1);
  const handlers = new Set<Handler>();
  const events: LogEvent[] = [];
  const hooks: { name: string; stdin: string }[] = [];
  const deps = {
    clock,
    env: {},
    cwd: '/',
    files: mapFiles({}),
    runProcess: fakeRunner({ metric: () => ({ stdout: '5' }), evaluate }, hooks),
    httpRequest: async () => {
      throw new Error('no http');
    },
    onShutdownSignal: (h: Handler) => (handlers.add(h), () => handlers.delete(h)),
    host: { hostname: 'h', pid: 1, node: 'v22' },
    version: 'test',
  } as unknown as Deps;
  const config = { ...testConfig({ intervalMs: 1000, startTimeMs: 0 }), namespace: 'default' };
  const prepared: PreparedRun = {
    config: config as PreparedRun['config'],
    target: config.scaleTargetRef!,
    namespace: 'default',
    client: client as unknown as CpaKubeClient,
    dir: '/',
    notes: [],
  };
  const logger = { log: (e: LogEvent) => void events.push(e), enabled: () => true };
  return { client, deps, prepared, logger, handlers, events, hooks };
}

const THREE = () => ({ stdout: '{"targetReplicas": 3}' });

describe('runPrepared', () => {
  test('--once: a good cycle scales and exits 0; the client is closed', async () => {
    const h = harness(THREE);
    const code = await runPrepared(h.deps, h.prepared, { logger: h.logger, once: true, dryRun: false });
    assert.equal(code, 0);
    assert.equal(h.client.replicas, 3);
    assert.equal(h.client.closed, 1);
    assert.equal(h.handlers.size, 0, 'the signal handler is unregistered');
  });

  test('--once: a failed cycle exits 1 and scales nothing', async () => {
    const h = harness(() => ({ stdout: 'not json' }));
    const code = await runPrepared(h.deps, h.prepared, { logger: h.logger, once: true, dryRun: false });
    assert.equal(code, 1);
    assert.equal(h.client.replicas, 1);
  });

  test('--dry-run --once decides but never patches', async () => {
    const h = harness(THREE);
    assert.equal(await runPrepared(h.deps, h.prepared, { logger: h.logger, once: true, dryRun: true }), 0);
    assert.equal(h.client.replicas, 1);
    assert.ok(!h.client.calls.some((c) => c.startsWith('patch')));
  });

  test('the loop runs until afterCycle says stop, one cycle per interval', async () => {
    const clock = new FakeClock(1_000_000);
    const h = harness(THREE, clock);
    const seen: number[] = [];
    const code = await runPrepared(h.deps, h.prepared, {
      logger: h.logger,
      once: false,
      dryRun: false,
      afterCycle: async () => {
        seen.push(clock.nowMs());
        return seen.length === 3 ? 'stop' : undefined;
      },
    });
    assert.equal(code, 0);
    assert.deepEqual(seen, [1_001_000, 1_002_000, 1_003_000]);
    assert.equal(h.client.closed, 1);
  });
});

/** A clock whose sleeps end only when released (or aborted). */
class HeldClock implements Clock {
  readonly pending: { ms: number; release: () => void }[] = [];
  nowMs(): number {
    return 0;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push({ ms, release: resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

describe('wireShutdown', () => {
  function wired() {
    const clock = new HeldClock();
    const handlers = new Set<Handler>();
    const abort = new AbortController();
    const client = { closed: 0, close: () => void (client.closed += 1) };
    const events: LogEvent[] = [];
    const deps = { clock, onShutdownSignal: (h: Handler) => (handlers.add(h), () => handlers.delete(h)) };
    const unregister = wireShutdown(deps, abort, client, {
      log: (e) => void events.push(e),
      enabled: () => true,
    });
    const signal = (s: 'SIGINT' | 'SIGTERM') => handlers.forEach((h) => h(s));
    return { clock, abort, client, events, unregister, signal, handlers };
  }
  const settle = () => new Promise((r) => setImmediate(r));

  test('the first signal aborts at once and closes the client after the grace', async () => {
    const w = wired();
    w.signal('SIGTERM');
    assert.equal(w.abort.signal.aborted, true);
    assert.equal(w.client.closed, 0);
    assert.deepEqual(
      w.clock.pending.map((p) => p.ms),
      [SHUTDOWN_GRACE_MS],
    );
    assert.match(String((w.events[0] as { message?: string }).message), /received SIGTERM, shutting down/);
    w.clock.pending[0]!.release();
    await settle();
    assert.equal(w.client.closed, 1);
  });

  test('a second signal closes the client at once', async () => {
    const w = wired();
    w.signal('SIGINT');
    w.signal('SIGINT');
    assert.equal(w.client.closed, 1);
  });

  test('a run that ends normally never closes through the grace timer and leaves no handler', async () => {
    const w = wired();
    w.signal('SIGINT');
    w.unregister();
    await settle();
    assert.equal(w.client.closed, 0);
    assert.equal(w.handlers.size, 0);
  });
});
