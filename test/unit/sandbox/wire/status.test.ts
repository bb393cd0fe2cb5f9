import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conflict,
  forbidden,
  invalid,
  invalidValue,
  notFound,
  required,
} from '../../../../src/sandbox/wire/status.ts';

describe('Status bodies', () => {
  it('words 404 with the group-qualified resource', () => {
    assert.deepEqual(notFound({ group: 'apps', resource: 'deployments', name: 'web' }).body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    assert.equal(notFound({ group: '', resource: 'pods', name: 'p' }).message, 'pods "p" not found');
  });

  it('words 409 Conflict like the optimistic concurrency check', () => {
    assert.match(
      conflict({ group: 'apps', resource: 'deployments', name: 'web' }).message,
      /^Operation cannot be fulfilled on deployments.apps "web": the object has been modified/,
    );
  });

  const invalidCases: { name: string; given: Parameters<typeof invalid>; want: string }[] = [
    {
      name: 'one cause',
      given: [
        'Scale',
        'autoscaling',
        'web',
        [invalidValue('spec.replicas', -1, 'must be greater than or equal to 0')],
      ],
      want: 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'several causes in brackets',
      given: [
        'Pod',
        '',
        'p',
        [required('spec.containers'), invalidValue('metadata.labels', { b: '1', a: '2' }, 'bad')],
      ],
      want: 'Pod "p" is invalid: [spec.containers: Required value, metadata.labels: Invalid value: {"a":"2","b":"1"}: bad]',
    },
  ];
  for (const c of invalidCases)
    it(`words 422 with ${c.name}`, () => assert.equal(invalid(...c.given).message, c.want));

  const forbiddenCases: { name: string; given: Parameters<typeof forbidden>; want: string }[] = [
    {
      name: 'a named subresource',
      given: [
        { group: 'apps', resource: 'deployments', name: 'web', subresource: 'scale', namespace: 'ns' },
        'alice',
        'patch',
      ],
      want: 'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "ns"',
    },
    {
      name: 'a collection',
      given: [{ group: '', resource: 'pods', namespace: 'ns' }, 'alice', 'list'],
      want: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "ns"',
    },
    {
      name: 'a cluster-scoped list',
      given: [{ group: '', resource: 'nodes' }, 'alice', 'list'],
      want: 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
    },
  ];
  for (const c of forbiddenCases)
    it(`words 403 for ${c.name}`, () => assert.equal(forbidden(...c.given).message, c.want));
});
