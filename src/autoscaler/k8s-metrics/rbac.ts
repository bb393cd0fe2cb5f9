// The RBAC rules gathering a config's kubernetesMetricSpecs needs, exactly as kube-apiserver authorizes the
// metrics paths we call (the aggregated path's resource/name/subresource; see src/kube/metrics-client.ts).
// One place, as data, for the README, `deploy` and error hints.
import { normalizeSpec } from './spec.ts';

/** An rbac.authorization.k8s.io/v1 PolicyRule. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** `Deployment` → `deployments`, `Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`. */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The rules of one spec; none for a type CPA cannot gather. */
function rulesOf(raw: unknown): PolicyRule[] {
  const spec = normalizeSpec(raw);
  switch (spec.type) {
    case 'Resource':
      // The pods list (core group) for readiness is in the base Role already.
      return [{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] }];
    case 'Pods':
      // GET .../namespaces/NS/pods/*/METRIC: resource pods, name *, subresource METRIC.
      return [
        {
          apiGroups: ['custom.metrics.k8s.io'],
          resources: [`pods/${spec.pods?.metric.name ?? ''}`],
          verbs: ['get'],
        },
      ];
    case 'Object': {
      const ref = spec.object?.describedObject;
      const metric = spec.object?.metric.name ?? '';
      const group = ref?.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
      if (ref?.kind === 'Namespace' && group === '') {
        return [
          {
            apiGroups: ['custom.metrics.k8s.io'],
            resources: ['metrics'],
            verbs: ['get'],
            resourceNames: [metric],
          },
        ];
      }
      // Discovery decides the plural at run time; English rules cover the built-in kinds (ingresses, policies).
      const plural = `${pluralOf(ref?.kind ?? '')}${group === '' ? '' : `.${group}`}`;
      return [
        {
          apiGroups: ['custom.metrics.k8s.io'],
          resources: [`${plural}/${metric}`],
          verbs: ['get'],
          resourceNames: [ref?.name ?? ''],
        },
      ];
    }
    case 'External':
      // GET .../namespaces/NS/METRIC is a list of the "resource" METRIC.
      return [
        {
          apiGroups: ['external.metrics.k8s.io'],
          resources: [spec.external?.metric.name ?? ''],
          verbs: ['list'],
        },
      ];
    default:
      return [];
  }
}

/** Rules for all specs, duplicates merged, in spec order; empty without specs. */
export function metricRbacRules(specs: readonly unknown[] | null): PolicyRule[] {
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const rule of (specs ?? []).flatMap(rulesOf)) {
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rule);
  }
  return out;
}
