// The resources the sandbox serves, as data: names, scope, verbs and subresources as discovery lists them,
// and for scalable kinds where the scale subresource reads and writes. Discovery, routing, RBAC checks and
// the controller all read this one table, so a resource is served exactly when it is listed here.

/** How the scale subresource maps onto the object (CRD-style paths). */
export interface ScaleMapping {
  specReplicasPath: string[];
  statusReplicasPath: string[];
  /** Where the selector lives; `labelSelector` objects and `map` selectors are turned into strings. */
  selectorPath: string[];
  selectorForm: 'labelSelector' | 'map' | 'string';
}

/** A subresource as discovery lists it. */
export interface SubresourceDef {
  name: 'status' | 'scale' | 'log';
  /** The kind answered (and its group/version when it differs from the parent's). */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One served resource. */
export interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceDef[];
  scale?: ScaleMapping;
  /** A CustomResourceDefinition backs it (apiextensions.k8s.io lists it; no strategic merge patch). */
  custom?: boolean;
  /** Served by an aggregated API (metrics.k8s.io): computed on read, never stored. */
  virtual?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];
const status = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: SUB_VERBS });
const scaleSub: SubresourceDef = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: SUB_VERBS,
};
const workloadScale: ScaleMapping = {
  specReplicasPath: ['spec', 'replicas'],
  statusReplicasPath: ['status', 'replicas'],
  selectorPath: ['spec', 'selector'],
  selectorForm: 'labelSelector',
};

function def(
  partial: Omit<ResourceDef, 'listKind' | 'verbs' | 'subresources'> & Partial<ResourceDef>,
): ResourceDef {
  return { listKind: `${partial.kind}List`, verbs: ALL_VERBS, subresources: [], ...partial };
}

/** The example CRD with a scale subresource (group, kind) that `--target` can name. */
export const WIDGET = { group: 'sandbox.kubectl-cpa.dev', version: 'v1', kind: 'Widget', plural: 'widgets' };

/** Every resource the sandbox serves, in discovery order. */
export const RESOURCES: readonly ResourceDef[] = [
  def({
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
  }),
  def({
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [status('Namespace')],
  }),
  def({
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [status('Node')],
  }),
  def({
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [{ name: 'log', kind: 'Pod', verbs: ['get'] }, status('Pod')],
  }),
  def({
    group: '',
    version: 'v1',
    plural: 'replicationcontrollers',
    singular: 'replicationcontroller',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: [scaleSub, status('ReplicationController')],
    scale: { ...workloadScale, selectorForm: 'map' },
  }),
  ...(['Deployment', 'ReplicaSet', 'StatefulSet'] as const).map((kind) =>
    def({
      group: 'apps',
      version: 'v1',
      plural: `${kind.toLowerCase()}s`,
      singular: kind.toLowerCase(),
      kind,
      namespaced: true,
      shortNames: [{ Deployment: 'deploy', ReplicaSet: 'rs', StatefulSet: 'sts' }[kind]],
      categories: ['all'],
      subresources: [scaleSub, status(kind)],
      scale: workloadScale,
    }),
  ),
  def({
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
  }),
  def({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    verbs: ['get', 'list', 'watch'],
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  }),
  def({
    group: 'custompodautoscaler.com',
    version: 'v1',
    plural: 'custompodautoscalers',
    singular: 'custompodautoscaler',
    kind: 'CustomPodAutoscaler',
    namespaced: true,
    shortNames: ['cpa'],
    custom: true,
  }),
  def({
    ...WIDGET,
    singular: 'widget',
    namespaced: true,
    shortNames: ['wdg'],
    custom: true,
    // apiextensions-apiserver lists status before scale.
    subresources: [status('Widget'), scaleSub],
    scale: {
      specReplicasPath: ['spec', 'replicas'],
      statusReplicasPath: ['status', 'replicas'],
      selectorPath: ['status', 'selector'],
      selectorForm: 'string',
    },
  }),
  ...(['pods', 'nodes'] as const).map((plural) =>
    def({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      plural,
      singular: '',
      kind: plural === 'pods' ? 'PodMetrics' : 'NodeMetrics',
      namespaced: plural === 'pods',
      verbs: ['get', 'list'],
      virtual: true,
    }),
  ),
];

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** The stable key of a resource in the store and in lookups: `apps/deployments`, `/pods`. */
export function resourceKey(r: { group: string; plural: string }): string {
  return `${r.group}/${r.plural}`;
}

const byKey = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));
const byKind = new Map(RESOURCES.filter((r) => !r.virtual).map((r) => [`${apiVersionOf(r)}/${r.kind}`, r]));

/** The resource served at group/version/plural, if any. */
export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return byKey.get(`${group}/${version}/${plural}`);
}

/** The stored resource of an apiVersion + kind (what a manifest names), if served. */
export function findKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** The groups in discovery order (core excluded), each with its one version. */
export function servedGroups(): { group: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group !== '' && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}
