// examples/cpu-utilization: the demo carries it byte for byte, and its evaluator is the HPA's replica
// formula with the HPA's tolerance and its guesses for pods without a usable sample (a table of cases).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CPU_EXAMPLE } from '../../../src/demo/cpu-example.ts';

const dir = fileURLToPath(new URL('../../../examples/cpu-utilization/', import.meta.url));
const shipped = (name: string): string => readFileSync(`${dir}${name}`, 'utf8');

function python(script: string, stdin: unknown): string {
  const r = spawnSync('python3', [`${dir}${script}`], { input: JSON.stringify(stdin), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('examples/cpu-utilization in the demo', () => {
  for (const name of Object.keys(CPU_EXAMPLE)) {
    it(`${name} is byte-for-byte the shipped example`, () => assert.equal(CPU_EXAMPLE[name], shipped(name)));
  }
});

describe('examples/cpu-utilization evaluate.py: the HPA formula', () => {
  const cases: {
    name: string;
    ready: Record<string, [number, number]>;
    ignored?: Record<string, number>;
    missing?: Record<string, number>;
    current?: number;
    want: number;
  }[] = [
    {
      name: '150% of requests at a 50% target: ceil(2 × 3) = 6',
      ready: { a: [300, 200], b: [300, 200] },
      want: 6,
    },
    { name: 'within 10% of the target: no change', ready: { a: [105, 200], b: [105, 200] }, want: 2 },
    {
      name: 'scale down: 25% → ceil(4 × 0.5) = 2',
      ready: { a: [50, 200], b: [50, 200], c: [50, 200], d: [50, 200] },
      current: 4,
      want: 2,
    },
    {
      name: 'scale up with pods still starting: they count as idle, 600m over 4 × 200m = 75% → 6, not 4 × 3 = 12',
      ready: { a: [300, 200], b: [300, 200] },
      ignored: { c: 200, d: 200 },
      current: 4,
      want: 6,
    },
    {
      name: 'scale down with a pod without a sample: it counts as fully used (200m of 800m → 2, not 0)',
      ready: { a: [0, 200], b: [0, 200], c: [0, 200] },
      missing: { d: 200 },
      current: 4,
      want: 2,
    },
    {
      name: 'a guess that reverses the direction keeps the current count',
      ready: { a: [120, 200] },
      ignored: { b: 200, c: 200 },
      current: 3,
      want: 3,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const figure = {
        current_replicas: c.current ?? 2,
        target: 50,
        ready: c.ready,
        ignored: c.ignored ?? {},
        missing: c.missing ?? {},
      };
      const out = python('evaluate.py', {
        metrics: [{ resource: 'php-apache', value: JSON.stringify(figure) }],
      });
      assert.deepEqual(JSON.parse(out), { targetReplicas: c.want });
    });
  }

  it('metric.py reads the Resource metric as CPA passes it (the §6.2 spec example)', () => {
    const k8s = JSON.parse(
      readFileSync(
        new URL('../../fixtures/k8s-metrics/resource-cpu-readiness.json', import.meta.url),
        'utf8',
      ),
    );
    const out = JSON.parse(
      python('metric.py', { resource: {}, runType: 'scaler', kubernetesMetrics: [k8s] }),
    );
    assert.deepEqual(out, {
      current_replicas: 3,
      target: 50,
      ready: { 'web-a': [250, 100], 'web-e': [5, 100], 'web-f': [999, 100], 'web-g': [100, 100] },
      ignored: { 'web-b': 100, 'web-d': 100, 'web-h': 100 },
      missing: { 'web-c': 100 },
    });
  });
});
