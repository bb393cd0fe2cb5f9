// The README's "In the cluster → RBAC" block, rendered from the same grants deploy applies, each rule with
// the calls that need it, so that the documentation cannot drift from the Role (test/unit/deploy/readme.test.ts).
import { autoscalerGrants, leaseGrants, roleName, rulesByNamespace, type Grant } from './rbac.ts';

/** The example of the README: the default installation in `autoscalers`, one per-pod Deployment target. */
export const DOC_EXAMPLE = {
  inst: { name: 'kubectl-cpa', namespace: 'autoscalers' },
  target: { group: 'apps', resource: 'deployments', namespace: 'autoscalers' },
} as const;

const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/** The Role of the README example as YAML, one comment per rule saying why. */
export function rbacDocYaml(): string {
  const { inst, target } = DOC_EXAMPLE;
  const grants: Grant[] = [
    ...leaseGrants(inst.namespace, inst.name),
    ...autoscalerGrants({ target, runMode: 'per-pod' }),
  ];
  const rules = rulesByNamespace(grants).get(inst.namespace) ?? [];
  const lines = [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata:',
    `  name: ${roleName(inst, inst.namespace)}`,
    `  namespace: ${inst.namespace}`,
    'rules:',
  ];
  for (const rule of rules) {
    const why = grants
      .filter(
        (g) =>
          g.group === rule.apiGroups[0] &&
          g.resource === rule.resources[0] &&
          JSON.stringify(g.resourceNames ?? null) === JSON.stringify(rule.resourceNames ?? null),
      )
      .map((g) => `${g.verb}: ${g.why}`);
    lines.push(`  # ${why.join('; ')}`);
    lines.push(`  - apiGroups: ${list(rule.apiGroups)}`);
    lines.push(`    resources: ${list(rule.resources)}`);
    if (rule.resourceNames) lines.push(`    resourceNames: ${list(rule.resourceNames)}`);
    lines.push(`    verbs: ${list(rule.verbs)}`);
  }
  return `${lines.join('\n')}\n`;
}
