// What kube-apiserver's registry strategies do around a write: system metadata on create (uid, timestamps,
// generation), the resourceVersion precondition, generation bumps when the spec changes, status kept apart
// from spec by the status subresource, defaulting and validation. Handlers call these on copies.
import { applyDefaults } from './defaults.ts';
import type { ResourceDef } from './registry.ts';
import { badRequest, conflict, invalid, type Subject } from '../wire/status.ts';
import { clone, isMap, metaOf, sameJson, type Meta, type Obj } from '../wire/json.ts';
import type { SandboxEnv } from './context.ts';
import { validateObject, validateUpdate } from './validate.ts';

/** RFC 3339 UTC with second precision, as metav1.Time marshals. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The subject of error messages about one object of `def`. */
export function subjectOf(def: ResourceDef, name?: string): Subject {
  return { group: def.group, resource: def.plural, name };
}

/** Kinds whose objects carry metadata.generation (those with a spec that controllers act on). */
function hasGeneration(def: ResourceDef): boolean {
  return (
    def.custom === true ||
    ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(def.kind)
  );
}

function hasStatusSubresource(def: ResourceDef): boolean {
  return def.subresources.some((s) => s.name === 'status');
}

/** Everything but metadata and status: what a generation counts changes of. */
function specPart(obj: Obj): Obj {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Throws 422 when `causes` is not empty. */
function check(def: ResourceDef, name: string, causes: ReturnType<typeof validateObject>): void {
  if (causes.length > 0) throw invalid(def.kind, def.group, name, causes);
}

/** A new object of `def` in `namespace` ('' for cluster-scoped) from a client's body, ready to store. */
export function prepareCreate(def: ResourceDef, body: Obj, namespace: string, env: SandboxEnv): Obj {
  const obj = clone(body);
  const meta: Meta = isMap(obj.metadata) ? (obj.metadata as Meta) : {};
  if (def.namespaced && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== '')
    throw badRequest('resourceVersion should not be set on objects to be created');
  if ((meta.name ?? '') === '' && (meta.generateName ?? '') !== '')
    meta.name = `${meta.generateName}${env.suffix(5)}`;
  const system: Meta = { uid: env.uuid(), creationTimestamp: timestamp(env.nowMs()) };
  if (hasGeneration(def)) system.generation = 1;
  const {
    uid: _u,
    creationTimestamp: _c,
    generation: _g,
    deletionTimestamp: _d,
    managedFields: _f,
    namespace: _n,
    ...given
  } = meta;
  obj.metadata = { ...given, ...system, ...(def.namespaced ? { namespace } : {}) };
  obj.apiVersion = def.group === '' ? def.version : `${def.group}/${def.version}`;
  obj.kind = def.kind;
  // Built-in kinds always carry a status struct (`{}` until a controller fills it); CRDs only when set.
  if (hasStatusSubresource(def) && def.kind !== 'Namespace') {
    if (def.custom) delete obj.status;
    else obj.status = {};
  }
  applyDefaults(def.kind, obj);
  check(def, metaOf(obj).name ?? '', validateObject(def.kind, obj));
  return reorderMeta(obj);
}

/** The conflict check: a non-empty resourceVersion in the request must be the stored one. */
export function checkPrecondition(def: ResourceDef, requested: unknown, current: Obj): void {
  const stored = metaOf(current).resourceVersion;
  if (typeof requested === 'string' && requested !== '' && requested !== stored)
    throw conflict(subjectOf(def, metaOf(current).name));
}

/**
 * The object to store when a client replaces `current` with `body` (PUT, or the result of a patch) through the
 * main resource (`part` 'main') or the status subresource ('status').
 */
export function prepareUpdate(def: ResourceDef, body: Obj, current: Obj, part: 'main' | 'status'): Obj {
  const old = metaOf(current);
  const given: Meta = isMap(body.metadata) ? (body.metadata as Meta) : {};
  if ((given.name ?? old.name) !== old.name)
    throw badRequest(
      `the name of the object (${given.name}) does not match the name on the URL (${old.name})`,
    );
  if (
    def.namespaced &&
    given.namespace !== undefined &&
    given.namespace !== '' &&
    given.namespace !== old.namespace
  )
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  checkPrecondition(def, given.resourceVersion, current);
  let obj: Obj;
  if (part === 'status') {
    obj = { ...clone(current), status: clone(body.status) };
  } else {
    obj = clone(body);
    if (hasStatusSubresource(def) && def.kind !== 'Namespace') obj.status = clone(current.status);
    const { managedFields: _f, ...rest } = given;
    obj.metadata = { ...rest, name: old.name, uid: old.uid, creationTimestamp: old.creationTimestamp };
    if (def.namespaced) (obj.metadata as Meta).namespace = old.namespace;
    if (old.generation !== undefined) (obj.metadata as Meta).generation = old.generation;
    if (old.deletionTimestamp !== undefined) (obj.metadata as Meta).deletionTimestamp = old.deletionTimestamp;
  }
  if (obj.status === undefined) delete obj.status;
  obj.apiVersion = current.apiVersion;
  obj.kind = current.kind;
  applyDefaults(def.kind, obj);
  if (old.generation !== undefined && !sameJson(specPart(obj), specPart(current)))
    (obj.metadata as Meta).generation = old.generation + 1;
  check(def, old.name ?? '', validateUpdate(def.kind, obj, current));
  return reorderMeta(obj);
}

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
];

/** kind, apiVersion, metadata first and metadata's system fields in Go's field order, as the real server prints. */
function reorderMeta(obj: Obj): Obj {
  const meta = metaOf(obj);
  const ordered: Meta = {};
  for (const key of META_ORDER) if (meta[key] !== undefined) ordered[key] = meta[key];
  for (const [key, value] of Object.entries(meta)) if (!META_ORDER.includes(key)) ordered[key] = value;
  const { kind, apiVersion, metadata: _m, ...rest } = obj;
  return { kind, apiVersion, metadata: ordered, ...rest };
}
