import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fieldsMatch,
  labelSelectorString,
  mapSelectorString,
  matches,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../../src/sandbox/wire/selector.ts';
import { ApiError } from '../../../../src/sandbox/wire/status.ts';

const labels = { app: 'web', tier: 'front', replicas: '3' };

describe('label selectors', () => {
  const cases: { name: string; given: string; want: boolean }[] = [
    { name: 'empty selects everything', given: '', want: true },
    { name: 'equality', given: 'app=web', want: true },
    { name: 'double equals', given: 'app==web', want: true },
    { name: 'equality on another value', given: 'app=db', want: false },
    { name: 'inequality of a present label', given: 'app!=db', want: true },
    { name: 'inequality of an absent label holds', given: 'zone!=a', want: true },
    { name: 'set membership', given: 'tier in (back, front)', want: true },
    { name: 'set exclusion', given: 'tier notin (front)', want: false },
    { name: 'notin holds for an absent label', given: 'zone notin (a)', want: true },
    { name: 'existence', given: 'tier', want: true },
    { name: 'non-existence', given: '!tier', want: false },
    { name: 'greater than on an integer label', given: 'replicas>2', want: true },
    { name: 'less than on an integer label', given: 'replicas<3', want: false },
    { name: 'every requirement must hold', given: 'app=web,tier in (back)', want: false },
    { name: 'prefixed keys', given: 'example.com/team', want: false },
    { name: 'an empty value is a value', given: 'zone=', want: false },
  ];
  for (const c of cases) {
    it(`${c.name}: "${c.given}"`, () => assert.equal(matches(parseLabelSelector(c.given), labels), c.want));
  }

  for (const bad of ['app in (a', 'app=-x', ',', 'Bad Key=1', 'x>y', 'app=has space']) {
    it(`refuses "${bad}" with a 400`, () => {
      assert.throws(
        () => parseLabelSelector(bad),
        (err: unknown) => err instanceof ApiError && err.code === 400,
      );
    });
  }
});

describe('selector strings (Scale status.selector)', () => {
  const cases: { name: string; given: unknown; want: string }[] = [
    {
      name: 'matchLabels sorted by key',
      given: { matchLabels: { run: 'x', app: 'y' } },
      want: 'app=y,run=x',
    },
    {
      name: 'matchExpressions in their string forms',
      given: {
        matchLabels: { b: '1' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['z', 'x'] },
          { key: 'c', operator: 'NotIn', values: ['q'] },
          { key: 'd', operator: 'Exists' },
          { key: 'e', operator: 'DoesNotExist' },
        ],
      },
      want: 'a in (x,z),b=1,c notin (q),d,!e',
    },
    { name: 'no selector', given: undefined, want: '' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(labelSelectorString(c.given), c.want));
  it('map selectors (ReplicationController) sorted by key', () =>
    assert.equal(mapSelectorString({ z: '1', a: '2' }), 'a=2,z=1'));
});

describe('field selectors', () => {
  const read = (f: string) => ({ 'metadata.name': 'web-0', 'status.phase': 'Running' })[f] ?? '';
  const cases: { name: string; given: string; want: boolean }[] = [
    { name: 'equality', given: 'metadata.name=web-0', want: true },
    { name: 'double equals', given: 'metadata.name==web-1', want: false },
    { name: 'inequality', given: 'status.phase!=Pending', want: true },
    { name: 'conjunction', given: 'metadata.name=web-0,status.phase=Pending', want: false },
  ];
  for (const c of cases) {
    it(c.name, () =>
      assert.equal(fieldsMatch(parseFieldSelector(c.given, ['metadata.name', 'status.phase']), read), c.want),
    );
  }
  it('refuses a field the resource does not index, like kube-apiserver', () => {
    assert.throws(
      () => parseFieldSelector('spec.foo=1', ['metadata.name']),
      /field label not supported: spec.foo/,
    );
  });
});
