// Discovery documents built from the registry, in both forms kube-apiserver serves: the legacy ones
// (`/api`, `/apis`, `/api/v1`, `/apis/{g}/{v}`) and the aggregated APIGroupDiscoveryList that kubectl asks
// for first (apidiscovery.k8s.io/v2). Both list exactly what the registry serves.
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, servedGroups, type ResourceDef } from '../store/registry.ts';
import type { Obj } from '../wire/json.ts';

/** The Content-Type of an aggregated discovery answer. */
export const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** kube-apiserver's storageVersionHash: the first 8 bytes of sha256("group/version/kind"), base64. */
export function storageVersionHash(r: { group: string; version: string; kind: string }): string {
  return createHash('sha256')
    .update(`${r.group}/${r.version}/${r.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** True when the Accept header asks for aggregated discovery (v2) before plain JSON. */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}

/** `/api`: the core group's versions, with the address clients should use. */
export function apiVersions(serverAddress: string): Obj {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(g: { group: string; version: string }): Obj {
  const gv = { groupVersion: `${g.group}/${g.version}`, version: g.version };
  return { name: g.group, versions: [gv], preferredVersion: gv };
}

/** `/apis`: every named group with its (single) version. */
export function apiGroupList(): Obj {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups().map(groupEntry) };
}

/** `/apis/{group}`: one group, or undefined when not served. */
export function apiGroup(group: string): Obj | undefined {
  const g = servedGroups().find((s) => s.group === group);
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g) };
}

/** apiextensions-apiserver lists a custom resource's verbs in its own order. */
const CUSTOM_VERB_ORDER = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

function verbsOf(r: ResourceDef): string[] {
  return r.custom ? CUSTOM_VERB_ORDER.filter((v) => r.verbs.includes(v)) : r.verbs;
}

function legacyEntries(r: ResourceDef): Obj[] {
  const main: Obj = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: verbsOf(r),
  };
  if (r.shortNames) main.shortNames = r.shortNames;
  if (r.categories) main.categories = r.categories;
  if (!r.virtual) main.storageVersionHash = storageVersionHash(r);
  const subs = r.subresources.map((s) => ({
    name: `${r.plural}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(s.group === undefined ? {} : { group: s.group, version: s.version }),
    kind: s.kind,
    verbs: s.verbs,
  }));
  return [main, ...subs];
}

function resourcesOf(group: string, version: string): ResourceDef[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

/** `/api/v1`, `/apis/{g}/{v}`: the APIResourceList, or undefined when the group/version is not served. */
export function apiResourceList(group: string, version: string): Obj | undefined {
  const resources = resourcesOf(group, version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: resources.flatMap(legacyEntries),
  };
}

function aggregatedResource(r: ResourceDef): Obj {
  // Built-in kinds leave group/version empty ("same as the list"); custom resources spell them out.
  const own = r.custom ? { group: r.group, version: r.version } : { group: '', version: '' };
  const out: Obj = {
    resource: r.plural,
    responseKind: { ...own, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: verbsOf(r),
  };
  if (r.shortNames) out.shortNames = r.shortNames;
  if (r.categories) out.categories = r.categories;
  if (r.subresources.length > 0) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? own.group, version: s.version ?? own.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

function aggregatedGroup(group: string, version: string): Obj {
  return {
    metadata: group === '' ? {} : { name: group },
    versions: [
      { version, resources: resourcesOf(group, version).map(aggregatedResource), freshness: 'Current' },
    ],
  };
}

/** The aggregated discovery document of `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(core: boolean): Obj {
  const items = core
    ? [aggregatedGroup('', 'v1')]
    : servedGroups().map((g) => aggregatedGroup(g.group, g.version));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
