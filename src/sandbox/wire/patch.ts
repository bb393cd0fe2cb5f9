// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over plain JSON, returning new values and never
// touching their input. Failures are PatchErrors whose text follows kube-apiserver's (evanphx/json-patch).
import { clone, getOwn, isMap, sameJson, setOwn } from './json.ts';

/** A patch that cannot be applied; the API turns it into a 422 (bad op) or 400 (bad document). */
export class PatchError extends Error {
  readonly badDocument: boolean;
  constructor(message: string, badDocument = false) {
    super(message);
    this.name = 'PatchError';
    this.badDocument = badDocument;
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6901: `/a/b~1c` → ['a', 'b/c']. */
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: unknown, parts: string[], path: string): { parent: unknown; key: string } {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[index(node, part, path, false)];
    else if (isMap(node) && Object.hasOwn(node, part)) node = node[part];
    else throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(node) && !isMap(node))
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  return { parent: node, key: parts[parts.length - 1]! };
}

function index(list: unknown[], key: string, path: string, forAdd: boolean): number {
  if (forAdd && key === '-') return list.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new PatchError(`doc is missing path: "${path}": missing value`);
  const i = Number(key);
  if (i > list.length || (!forAdd && i === list.length))
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  return i;
}

function get(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return doc;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) return parent[index(parent, key, path, false)];
  const map = parent as Record<string, unknown>;
  if (!Object.hasOwn(map, key)) throw new PatchError(`doc is missing path: "${path}": missing value`);
  return map[key];
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, path, true), 0, value);
  else setOwn(parent as Record<string, unknown>, key, value);
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) throw new PatchError('unable to remove the whole document');
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, path, false), 1);
  else {
    const map = parent as Record<string, unknown>;
    if (!Object.hasOwn(map, key))
      throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete map[key];
  }
  return doc;
}

/**
 * Unlike RFC 6902, a missing key in an existing map is set, not refused: kube-apiserver applies JSON patches
 * with evanphx/json-patch v4, whose replace only checks that the parent exists. kubectl-cpa relies on it to
 * scale up from 0, where the Scale has no spec.replicas (omitempty).
 */
function replace(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent[index(parent, key, path, false)] = value;
  else setOwn(parent as Record<string, unknown>, key, value);
  return doc;
}

function apply(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, clone(op.value));
    case 'remove':
      return remove(doc, op.path);
    case 'replace':
      return replace(doc, op.path, clone(op.value));
    case 'move': {
      const value = get(doc, op.from ?? '');
      return add(remove(doc, op.from ?? ''), op.path, value);
    }
    case 'copy':
      return add(doc, op.path, clone(get(doc, op.from ?? '')));
    case 'test':
      // Documents are compared, not texts: key order does not matter (as json-patch's equality).
      if (!sameJson(get(doc, op.path), op.value))
        throw new PatchError(`testing value ${op.path} failed: test failed`);
      return doc;
    default:
      throw new PatchError(`Unexpected kind: ${op.op}`);
  }
}

/** Applies an RFC 6902 patch (already parsed JSON) to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', true);
  let out = clone(doc);
  for (const raw of patch) {
    if (!isMap(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      throw new PatchError('Unexpected kind: missing op or path', true);
    out = apply(out, raw as unknown as Operation);
  }
  return out;
}

/** Applies an RFC 7386 merge patch to a copy of `doc`: null deletes, objects merge, anything else replaces. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(clone(doc), patch);
}

function mergeInto(doc: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Record<string, unknown> = isMap(doc) ? doc : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergeInto(getOwn(out, key), value));
  }
  return out;
}
