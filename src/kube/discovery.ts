// Resolves apiVersion+kind to the plural resource the REST paths need, through the API server's discovery
// documents, like client-go's REST mapper: Kind matched exactly or case-insensitively, subresources listed
// as `<plural>/scale`. Lists are cached per group/version for the life of the client.
import { KubeError } from '../errors.ts';
import type { KubeRequester, ResolvedTarget } from '../ports.ts';

/** One entry of an APIResourceList (`/api/v1`, `/apis/<group>/<version>`). */
export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  singularName?: string;
  shortNames?: string[];
  verbs?: string[];
}

/** The discovery document of one group/version. */
export interface ApiResourceList {
  groupVersion: string;
  resources: ApiResource[];
}

/** A group/version; group '' is the core group. */
export interface GroupVersion {
  group: string;
  version: string;
}

function resolveError(message: string, apiVersion: string, hint?: string): KubeError {
  return new KubeError(
    message,
    { verb: 'resolve', resource: apiVersion, status: 404, reason: 'NotFound' },
    { hint },
  );
}

/** Splits `apps/v1` / `v1`; throws KubeError for anything else (CPA: `unexpected GroupVersion string`). */
export function parseApiVersion(apiVersion: string): GroupVersion {
  const parts = apiVersion.split('/');
  const valid = parts.length <= 2 && parts.every((p) => p !== '' && !/\s/.test(p));
  if (!valid) throw resolveError(`unexpected GroupVersion string: "${apiVersion}"`, apiVersion);
  return parts.length === 1 ? { group: '', version: parts[0]! } : { group: parts[0]!, version: parts[1]! };
}

/** `v1` or `apps/v1`. */
export function formatGroupVersion(gv: GroupVersion): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** The URL prefix of a group/version: `/api/v1` for core, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(gv: GroupVersion): string {
  return gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
}

/** The top-level resources of a list (subresources such as `deployments/status` share their parent's Kind). */
function topLevel(list: ApiResourceList): ApiResource[] {
  return list.resources.filter((r) => !r.name.includes('/'));
}

/** The resource serving `kind`: exact Kind first, then case-insensitive (`deployment` finds Deployment). */
export function findKind(list: ApiResourceList, kind: string): ApiResource | undefined {
  const resources = topLevel(list);
  return (
    resources.find((r) => r.kind === kind) ??
    resources.find((r) => r.kind.toLowerCase() === kind.toLowerCase())
  );
}

/** The resource a kubectl word names: plural, singular, short name or lower-case Kind. */
export function findResourceWord(list: ApiResourceList, word: string): ApiResource | undefined {
  const w = word.toLowerCase();
  const resources = topLevel(list);
  return (
    resources.find((r) => r.name === w) ??
    resources.find((r) => r.singularName === w || r.kind.toLowerCase() === w) ??
    resources.find((r) => r.shortNames?.includes(w) === true)
  );
}

/** True when the list serves `<plural>/scale`. */
export function hasScaleSubresource(list: ApiResourceList, plural: string): boolean {
  return list.resources.some((r) => r.name === `${plural}/scale`);
}

/** Kinds in the list whose resource has a scale subresource, sorted (for "did you mean" messages). */
export function scaleKinds(list: ApiResourceList): string[] {
  const kinds = topLevel(list)
    .filter((r) => hasScaleSubresource(list, r.name))
    .map((r) => r.kind);
  return [...new Set(kinds)].sort();
}

/** The message for a kind that discovery does not list in its group/version. */
export function kindNotFoundMessage(list: ApiResourceList, kind: string): string {
  const scalable = scaleKinds(list);
  const there =
    scalable.length === 0
      ? `${list.groupVersion} has no kinds with a scale subresource`
      : `kinds with a scale subresource there: ${scalable.join(', ')}`;
  return `no kind "${kind}" in ${list.groupVersion}; ${there}`;
}

/** The error getScale/patchScale raise for a target whose resource has no `/scale`. */
export function noScaleError(target: ResolvedTarget, verb: string): KubeError {
  const gr = target.group === '' ? target.resource : `${target.resource}.${target.group}`;
  return new KubeError(
    `${gr} "${target.name}" has no scale subresource (discovery of ${formatGroupVersion(target)} lists no ${target.resource}/scale)`,
    {
      verb,
      resource: `${gr}/scale`,
      namespace: target.namespace,
      name: target.name,
      reason: 'NoScaleSubresource',
    },
    {
      hint: 'autoscale a Deployment, StatefulSet, ReplicaSet, ReplicationController or a CRD that declares subresources.scale',
    },
  );
}

/** Validates a discovery answer enough that the matchers above can trust it. */
export function asResourceList(body: unknown, gv: GroupVersion): ApiResourceList {
  const obj = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const resources = Array.isArray(obj.resources) ? obj.resources : [];
  const valid = resources.filter(
    (r): r is ApiResource =>
      typeof r === 'object' && r !== null && typeof r.name === 'string' && typeof r.kind === 'string',
  );
  return { groupVersion: formatGroupVersion(gv), resources: valid };
}

/** One entry of `/apis`: a group with its versions and the server's preferred one. */
export interface ApiGroup {
  name: string;
  versions: string[];
  preferredVersion: string;
}

/** Reads an APIGroupList (`/apis`), keeping groups in the server's order (kubectl's priority order). */
export function asGroupList(body: unknown): ApiGroup[] {
  const groups = (body as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) return [];
  return groups.flatMap(
    (g: { name?: unknown; versions?: { version?: unknown }[]; preferredVersion?: { version?: unknown } }) => {
      if (typeof g?.name !== 'string' || !Array.isArray(g.versions)) return [];
      const versions = g.versions.map((v) => v.version).filter((v): v is string => typeof v === 'string');
      const preferred =
        typeof g.preferredVersion?.version === 'string' ? g.preferredVersion.version : versions[0];
      return preferred === undefined ? [] : [{ name: g.name, versions, preferredVersion: preferred }];
    },
  );
}

/** Resolves kinds and kubectl words against one API server; caches each group/version's list. */
export class Discovery {
  readonly #request: KubeRequester;
  readonly #lists = new Map<string, Promise<ApiResourceList>>();

  constructor(request: KubeRequester) {
    this.#request = request;
  }

  /** The resource list of a group/version (cached); a missing group/version names what the server has. */
  resourceList(gv: GroupVersion): Promise<ApiResourceList> {
    const key = formatGroupVersion(gv);
    let list = this.#lists.get(key);
    if (list === undefined) {
      list = this.#fetchList(gv);
      this.#lists.set(key, list);
      // A failed lookup is not remembered: the CRD may be installed by the next cycle.
      list.catch(() => this.#lists.delete(key));
    }
    return list;
  }

  /** Finds the resource for apiVersion+kind in `namespace`; `hasScale` tells whether `/scale` is served. */
  async resolve(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget> {
    const gv = parseApiVersion(ref.apiVersion);
    const list = await this.resourceList(gv);
    const resource = findKind(list, ref.kind);
    if (resource === undefined) {
      this.#lists.delete(formatGroupVersion(gv));
      throw resolveError(kindNotFoundMessage(list, ref.kind), ref.apiVersion);
    }
    if (!resource.namespaced) {
      throw resolveError(
        `${resource.kind} (${list.groupVersion}) is cluster-scoped; a scale target must be namespaced`,
        ref.apiVersion,
      );
    }
    return {
      ...gv,
      resource: resource.name,
      kind: resource.kind,
      name: ref.name,
      namespace,
      hasScale: hasScaleSubresource(list, resource.name),
    };
  }

  /** Finds apiVersion+kind for a kubectl word (`rollouts`, `ro`) across the preferred versions of all groups. */
  async lookup(
    word: string,
    restrict: { group?: string; version?: string } = {},
  ): Promise<{ apiVersion: string; kind: string }> {
    for (const gv of await this.#candidates(restrict)) {
      const list = await this.resourceList(gv).catch(() => null);
      const found = list === null ? undefined : findResourceWord(list, word);
      if (found !== undefined) return { apiVersion: formatGroupVersion(gv), kind: found.kind };
    }
    const where = restrict.group === undefined ? '' : ` in API group "${restrict.group}"`;
    throw resolveError(
      `the server has no resource type "${word}"${where}`,
      word,
      'check `kubectl api-resources`, or pass GROUP/VERSION/KIND/NAME',
    );
  }

  /** Group/versions to search, core first then groups in the server's order (kubectl's priority). */
  async #candidates(restrict: { group?: string; version?: string }): Promise<GroupVersion[]> {
    const out: GroupVersion[] = [];
    if (restrict.group === undefined || restrict.group === '')
      out.push({ group: '', version: restrict.version ?? 'v1' });
    if (restrict.group === '') return out;
    const groups = asGroupList((await this.#request({ method: 'GET', path: '/apis' })).body);
    for (const g of groups) {
      if (restrict.group !== undefined && g.name !== restrict.group) continue;
      out.push({ group: g.name, version: restrict.version ?? g.preferredVersion });
    }
    return out;
  }

  async #fetchList(gv: GroupVersion): Promise<ApiResourceList> {
    const path = groupVersionPath(gv);
    try {
      return asResourceList((await this.#request({ method: 'GET', path })).body, gv);
    } catch (err) {
      if (!(err instanceof KubeError) || err.details.status !== 404) throw err;
      throw resolveError(
        await this.#missingGroupVersion(gv),
        formatGroupVersion(gv),
        'is the CustomResourceDefinition installed? (kubectl get crd)',
      );
    }
  }

  /** `the server has no API version "apps/v2"; group "apps" serves: v1` — short, whatever the cluster size. */
  async #missingGroupVersion(gv: GroupVersion): Promise<string> {
    const head = `the server has no API version "${formatGroupVersion(gv)}"`;
    if (gv.group === '') {
      const versions = (await this.#request({ method: 'GET', path: '/api' })).body as {
        versions?: string[];
      } | null;
      return `${head}; the core group serves: ${(versions?.versions ?? []).join(', ')}`;
    }
    const group = asGroupList((await this.#request({ method: 'GET', path: '/apis' })).body).find(
      (g) => g.name === gv.group,
    );
    if (group === undefined) return `${head}: no API group "${gv.group}" is served`;
    return `${head}; group "${gv.group}" serves: ${group.versions.join(', ')}`;
  }
}
