// The rights of a deployed installation, derived from what its autoscalers do and nothing more: each grant
// says which call needs it, so the Role is exactly enough (the e2e removes a verb and sees the failure name
// it) and the README's RBAC block is rendered from the same grants.
import type { RunMode } from '../config/types.ts';
import type { KubeObject } from '../ports.ts';
import { labelled, type Installation } from './labels.ts';

/** The target of one autoscaler, resolved through discovery (plural resource and group). */
export interface TargetResource {
  group: string;
  resource: string;
  namespace: string;
}

/** What the rights of one autoscaler depend on. */
export interface AutoscalerNeeds {
  target: TargetResource;
  runMode: RunMode;
  /** Further grants its metric sources need (Kubernetes metrics), in the target's namespace unless set. */
  extra?: readonly Grant[];
}

/** One right and the call that needs it. */
export interface Grant {
  namespace?: string;
  group: string;
  resource: string;
  verb: string;
  resourceNames?: readonly string[];
  why: string;
}

/** An RBAC PolicyRule as the API server takes it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** The grants of one autoscaler, in its target's namespace. */
export function autoscalerGrants(needs: AutoscalerNeeds): Grant[] {
  const { group, resource, namespace } = needs.target;
  const grants: Grant[] = [
    { namespace, group, resource, verb: 'get', why: 'read the target (metric input, uid for Events)' },
    { namespace, group, resource, verb: 'patch', why: 'write the status annotation on the target' },
    { namespace, group, resource: `${resource}/scale`, verb: 'get', why: 'read the replica count' },
    { namespace, group, resource: `${resource}/scale`, verb: 'patch', why: 'scale the target' },
    { namespace, group: '', resource: 'events', verb: 'create', why: 'record scaling Events' },
    { namespace, group: '', resource: 'events', verb: 'patch', why: 'count repeated Events' },
  ];
  if (needs.runMode === 'per-pod')
    grants.push({
      namespace,
      group: '',
      resource: 'pods',
      verb: 'list',
      why: 'per-pod: the pods to measure',
    });
  for (const extra of needs.extra ?? []) grants.push({ ...extra, namespace: extra.namespace ?? namespace });
  return grants;
}

/**
 * The grants of leader election on the Lease `leaseName` in the home namespace: get/update restricted to
 * it; create cannot be restricted by name (the authorizer sees no name on a create).
 */
export function leaseGrants(home: string, leaseName: string): Grant[] {
  const lease = { namespace: home, group: 'coordination.k8s.io', resource: 'leases' };
  return [
    { ...lease, verb: 'get', resourceNames: [leaseName], why: 'leader election: read the Lease' },
    { ...lease, verb: 'update', resourceNames: [leaseName], why: 'leader election: renew or take over' },
    { ...lease, verb: 'create', why: 'leader election: the first leader creates the Lease' },
  ];
}

/** Grants of ready-made rules (the metric sources', src/autoscaler/k8s-metrics/rbac.ts), all for `why`. */
export function grantsOfRules(rules: readonly PolicyRule[], why: string): Grant[] {
  return rules.flatMap((rule) =>
    rule.apiGroups.flatMap((group) =>
      rule.resources.flatMap((resource) =>
        rule.verbs.map((verb) => ({
          group,
          resource,
          verb,
          why,
          ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}),
        })),
      ),
    ),
  );
}

/** Grants merged into rules per namespace: one rule per group, resource and name restriction, verbs sorted. */
export function rulesByNamespace(grants: readonly Grant[]): Map<string, PolicyRule[]> {
  const byNs = new Map<string, Map<string, PolicyRule>>();
  for (const g of grants) {
    const ns = g.namespace ?? '';
    const rules = byNs.get(ns) ?? new Map<string, PolicyRule>();
    byNs.set(ns, rules);
    const names = g.resourceNames ? [...g.resourceNames].sort() : undefined;
    const key = JSON.stringify([g.group, g.resource, names ?? null]);
    const rule = rules.get(key) ?? { apiGroups: [g.group], resources: [g.resource], verbs: [] };
    if (names) rule.resourceNames = names;
    if (!rule.verbs.includes(g.verb)) rule.verbs = [...rule.verbs, g.verb].sort();
    rules.set(key, rule);
  }
  const sorted = new Map<string, PolicyRule[]>();
  for (const ns of [...byNs.keys()].sort()) {
    const rules = [...(byNs.get(ns)?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b));
    sorted.set(
      ns,
      rules.map(([, r]) => r),
    );
  }
  return sorted;
}

/** The Role and RoleBinding of `inst` in each namespace its grants reach, bound to its ServiceAccount. */
export function roleObjects(inst: Installation, grants: readonly Grant[]): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const [namespace, rules] of rulesByNamespace(grants)) {
    const meta = { name: roleName(inst, namespace), namespace };
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: labelled(inst, meta),
      rules,
    });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: labelled(inst, meta),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: meta.name },
      subjects: [{ kind: 'ServiceAccount', name: inst.name, namespace: inst.namespace }],
    });
  }
  return objects;
}

/**
 * `kubectl-cpa-NAME` at home; outside it the home namespace is in the name too, so that two installations
 * of the same name (from two namespaces) that scale targets in one namespace never share a Role.
 */
export function roleName(inst: Installation, namespace: string): string {
  return namespace === inst.namespace
    ? `kubectl-cpa-${inst.name}`
    : `kubectl-cpa-${inst.namespace}-${inst.name}`;
}
