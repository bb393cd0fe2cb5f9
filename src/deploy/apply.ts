// Sending an installation to the API server and taking it away: server-side apply with our field manager
// (so a second deploy updates what the first created, and fields other managers own are left alone), and
// undeploy as deletes of exactly the objects carrying the installation's labels.
import { KubeError } from '../errors.ts';
import type { KubeCall, KubeObject, KubeRequester } from '../ports.ts';
import { installSelector, type Installation } from './labels.ts';

/** The field manager of every write `deploy` makes (kubectl's `--field-manager`). */
export const FIELD_MANAGER = 'kubectl-cpa';

/** The kinds an installation consists of, with where they live; deletion goes in this order. */
export const INSTALL_KINDS = [
  { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps', resource: 'deployments', anyNs: false },
  {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    group: 'policy',
    resource: 'poddisruptionbudgets',
    anyNs: false,
  },
  { kind: 'ConfigMap', apiVersion: 'v1', group: '', resource: 'configmaps', anyNs: false },
  {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    group: 'coordination.k8s.io',
    resource: 'leases',
    anyNs: false,
  },
  {
    kind: 'RoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    group: 'rbac.authorization.k8s.io',
    resource: 'rolebindings',
    anyNs: true,
  },
  {
    kind: 'Role',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    group: 'rbac.authorization.k8s.io',
    resource: 'roles',
    anyNs: true,
  },
  { kind: 'ServiceAccount', apiVersion: 'v1', group: '', resource: 'serviceaccounts', anyNs: false },
] as const;

type InstallKind = (typeof INSTALL_KINDS)[number];

function kindOf(object: KubeObject): InstallKind {
  const found = INSTALL_KINDS.find((k) => k.kind === object.kind && k.apiVersion === object.apiVersion);
  if (found === undefined) throw new Error(`deploy does not write ${object.apiVersion} ${object.kind}`);
  return found;
}

function collectionPath(k: InstallKind, namespace: string | null): string {
  const root = k.group === '' ? `/api/${k.apiVersion}` : `/apis/${k.apiVersion}`;
  const ns = namespace === null ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${root}${ns}/${k.resource}`;
}

/** `kind/name` as kubectl prints it (`deployment.apps/cpa`, `configmap/cpa-web`). */
export function objectRef(object: KubeObject): string {
  const k = kindOf(object);
  const kind = k.kind.toLowerCase();
  return `${k.group === '' ? kind : `${kind}.${k.group}`}/${object.metadata?.name ?? ''}`;
}

/** How apply runs: for real, or as a server dry run (admission and validation, nothing stored). */
export interface ApplyOptions {
  dryRun: boolean;
}

/** Server-side applies one object; resolves with what the server returned. Throws KubeError. */
export async function applyObject(
  request: KubeRequester,
  object: KubeObject,
  options: ApplyOptions,
): Promise<KubeObject> {
  const k = kindOf(object);
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const query: Record<string, string> = { fieldManager: FIELD_MANAGER, force: 'true' };
  if (options.dryRun) query.dryRun = 'All';
  const call: KubeCall = { verb: 'patch', group: k.group, resource: k.resource, namespace, name };
  const res = await request({
    method: 'PATCH',
    path: `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`,
    query,
    // JSON is YAML: the apply content type takes the object as we hold it.
    body: object,
    contentType: 'application/apply-patch+yaml',
    call,
  });
  return res.body as KubeObject;
}

/** One object found by its labels. */
export interface FoundObject {
  kind: string;
  group: string;
  resource: string;
  namespace: string;
  name: string;
}

/**
 * Every object of `inst`, in deletion order. Roles and RoleBindings are listed in every namespace (they
 * follow the targets); when that is forbidden, only the home namespace is searched and `warnings` says so.
 */
export async function findInstallation(
  request: KubeRequester,
  inst: Installation,
): Promise<{ found: FoundObject[]; warnings: string[] }> {
  const found: FoundObject[] = [];
  const warnings: string[] = [];
  const labelSelector = installSelector(inst);
  for (const k of INSTALL_KINDS) {
    let items: KubeObject[];
    try {
      items = await listByLabel(request, k, k.anyNs ? null : inst.namespace, labelSelector);
    } catch (err) {
      if (!k.anyNs || !(err instanceof KubeError) || err.details.status !== 403) throw err;
      warnings.push(
        `cannot list ${k.resource} in all namespaces (${err.message}); searched "${inst.namespace}" only`,
      );
      items = await listByLabel(request, k, inst.namespace, labelSelector);
    }
    for (const item of items) {
      const { name = '', namespace = '' } = item.metadata ?? {};
      found.push({ kind: k.kind, group: k.group, resource: k.resource, namespace, name });
    }
  }
  return { found, warnings };
}

async function listByLabel(
  request: KubeRequester,
  k: InstallKind,
  namespace: string | null,
  labelSelector: string,
): Promise<KubeObject[]> {
  const call: KubeCall = { verb: 'list', group: k.group, resource: k.resource };
  if (namespace !== null) call.namespace = namespace;
  const items: KubeObject[] = [];
  let cont = '';
  do {
    const query: Record<string, string> = { labelSelector, limit: '500' };
    if (cont !== '') query.continue = cont;
    const res = await request({ method: 'GET', path: collectionPath(k, namespace), query, call });
    const body = res.body as { items?: KubeObject[]; metadata?: { continue?: string } } | null;
    items.push(...(body?.items ?? []));
    cont = body?.metadata?.continue ?? '';
  } while (cont !== '');
  return items;
}

/** Deletes one found object (its dependents, the ReplicaSets and pods, by the garbage collector). 404 is done. */
export async function deleteObject(
  request: KubeRequester,
  object: FoundObject,
  dryRun: boolean,
): Promise<void> {
  const k = INSTALL_KINDS.find((x) => x.kind === object.kind);
  if (k === undefined) throw new Error(`undeploy does not delete ${object.kind}`);
  const query: Record<string, string> = {};
  if (dryRun) query.dryRun = 'All';
  try {
    await request({
      method: 'DELETE',
      path: `${collectionPath(k, object.namespace)}/${encodeURIComponent(object.name)}`,
      query,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      call: {
        verb: 'delete',
        group: k.group,
        resource: k.resource,
        namespace: object.namespace,
        name: object.name,
      },
    });
  } catch (err) {
    if (err instanceof KubeError && err.details.status === 404) return;
    throw err;
  }
}
