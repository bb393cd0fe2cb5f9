// Many autoscalers in one process (runMany) on virtual time: each keeps its own ticks (a hung hook of one
// never delays another), one bound on hook calls that starves nobody, --once for all (exit 1 if any
// failed), and the roster checks (names, targets) before anything runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Config } from '../../../src/config/types.ts';
import type { CpaKubeClient, Deps, ProcessOutcome, ProcessSpec } from '../../../src/ports.ts';
import { runMany, spreadMs, type ManyOptions } from '../../../src/runner/many.ts';
import type { PreparedRun } from '../../../src/runner/prepare.ts';
import { checkRoster, nameRuns, rosterProblems, type NamedRun } from '../../../src/runner/roster.ts';
import { testConfig } from '../../support/fakes.ts';
import { VirtualClock } from '../../support/virtual-clock.ts';
import { ClaimKube } from './claim-kube.ts';

const START = 1_000_000;

/** What the fake hooks do, by the autoscaler's directory: answer at once, hang until killed, or fail. */
type Behaviour = 'ok' | 'hang' | 'fail';

function harness(specs: { dir: string; intervalMs: number; behaviour: Behaviour; target?: string }[]) {
  const clock = new VirtualClock(START);
  /** `dir metric|evaluate @ms` for every hook call that started. */
  const started: string[] = [];
  const kubes = new Map<string, ClaimKube>();
  const runProcess = (spec: ProcessSpec): Promise<ProcessOutcome> => {
    const step = spec.args[spec.args.length - 1] ?? '';
    started.push(`${spec.cwd} ${step} @${clock.nowMs() - START}`);
    const behaviour = specs.find((s) => s.dir === spec.cwd)?.behaviour ?? 'ok';
    const done = (stdout: string): ProcessOutcome => ({
      kind: 'exited',
      exitCode: 0,
      stdout: Buffer.from(stdout),
      stderr: Buffer.from(''),
      durationMs: 1,
    });
    if (behaviour === 'hang' && step === 'evaluate') {
      return new Promise((resolve) => {
        const end = (): void => resolve({ kind: 'aborted', durationMs: 0 });
        if (spec.signal?.aborted) end();
        spec.signal?.addEventListener('abort', end, { once: true });
      });
    }
    if (behaviour === 'fail' && step === 'evaluate') return Promise.resolve({ ...done(''), exitCode: 1 });
    return Promise.resolve(done(step === 'metric' ? '5' : '{"targetReplicas": 2}'));
  };
  const deps = {
    clock,
    env: {},
    cwd: '/',
    err: { write: () => undefined, isTTY: false },
    out: { write: () => undefined, isTTY: false },
    files: { readText: async () => null, exists: async () => false },
    runProcess,
    httpRequest: async () => ({ kind: 'error', message: 'no http', durationMs: 0 }),
    onShutdownSignal: () => () => undefined,
    host: { hostname: 'h', pid: 1, node: 'v22' },
    version: 'test',
  } as unknown as Deps;
  const runs: NamedRun[] = specs.map((s) => {
    const kube = new ClaimKube(1);
    kubes.set(s.dir, kube);
    const config: Config = testConfig({ intervalMs: s.intervalMs, startTimeMs: 0 });
    const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: s.target ?? `web-${s.dir}` };
    const prepared: PreparedRun = {
      config: { ...config, scaleTargetRef: target, namespace: 'default' },
      target,
      namespace: 'default',
      client: kube as unknown as CpaKubeClient,
      dir: s.dir,
      notes: [],
    };
    return { name: s.dir, prepared };
  });
  return { clock, deps, runs, started, kubes };
}

function options(overrides: Partial<ManyOptions> = {}): ManyOptions {
  return { once: false, dryRun: false, logFormat: 'text', maxHooks: 8, takeOver: false, ...overrides };
}

/** The times (ms from start) at which `dir`'s metric step started. */
function metricTimes(started: readonly string[], dir: string): number[] {
  return started.filter((s) => s.startsWith(`${dir} metric`)).map((s) => Number(s.split('@')[1]));
}

describe('runMany: independent ticks', () => {
  test('a hung evaluate of one autoscaler never delays the ticks of the others', async () => {
    const h = harness([
      { dir: 'hung', intervalMs: 1000, behaviour: 'hang' },
      { dir: 'fast', intervalMs: 1000, behaviour: 'ok' },
      { dir: 'slow', intervalMs: 3000, behaviour: 'ok' },
    ]);
    const stop = new AbortController();
    const done = runMany(h.deps, h.runs, options({ signal: stop.signal }));
    await h.clock.runFor(6_500);
    stop.abort();
    assert.equal(await done, 0);
    // Without startTime alignment the i-th of n starts i/n of its interval late (spread, no burst).
    assert.deepEqual(metricTimes(h.started, 'fast'), [1333, 2333, 3333, 4333, 5333, 6333]);
    assert.deepEqual(metricTimes(h.started, 'slow'), [5000]);
    // The hung one started its first cycle on time and is still in it.
    assert.deepEqual(metricTimes(h.started, 'hung'), [1000]);
    assert.equal(h.kubes.get('fast')?.replicas, 2);
    assert.equal(h.kubes.get('slow')?.replicas, 2);
    assert.equal(h.kubes.get('hung')?.replicas, 1);
  });

  test('with --max-hooks 2 and one slot held by a hung hook, the others still share the other slot every tick', async () => {
    const h = harness([
      { dir: 'hung', intervalMs: 1000, behaviour: 'hang' },
      { dir: 'a', intervalMs: 1000, behaviour: 'ok' },
      { dir: 'b', intervalMs: 1000, behaviour: 'ok' },
      { dir: 'c', intervalMs: 1000, behaviour: 'ok' },
    ]);
    const stop = new AbortController();
    const done = runMany(h.deps, h.runs, options({ signal: stop.signal, maxHooks: 2 }));
    await h.clock.runFor(4_800);
    stop.abort();
    await done;
    for (const [dir, phase] of [
      ['a', 250],
      ['b', 500],
      ['c', 750],
    ] as const)
      assert.deepEqual(
        metricTimes(h.started, dir),
        [1000, 2000, 3000, 4000].map((t) => t + phase),
        dir,
      );
  });
});

describe('spreadMs', () => {
  const rows: { name: string; startTimeMs: number; i: number; n: number; want: number }[] = [
    { name: 'alone: no spread', startTimeMs: 0, i: 0, n: 1, want: 0 },
    { name: 'the first of many starts at once', startTimeMs: 0, i: 0, n: 1000, want: 0 },
    { name: 'the 500th of 1000 starts half an interval late', startTimeMs: 0, i: 500, n: 1000, want: 7500 },
    {
      name: 'the last of 1000 starts just under an interval late',
      startTimeMs: 0,
      i: 999,
      n: 1000,
      want: 14985,
    },
    { name: 'startTime alignment wins: no spread', startTimeMs: 15000, i: 500, n: 1000, want: 0 },
  ];
  for (const row of rows)
    test(row.name, () =>
      assert.equal(spreadMs({ intervalMs: 15000, startTimeMs: row.startTimeMs }, row.i, row.n), row.want),
    );
});

describe('runMany --once', () => {
  test('runs every autoscaler once: exit 0 when all succeed', async () => {
    const h = harness([
      { dir: 'a', intervalMs: 1000, behaviour: 'ok' },
      { dir: 'b', intervalMs: 1000, behaviour: 'ok' },
    ]);
    assert.equal(await runMany(h.deps, h.runs, options({ once: true })), 0);
    assert.equal(h.kubes.get('a')?.replicas, 2);
    assert.equal(h.kubes.get('b')?.replicas, 2);
  });

  test('exit 1 when any failed; the others still ran', async () => {
    const h = harness([
      { dir: 'a', intervalMs: 1000, behaviour: 'ok' },
      { dir: 'b', intervalMs: 1000, behaviour: 'fail' },
    ]);
    assert.equal(await runMany(h.deps, h.runs, options({ once: true })), 1);
    assert.equal(h.kubes.get('a')?.replicas, 2);
  });
});

describe('roster', () => {
  const prepared = (dir: string, target: string, name?: string): PreparedRun => {
    const config = testConfig(name === undefined ? {} : { name });
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: target };
    return {
      config: { ...config, scaleTargetRef: ref, namespace: 'default' },
      target: ref,
      namespace: 'default',
      client: {} as CpaKubeClient,
      dir,
      notes: [],
    };
  };

  test('names: --name, else the config name, else the directory base name', () => {
    assert.deepEqual(
      nameRuns([prepared('/x/r10', 'a'), prepared('/y/r10', 'b', 'r10-api')]).map((r) => r.name),
      ['r10', 'r10-api'],
    );
    assert.deepEqual(
      nameRuns([prepared('/x/r10', 'a')], 'mine').map((r) => r.name),
      ['mine'],
    );
  });

  test('two autoscalers with one name, or on one target, are refused with both named', () => {
    const runs = nameRuns([prepared('/x/r10', 'a'), prepared('/y/r10', 'b'), prepared('/z/other', 'a')]);
    assert.deepEqual(rosterProblems(runs), [
      '/y/r10 and /x/r10 are both named "r10"; set a distinct "name" in one config.yaml',
      '"other" and "r10" both scale deployment/default/a; one target has one autoscaler',
    ]);
    assert.throws(() => checkRoster(runs), /cannot run these autoscalers together/);
  });

  test('the same name in two namespaces is not the same target', () => {
    const a = prepared('/x/a', 'web');
    const b = { ...prepared('/x/b', 'web'), namespace: 'other' };
    assert.deepEqual(rosterProblems(nameRuns([a, b])), []);
  });
});
