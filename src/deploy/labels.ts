// The labels every object of one `kubectl cpa deploy` carries. `undeploy` deletes by them, so they must name
// the installation exactly: its name and its home namespace (its Roles may live in the targets' namespaces).
import type { KubeObject } from '../ports.ts';

/** The domain of our own labels and annotations (as the status annotation `kubectl-cpa.io/status`). */
export const LABEL_DOMAIN = 'kubectl-cpa.io';
/** Home namespace of an installation, on objects that live outside it (Roles in target namespaces). */
export const HOME_LABEL = `${LABEL_DOMAIN}/namespace`;
/** The autoscaler a ConfigMap holds. */
export const AUTOSCALER_LABEL = `${LABEL_DOMAIN}/autoscaler`;

/** Which installation: `kubectl cpa deploy --name NAME -n NAMESPACE`. */
export interface Installation {
  name: string;
  namespace: string;
}

/** The labels of every object of `inst`, standard keys first (kubectl and dashboards group by them). */
export function installLabels(inst: Installation): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kubectl-cpa',
    'app.kubernetes.io/instance': inst.name,
    'app.kubernetes.io/managed-by': 'kubectl-cpa',
    [HOME_LABEL]: inst.namespace,
  };
}

/** The pods' labels: the Deployment selector and the PodDisruptionBudget select by these (immutable once set). */
export function podLabels(inst: Installation): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kubectl-cpa', 'app.kubernetes.io/instance': inst.name };
}

/** The label selector that finds exactly the objects of `inst`, in any namespace. */
export function installSelector(inst: Installation): string {
  return Object.entries(installLabels(inst))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The object's metadata with our labels (and any extra ones) merged in. */
export function labelled(
  inst: Installation,
  meta: { name: string; namespace?: string },
  extra: Record<string, string> = {},
): NonNullable<KubeObject['metadata']> {
  return { ...meta, labels: { ...installLabels(inst), ...extra } };
}

/** An RFC 1123 label (63 characters at most): the names of Services, autoscalers and the installation. */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}
