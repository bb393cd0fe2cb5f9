import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDeployFlags, validateUndeployFlags } from '../../../src/deploy/flags.ts';

describe('validateDeployFlags', () => {
  const ok: { name: string; given: [string[], Record<string, unknown>]; want: Record<string, unknown> }[] = [
    {
      name: 'defaults: 2 replicas, name kubectl-cpa, apply for real',
      given: [['a'], {}],
      want: { replicas: 2, name: 'kubectl-cpa', dryRun: 'none', output: undefined },
    },
    {
      name: 'a bare --dry-run is client (kubectl)',
      given: [['a'], { dryRun: true }],
      want: { dryRun: 'client' },
    },
    { name: '--dry-run=server', given: [['a'], { dryRun: 'server' }], want: { dryRun: 'server' } },
    { name: '-o yaml', given: [['a'], { output: 'yaml' }], want: { output: 'yaml' } },
    {
      name: '--replicas 3 --name team',
      given: [['a'], { replicas: '3', name: 'team' }],
      want: { replicas: 3, name: 'team' },
    },
  ];
  for (const row of ok) {
    it(row.name, () => {
      const flags = validateDeployFlags(...(row.given as [string[], object]));
      for (const [k, v] of Object.entries(row.want)) assert.deepEqual(flags[k as keyof typeof flags], v, k);
    });
  }

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        validateDeployFlags([], {
          replicas: 'two',
          name: 'A',
          output: 'xml',
          dryRun: 'maybe',
          namespace: '',
        }),
      (err: Error) => {
        for (const part of [
          'DIR',
          '--replicas: "two"',
          '--name: "A"',
          '-o/--output: "xml"',
          '--dry-run: "maybe"',
          '-n/--namespace',
        ])
          assert.ok(err.message.includes(part), `${part} in ${err.message}`);
        return true;
      },
    );
  });
});

describe('validateUndeployFlags', () => {
  it('NAME defaults to kubectl-cpa; a bad NAME is named', () => {
    assert.equal(validateUndeployFlags(undefined, {}).name, 'kubectl-cpa');
    assert.throws(() => validateUndeployFlags('No/Way', {}), /NAME: "No\/Way"/);
  });
});
