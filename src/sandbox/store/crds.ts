// The CustomResourceDefinitions behind the sandbox's custom resources, as apiextensions.k8s.io serves them:
// the Custom Pod Autoscaler operator's CustomPodAutoscaler and the example Widget with a scale subresource.
// The same manifests can be installed on a real cluster, which is how the contract tests compare the two.
import { WIDGET } from './registry.ts';
import type { Obj } from '../wire/json.ts';

const openSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** custompodautoscalers.custompodautoscaler.com (v1, namespaced, short name `cpa`, no subresources). */
export const CPA_CRD: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'custompodautoscalers.custompodautoscaler.com' },
  spec: {
    group: 'custompodautoscaler.com',
    names: {
      plural: 'custompodautoscalers',
      singular: 'custompodautoscaler',
      kind: 'CustomPodAutoscaler',
      listKind: 'CustomPodAutoscalerList',
      shortNames: ['cpa'],
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: openSchema, status: openSchema },
          },
        },
      },
    ],
  },
};

/** widgets.sandbox.kubectl-cpa.dev: a scalable CRD (spec.replicas, status.replicas, status.selector). */
export const WIDGET_CRD: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${WIDGET.plural}.${WIDGET.group}` },
  spec: {
    group: WIDGET.group,
    names: {
      plural: WIDGET.plural,
      singular: 'widget',
      kind: WIDGET.kind,
      listKind: `${WIDGET.kind}List`,
      shortNames: ['wdg'],
    },
    scope: 'Namespaced',
    versions: [
      {
        name: WIDGET.version,
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0 } } },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
              },
            },
          },
        },
      },
    ],
  },
};

/** Both definitions, in the order they are installed. */
export const SANDBOX_CRDS: readonly Obj[] = [CPA_CRD, WIDGET_CRD];

/** The status kube-apiserver gives an established CRD. */
export function crdStatus(crd: Obj, now: string): Obj {
  const spec = crd.spec as { names: Obj; versions: { name: string }[] };
  const cond = (type: string, reason: string, message: string): Obj => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    conditions: [
      cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: spec.names,
    storedVersions: spec.versions.map((v) => v.name),
  };
}
