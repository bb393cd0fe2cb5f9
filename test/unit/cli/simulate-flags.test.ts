// `simulate` and `init` flags as tables: what is accepted, and every problem reported at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateInitFlags } from '../../../src/cli/init.ts';
import { validateSimulateFlags, type RawSimulateFlags } from '../../../src/cli/simulate-flags.ts';

describe('validateSimulateFlags', () => {
  const ok: { name: string; given: RawSimulateFlags; want: object }[] = [
    {
      name: 'a trace file with the defaults',
      given: { trace: 't.csv' },
      want: {
        dir: '.',
        source: { kind: 'file', path: 't.csv' },
        startReplicas: 1,
        readyDelayMs: 0,
        liveMetrics: false,
        hooks: false,
        output: 'table',
        verbosity: 0,
      },
    },
    {
      name: 'Prometheus with step, a range, an HTML chart',
      given: {
        prometheus: 'http://p:9090',
        query: 'up',
        step: '30s',
        from: '2026-01-01T00:00:00Z',
        to: '1767229260',
        chart: 'c.html',
        output: 'json',
        readyDelay: '45s',
        startReplicas: '3',
      },
      want: {
        dir: '.',
        source: { kind: 'prometheus', url: 'http://p:9090', query: 'up', stepMs: 30_000 },
        startReplicas: 3,
        fromMs: Date.parse('2026-01-01T00:00:00Z'),
        toMs: 1_767_229_260_000,
        readyDelayMs: 45_000,
        liveMetrics: false,
        hooks: false,
        output: 'json',
        chart: { path: 'c.html', format: 'html' },
        verbosity: 0,
      },
    },
  ];
  for (const row of ok)
    it(row.name, () => assert.deepEqual(validateSimulateFlags(undefined, row.given), row.want));

  const bad: { name: string; given: RawSimulateFlags; want: RegExp[] }[] = [
    { name: 'no trace', given: {}, want: [/a trace is needed/] },
    { name: 'two sources', given: { trace: 'a', prometheus: 'http://p' }, want: [/cannot be used together/] },
    {
      name: 'Prometheus without a query, a bad URL',
      given: { prometheus: 'p:9090' },
      want: [/not an http\(s\) URL/, /needs --query/],
    },
    { name: 'query without Prometheus', given: { trace: 'a', query: 'up' }, want: [/go with --prometheus/] },
    {
      name: 'every bad value at once',
      given: {
        trace: 'a',
        interval: '0s',
        startReplicas: '-1',
        from: 'today',
        to: '2025-01-01T00:00:00Z',
        output: 'yaml',
        chart: 'c.png',
        v: '9',
      },
      want: [
        /--interval: "0s"/,
        /--start-replicas: "-1"/,
        /--from: "today"/,
        /--output: "yaml"/,
        /--chart: "c\.png"/,
        /-v: "9"/,
      ],
    },
    {
      name: '--to before --from',
      given: { trace: 'a', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      want: [/--to is before --from/],
    },
  ];
  for (const row of bad)
    it(row.name, () => {
      assert.throws(
        () => validateSimulateFlags('.', row.given),
        (err: Error) => {
          for (const want of row.want) assert.match(err.message, want);
          return (err as { exitCode?: number }).exitCode === 2;
        },
      );
    });
});

describe('validateInitFlags', () => {
  const defaults = { lang: 'python', mode: 'per-resource', target: 'deployment/my-app' };
  it('the defaults', () => {
    assert.deepEqual(validateInitFlags('d', defaults, '1.0.0'), {
      dir: 'd',
      lang: 'python',
      mode: 'per-resource',
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app' },
      http: false,
      version: '1.0.0',
      force: false,
    });
  });
  it('a full reference for a custom resource', () => {
    const got = validateInitFlags('d', { ...defaults, target: 'argoproj.io/v1alpha1/Rollout/r' }, '1');
    assert.deepEqual(got.target, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r' });
  });
  it('every problem at once', () => {
    assert.throws(
      () => validateInitFlags('d', { lang: 'bash', mode: 'x', target: 'widgets/w', http: true }, '1'),
      (err: Error) => {
        for (const want of [
          /--mode: "x"/,
          /--http: the HTTP evaluator is written in python or node/,
          /--target: "widgets\/w" needs its API version/,
        ])
          assert.match(err.message, want);
        return true;
      },
    );
  });
});
