// The kubectl-cpa.io/status annotation is outside input: anyone who may edit a workload can write it. A
// malformed one must cost only its own row, which says so; every other autoscaler still prints.
// Before: `{"metrics":[{"resource":5,"value":{}}]}` made every `status` answer fail with
// "internal error: m.value.trim is not a function".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeState } from '../../src/status/schema.ts';
import { runCli, workloadRoute } from '../unit/status/cli.ts';
import { iso, recorded, T0, workload } from '../unit/status/fixtures.ts';

const good = (): Record<string, unknown> => JSON.parse(encodeState(recorded())) as Record<string, unknown>;
const huge = 'x'.repeat(200_000);

/**
 * Malformed annotation values, by what is wrong with them. `state` is what the bad row reads as when the
 * value is well formed after all (huge strings are cut, not refused).
 */
const CASES: { name: string; text: string; state?: { word: RegExp; json: string } }[] = [
  {
    name: 'a metric whose resource is a number and value an object (the report)',
    text: JSON.stringify({ ...good(), metrics: [{ resource: 5, value: {} }] }),
  },
  {
    name: 'every top-level field of the wrong type',
    text: JSON.stringify({
      schemaVersion: 1,
      name: 5,
      runner: 'laptop',
      config: 'fast',
      cycle: 7,
      metrics: { resource: 'web' },
      metricsOmitted: 'many',
      evaluation: '3',
      decision: 'Scaled',
      lastScaleTime: 12,
      lastError: 'boom',
      consecutiveFailures: {},
    }),
  },
  {
    name: 'every nested field of the wrong type',
    text: JSON.stringify({
      schemaVersion: 1,
      name: 'bad',
      runner: { host: 1, pid: '42', version: [] },
      config: {
        minReplicas: '1',
        maxReplicas: null,
        intervalMs: {},
        runMode: 3,
        downscaleStabilizationSec: [],
      },
      cycle: { time: 5, durationMs: 'slow', runType: {} },
      metrics: [5, null, 'web=3', [], { resource: [], value: 5 }],
      evaluation: [3],
      decision: {
        from: '1',
        to: {},
        evaluation: null,
        clamped: [],
        reason: 5,
        reasons: 'Scaled',
        action: 1,
        time: {},
      },
      lastScaleTime: 'yesterday',
      lastError: { stage: 5, message: {}, time: [] },
      consecutiveFailures: '3',
    }),
  },
  {
    name: 'values outside the vocabulary, including prototype keys',
    text: JSON.stringify({
      ...good(),
      config: { ...(good().config as object), runMode: 'toString' },
      decision: { ...(good().decision as object), reason: '__proto__', reasons: ['constructor'] },
      lastError: { stage: '__proto__', message: 'm', time: iso(T0) },
      consecutiveFailures: 2,
    }),
  },
  {
    name: 'a long list of wrong metric values',
    text: JSON.stringify({ ...good(), metrics: Array.from({ length: 20_000 }, () => 5) }),
  },
  { name: 'truncated JSON', text: encodeState(recorded()).slice(0, 120) },
  { name: 'an empty value', text: '' },
  { name: 'JSON null', text: 'null' },
  { name: 'an array where the object belongs', text: JSON.stringify([good()]) },
  {
    name: 'arrays where objects are expected',
    text: JSON.stringify({ ...good(), runner: [], config: [], cycle: [], decision: [], lastError: [] }),
  },
  {
    name: 'huge strings',
    text: JSON.stringify({
      ...good(),
      name: huge,
      metrics: [{ resource: huge, value: huge }],
      lastError: { stage: 'evaluate', message: huge, time: iso(T0) },
      consecutiveFailures: 1,
    }),
    state: { word: /Failing\(1\)/, json: 'Failing' },
  },
];

/** Namespace team-a: `web` with a good record, `bad` with the malformed one. */
const route = (text: string) =>
  workloadRoute([
    workload('Deployment', 'web', { annotation: encodeState(recorded()) }),
    workload('Deployment', 'bad', { annotation: text }),
  ]);

/** The table row of the good autoscaler, as piped output prints it (STATUS and SOURCE in -o wide only). */
const GOOD_ROW =
  /^(team-a\s+)?my-autoscaler\s+Deployment\/web\s+3\s+1\s+5\s+3\s+10s(\s+10s\s+Active\s+annotations\b.*)?$/m;

describe('status with a malformed annotation on one workload', () => {
  for (const c of CASES) {
    const word = c.state?.word ?? /<invalid annotation: [^>]+>/;
    it(`${c.name}: every row prints, the bad one says ${c.state ? c.state.json : '<invalid annotation: …>'}`, async () => {
      for (const args of [['status', '-A', '-o', 'wide'], ['status']]) {
        const r = await runCli(args, { route: route(c.text) });
        assert.equal(r.err, '', `${args.join(' ')}: stderr`);
        assert.equal(r.code, 0, `${args.join(' ')}: exit code`);
        assert.match(r.out, GOOD_ROW, `${args.join(' ')}: the good row`);
        const bad = r.out.split('\n').find((line) => /\sDeployment\/bad\s/.test(line)) ?? '';
        // STATUS is a -o wide column (as kubectl get hpa's conditions are not in its table).
        if (args.includes('wide')) assert.match(bad.slice(0, 5000), word, `${args.join(' ')}: the bad row`);
        else assert.notEqual(bad, '', `${args.join(' ')}: the bad row`);
        assert.ok(
          r.out.length < 20_000,
          `${args.join(' ')}: ${r.out.length} characters; outside strings are cut`,
        );
      }
    });

    it(`${c.name}: the detail view and -o json say what is wrong`, async () => {
      const detail = await runCli(['status', 'bad'], { route: route(c.text) });
      assert.equal(detail.code, 0, detail.err);
      assert.match(detail.out.slice(0, 5000), new RegExp(`^Status: +${word.source}`, 'm'));
      assert.ok(detail.out.length < 20_000, `${detail.out.length} characters`);
      if (c.state === undefined)
        assert.match(detail.out, /^ {2}- the kubectl-cpa\.io\/status annotation is malformed: /m);
      const json = await runCli(['status', '-o', 'json'], { route: route(c.text) });
      assert.equal(json.code, 0, json.err);
      const items = (JSON.parse(json.out) as { items: { target: { name: string }; state: string }[] }).items;
      const states = Object.fromEntries(items.map((i) => [i.target.name, i.state]));
      assert.deepEqual(states, { bad: c.state?.json ?? 'Invalid', web: 'Active' });
    });
  }
});

describe('status with a malformed CustomPodAutoscaler spec', () => {
  // The CRD's schema normally keeps these shapes out; a CRD without one (or an older operator's) does not.
  const CPA = {
    metadata: { name: 'odd', namespace: 'team-a' },
    spec: { scaleTargetRef: { apiVersion: 1, kind: 5, name: {} }, config: { interval: 1 }, template: 'pod' },
  };
  const cpaRoute = workloadRoute(
    [workload('Deployment', 'web', { annotation: encodeState(recorded()) })],
    (req) => {
      if (req.path.endsWith('/custompodautoscalers')) return { body: { items: [CPA] } };
      if (req.path.endsWith('/pods')) return { body: { items: [] } };
      return undefined;
    },
  );
  for (const args of [
    ['status', '-o', 'wide'],
    ['status', '-o', 'name'],
    ['status', 'odd'],
  ]) {
    it(`${args.join(' ')}: the CR's fields are unknown, every row prints`, async () => {
      const r = await runCli(args, { route: cpaRoute });
      assert.equal(r.err, '');
      assert.equal(r.code, 0);
      if (args[1] === '-o' && args[2] === 'wide') {
        assert.match(r.out, GOOD_ROW);
        assert.match(r.out, /^odd\s+<unknown>\/<unknown>\s+<unknown>\s+<unknown>\s/m);
      }
    });
  }
});
