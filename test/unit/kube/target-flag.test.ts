import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTargetFlag, type ParsedTarget } from '../../../src/kube/target-flag.ts';
import { UsageError } from '../../../src/errors.ts';

const ref = (apiVersion: string, kind: string, name: string): ParsedTarget => ({
  form: 'ref',
  ref: { apiVersion, kind, name },
});
const lookup = (resource: string, name: string, group?: string, version?: string): ParsedTarget => ({
  form: 'lookup',
  resource,
  version,
  group,
  name,
});

const valid: { name: string; given: string; want: ParsedTarget }[] = [
  { name: 'singular kind', given: 'deployment/web', want: ref('apps/v1', 'Deployment', 'web') },
  { name: 'short name', given: 'deploy/web', want: ref('apps/v1', 'Deployment', 'web') },
  { name: 'plural', given: 'deployments/web', want: ref('apps/v1', 'Deployment', 'web') },
  { name: 'mixed case type', given: 'Deployment/web', want: ref('apps/v1', 'Deployment', 'web') },
  { name: 'upper case short name', given: 'STS/db', want: ref('apps/v1', 'StatefulSet', 'db') },
  { name: 'statefulset short', given: 'sts/db', want: ref('apps/v1', 'StatefulSet', 'db') },
  { name: 'statefulset with group', given: 'statefulset.apps/x', want: ref('apps/v1', 'StatefulSet', 'x') },
  {
    name: 'resource.version.group',
    given: 'deployments.v1.apps/web',
    want: ref('apps/v1', 'Deployment', 'web'),
  },
  { name: 'replicaset short', given: 'rs/x', want: ref('apps/v1', 'ReplicaSet', 'x') },
  { name: 'replicasets plural', given: 'replicasets/x', want: ref('apps/v1', 'ReplicaSet', 'x') },
  { name: 'rc short is core v1', given: 'rc/x', want: ref('v1', 'ReplicationController', 'x') },
  {
    name: 'replicationcontroller singular',
    given: 'replicationcontroller/x',
    want: ref('v1', 'ReplicationController', 'x'),
  },
  { name: 'dotted object name', given: 'deploy/web.v2', want: ref('apps/v1', 'Deployment', 'web.v2') },
  { name: 'surrounding spaces trimmed', given: '  deploy/web ', want: ref('apps/v1', 'Deployment', 'web') },
  { name: 'full ref with group', given: 'apps/v1/StatefulSet/db', want: ref('apps/v1', 'StatefulSet', 'db') },
  {
    name: 'full ref core group',
    given: 'v1/ReplicationController/x',
    want: ref('v1', 'ReplicationController', 'x'),
  },
  {
    name: 'full ref CRD',
    given: 'argoproj.io/v1alpha1/Rollout/r',
    want: ref('argoproj.io/v1alpha1', 'Rollout', 'r'),
  },
  {
    name: 'full ref keeps kind case',
    given: 'apps/v1/deployment/web',
    want: ref('apps/v1', 'deployment', 'web'),
  },
  { name: 'unknown word needs discovery', given: 'foo/bar', want: lookup('foo', 'bar') },
  {
    name: 'CRD plural with group',
    given: 'rollouts.argoproj.io/r',
    want: lookup('rollouts', 'r', 'argoproj.io'),
  },
  { name: 'short name lower-cased', given: 'RO/r', want: lookup('ro', 'r') },
  {
    name: 'well-known word in another group goes to discovery',
    given: 'deployments.extensions/web',
    want: lookup('deployments', 'web', 'extensions'),
  },
  {
    name: 'well-known word in another version goes to discovery',
    given: 'deployments.v1beta1.apps/web',
    want: lookup('deployments', 'web', 'apps', 'v1beta1'),
  },
];

describe('parseTargetFlag accepts kubectl forms', () => {
  for (const row of valid) {
    it(row.name, () => assert.deepEqual(parseTargetFlag(row.given), row.want));
  }
});

const invalid: { name: string; given: string; want: RegExp }[] = [
  { name: 'empty', given: '', want: /invalid --target "": it is empty/ },
  { name: 'no slash', given: 'web', want: /invalid --target "web": expected TYPE\/NAME, got no "\/"/ },
  { name: 'empty name', given: 'deployment/', want: /the name after the last "\/" is empty/ },
  { name: 'empty type', given: '/web', want: /the type before "\/" is empty/ },
  { name: 'too many parts', given: 'a/v1/B/c/d', want: /too many "\/" separators/ },
  { name: 'upper case name', given: 'deploy/Web', want: /name "Web" is not a valid object name/ },
  { name: 'underscore in name', given: 'deploy/my_app', want: /name "my_app" is not a valid object name/ },
  { name: 'type with symbols', given: 'dep$loy/web', want: /"dep\$loy" is not a resource type/ },
  { name: 'bad group', given: 'deploy.-apps/web', want: /"-apps" is not an API group/ },
  { name: 'missing version', given: 'apps/StatefulSet/db', want: /did you mean apps\/v1\/StatefulSet\/db\?/ },
  { name: 'bad version', given: 'apps/1/StatefulSet/db', want: /"1" is not an API version/ },
  { name: 'bad kind', given: 'apps/v1/9Set/db', want: /"9Set" is not a kind/ },
  { name: 'bad group in full ref', given: 'Apps_X/v1/Deployment/web', want: /"Apps_X" is not an API group/ },
];

describe('parseTargetFlag rejects bad input with a UsageError naming --target', () => {
  for (const row of invalid) {
    it(row.name, () => {
      assert.throws(
        () => parseTargetFlag(row.given),
        (err: unknown) => {
          assert.ok(err instanceof UsageError);
          assert.match(err.message, row.want);
          assert.match(err.hint ?? '', /--target takes TYPE\/NAME .* or \[GROUP\/\]VERSION\/KIND\/NAME/);
          return true;
        },
      );
    });
  }
});
