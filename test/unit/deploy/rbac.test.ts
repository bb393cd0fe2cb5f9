import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  autoscalerGrants,
  grantsOfRules,
  leaseGrants,
  roleObjects,
  rulesByNamespace,
  type AutoscalerNeeds,
  type PolicyRule,
} from '../../../src/deploy/rbac.ts';

const deploymentTarget = { group: 'apps', resource: 'deployments', namespace: 'web' };

describe('rules derived from the targets and run modes', () => {
  const rows: { name: string; given: AutoscalerNeeds[]; want: Record<string, PolicyRule[]> }[] = [
    {
      name: 'per-resource on a Deployment: target get+patch, scale get+patch, events create+patch; no pods',
      given: [{ target: deploymentTarget, runMode: 'per-resource' }],
      want: {
        web: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
        ],
      },
    },
    {
      name: 'per-pod adds list on pods',
      given: [{ target: deploymentTarget, runMode: 'per-pod' }],
      want: {
        web: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
        ],
      },
    },
    {
      name: 'a custom resource in another namespace gets its own group and namespace',
      given: [
        { target: deploymentTarget, runMode: 'per-resource' },
        {
          target: { group: 'argoproj.io', resource: 'rollouts', namespace: 'shop' },
          runMode: 'per-resource',
        },
      ],
      want: {
        shop: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'patch'] },
          { apiGroups: ['argoproj.io'], resources: ['rollouts/scale'], verbs: ['get', 'patch'] },
        ],
        web: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
        ],
      },
    },
    {
      name: 'two autoscalers on one kind merge into one rule per resource',
      given: [
        { target: deploymentTarget, runMode: 'per-resource' },
        { target: deploymentTarget, runMode: 'per-resource' },
      ],
      want: {
        web: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
        ],
      },
    },
    {
      name: 'grants of metric sources join the target namespace unless they name one',
      given: [
        {
          target: deploymentTarget,
          runMode: 'per-resource',
          extra: [
            { group: 'metrics.k8s.io', resource: 'pods', verb: 'list', why: 'resource metrics' },
            { namespace: 'mon', group: '', resource: 'services', verb: 'get', why: 'x' },
          ],
        },
      ],
      want: {
        mon: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }],
        web: [
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
          { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
        ],
      },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const rules = rulesByNamespace(row.given.flatMap(autoscalerGrants));
      assert.deepEqual(Object.fromEntries(rules), row.want);
    });
  }
});

describe('leaseGrants', () => {
  it('get and update only the named Lease; create cannot be restricted by name', () => {
    assert.deepEqual(Object.fromEntries(rulesByNamespace(leaseGrants('ops', 'cpa'))), {
      ops: [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'update'],
          resourceNames: ['cpa'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      ],
    });
  });
});

describe('roleObjects', () => {
  it('one Role and RoleBinding per namespace, bound to the ServiceAccount at home; names outside carry the home', () => {
    const inst = { name: 'cpa', namespace: 'ops' };
    const objects = roleObjects(inst, [
      ...leaseGrants('ops', 'cpa'),
      ...autoscalerGrants({ target: deploymentTarget, runMode: 'per-resource' }),
    ]);
    assert.deepEqual(
      objects.map((o) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`),
      [
        'Role ops/kubectl-cpa-cpa',
        'RoleBinding ops/kubectl-cpa-cpa',
        'Role web/kubectl-cpa-ops-cpa',
        'RoleBinding web/kubectl-cpa-ops-cpa',
      ],
    );
    const binding = objects[3] as { roleRef: unknown; subjects: unknown };
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'kubectl-cpa-ops-cpa',
    });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'cpa', namespace: 'ops' }]);
  });
});

describe('grantsOfRules', () => {
  it("turns the metric sources' rules into grants that merge back into the same rules", () => {
    const rules = [
      { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
      {
        apiGroups: ['custom.metrics.k8s.io'],
        resources: ['services/requests'],
        verbs: ['get'],
        resourceNames: ['web'],
      },
    ];
    const grants = grantsOfRules(rules, 'kubernetesMetricSpecs').map((g) => ({ ...g, namespace: 'web' }));
    assert.deepEqual(rulesByNamespace(grants).get('web'), [
      {
        apiGroups: ['custom.metrics.k8s.io'],
        resources: ['services/requests'],
        verbs: ['get'],
        resourceNames: ['web'],
      },
      { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
    ]);
  });
});
