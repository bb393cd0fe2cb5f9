// Machine-readable `status` output: the documented AutoscalerStatusList as JSON or YAML, and `-o name`.
import { stringify } from 'yaml';
import { CPA_GROUP } from './model-cpa.ts';
import type { AutoscalerStatus } from './model.ts';

/** apiVersion of the printed list (a document format, not a served API). */
export const LIST_API_VERSION = 'kubectl-cpa.io/v1';

/** The `-o json|yaml` document. */
export interface AutoscalerStatusList {
  apiVersion: typeof LIST_API_VERSION;
  kind: 'AutoscalerStatusList';
  items: AutoscalerStatus[];
}

export function statusList(items: readonly AutoscalerStatus[]): AutoscalerStatusList {
  return { apiVersion: LIST_API_VERSION, kind: 'AutoscalerStatusList', items: [...items] };
}

export function renderJson(items: readonly AutoscalerStatus[]): string {
  return `${JSON.stringify(statusList(items), null, 2)}\n`;
}

export function renderYaml(items: readonly AutoscalerStatus[]): string {
  return stringify(statusList(items), { lineWidth: 0 });
}

/**
 * kubectl's `resource.group/name` of the object that holds each autoscaler, so that the output can be
 * piped into kubectl: the annotated workload, or the CustomPodAutoscaler.
 */
export function nameOf(item: AutoscalerStatus): string {
  if (item.source === 'logs') return `custompodautoscaler.${CPA_GROUP}/${item.name}`;
  const slash = item.target.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${item.target.apiVersion.slice(0, slash)}`;
  return `${item.target.kind.toLowerCase()}${group}/${item.target.name}`;
}

export function renderNames(items: readonly AutoscalerStatus[]): string {
  return items.map((i) => `${nameOf(i)}\n`).join('');
}
