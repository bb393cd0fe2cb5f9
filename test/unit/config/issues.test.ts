// Key suggestions, path rendering and value rendering used in every configuration message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinPath, show, suggestKey } from '../../../src/config/issues.ts';

describe('suggestKey', () => {
  const allowed = ['interval', 'minReplicas', 'maxReplicas', 'runMode', 'preScale', 'url', 'timeout'];
  const cases: { name: string; given: string; want: string | undefined }[] = [
    { name: 'case only', given: 'MINREPLICAS', want: 'minReplicas' },
    { name: 'one letter doubled', given: 'intervall', want: 'interval' },
    { name: 'letter missing', given: 'timout', want: 'timeout' },
    { name: 'suffix changed', given: 'preScaling', want: 'preScale' },
    { name: 'snake case is too far', given: 'min_replicas_count', want: undefined },
    { name: 'a short key allows one edit', given: 'uri', want: 'url' },
    { name: 'but not two', given: 'uxi', want: undefined },
    { name: 'unrelated', given: 'colour', want: undefined },
  ];
  for (const { name, given, want } of cases) it(name, () => assert.equal(suggestKey(given, allowed), want));
});

describe('joinPath and show', () => {
  it('renders key paths as users write them', () => {
    assert.equal(joinPath(['metric', 'shell', 'command', 0]), 'metric.shell.command[0]');
    assert.equal(joinPath(['kubernetesMetricSpecs', 2, 'type']), 'kubernetesMetricSpecs[2].type');
  });
  const cases: { given: unknown; want: string }[] = [
    { given: '5000', want: '"5000"' },
    { given: 5000, want: '5000' },
    { given: null, want: 'null' },
    { given: undefined, want: 'nothing' },
    { given: { a: [1] }, want: '{"a":[1]}' },
    { given: new Date(Date.UTC(2001, 11, 14)), want: 'timestamp 2001-12-14T00:00:00.000Z' },
    { given: 'x'.repeat(100), want: `"${'x'.repeat(76)}...` },
  ];
  for (const { given, want } of cases) it(`show ${want}`, () => assert.equal(show(given), want));
});
