// Strategic merge patch for the built-in kinds the sandbox serves: like a merge patch, except that lists
// whose Go field declares `patchStrategy:"merge"` merge element by element on their merge key (containers by
// name, ports by containerPort, ...), and the directives kubectl sends (`$patch`, `$retainKeys`,
// `$setElementOrder/…`, `$deleteFromPrimitiveList/…`) are honoured. Lists without a strategy are replaced.
import { clone, getOwn, isMap, setOwn } from './json.ts';
import { PatchError } from './patch.ts';

/** Merge keys of the list fields that merge (field name → key), from the Go types' patchMergeKey tags. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  ports: 'containerPort',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  conditions: 'type',
  resourceClaims: 'name',
  topologySpreadConstraints: 'topologyKey',
  addresses: 'type',
};

/** Lists of scalars that merge as sets (patchStrategy merge without a key). */
const SET_LISTS = new Set(['finalizers']);

const ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to a copy of `doc`. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isMap(patch))
    throw new PatchError('json: cannot unmarshal into Go value of type map[string]interface {}', true);
  const merged = mergeMap(isMap(doc) ? clone(doc) : {}, patch);
  return merged ?? {};
}

function mergeMap(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as Record<string, unknown>;
  const out = original;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const drop = Array.isArray(value) ? value : [];
      const list = getOwn(out, field);
      if (Array.isArray(list))
        setOwn(
          out,
          field,
          list.filter((v) => !drop.includes(v)),
        );
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = getOwn(out, key);
    if (isMap(value) && isMap(current)) {
      const merged = mergeMap(current, value);
      if (merged === undefined) delete out[key];
      else setOwn(out, key, merged);
    } else if (Array.isArray(value) && Array.isArray(current)) {
      setOwn(out, key, mergeList(key, current, value, getOwn(patch, `${ORDER}${key}`)));
    } else if (isMap(value) && value.$patch === 'delete') {
      delete out[key];
    } else {
      setOwn(out, key, stripDirectives(value));
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(retainedKey));
    for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
  }
  return out;
}

/** An entry of `$retainKeys`: field names only. */
function retainedKey(entry: unknown): string {
  if (typeof entry !== 'string') throw new PatchError('$retainKeys must be a list of field names');
  return entry;
}

function mergeList(field: string, original: unknown[], patch: unknown[], order: unknown): unknown[] {
  if (patch.some((item) => isMap(item) && item.$patch === 'replace'))
    return patch.filter((item) => !(isMap(item) && item.$patch === 'replace')).map(stripDirectives);
  if (SET_LISTS.has(field)) return [...original, ...patch.filter((v) => !original.includes(v))];
  const key = Object.hasOwn(MERGE_KEYS, field) ? MERGE_KEYS[field] : undefined;
  if (key === undefined) return patch.map(stripDirectives);
  const out = [...original];
  for (const item of patch) {
    if (!isMap(item))
      throw new PatchError(`unable to find api field in struct for the list item of ${field}`);
    const at = out.findIndex((o) => isMap(o) && sameKey(o[key], item[key]));
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = mergeMap(out[at] as Record<string, unknown>, item) ?? {};
    } else {
      out.push(stripDirectives(item));
    }
  }
  return Array.isArray(order) ? reorder(out, order, key) : out;
}

function sameKey(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** `$setElementOrder`: listed elements first in the given order, the others after, in their order. */
function reorder(items: unknown[], order: unknown[], key: string): unknown[] {
  const rank = (item: unknown): number => {
    const i = order.findIndex((o) => isMap(o) && isMap(item) && sameKey(item[key], o[key]));
    return i < 0 ? order.length : i;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}

/** A patch value with every `$…` directive removed (it is being inserted, not merged). */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) setOwn(out, k, stripDirectives(v));
  return out;
}
