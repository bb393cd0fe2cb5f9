// `spec.replicas` is an int32 in kube-apiserver's Go types, and a value that is no int32 is refused before
// validation ever runs — by the step that turns JSON into the Go struct, so the answer depends on that step
// (all recorded from the real v1.37.2 server; test/e2e/sandbox-contract.test.ts compares them live):
// - a create or update body is decoded with encoding/json: 400 `<Kind> in version "v1" cannot be handled…`;
// - a JSON or merge patch is applied to JSON, then decoded: 422 on the field `patch`, quoting the object;
// - a strategic merge or apply patch goes through int64 and wraps into int32 (1e12 → -727379968), which
//   validation then judges; a fraction or a non-number fails the conversion: 422 on `patch`.
import { badRequest, goJson, invalid, invalidValue } from './status.ts';
import { isMap, type Obj } from './json.ts';

/** The kinds with an int32 spec.replicas, and the Go struct holding it (named in decoding errors). */
const SPEC_STRUCTS: Readonly<Record<string, string>> = {
  Deployment: 'DeploymentSpec',
  StatefulSet: 'StatefulSetSpec',
  ReplicaSet: 'ReplicaSetSpec',
  ReplicationController: 'ReplicationControllerSpec',
  Scale: 'ScaleSpec',
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function replicasOf(kind: string, obj: Obj): { struct: string; value: unknown } | undefined {
  const struct = SPEC_STRUCTS[kind];
  if (struct === undefined || !isMap(obj.spec)) return undefined;
  const value = obj.spec.replicas;
  // JSON null leaves Go's field at its zero value (or nil pointer): no error.
  return value === undefined || value === null ? undefined : { struct, value };
}

/** encoding/json's name for a JSON value it cannot store: `number 1.5`, `string`, `bool`, `object`, `array`. */
function jsonKind(value: unknown): string {
  if (typeof value === 'number') return `number ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : 'string';
}

/** encoding/json's error for a spec.replicas of `obj` that is no int32; undefined when it decodes. */
function replicasDecodeError(kind: string, obj: Obj): string | undefined {
  const field = replicasOf(kind, obj);
  if (field === undefined) return undefined;
  const { value } = field;
  if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX)
    return undefined;
  return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${field.struct}.spec.replicas of type int32`;
}

/** 400 for a create or update body whose spec.replicas is no int32. */
export function checkBodyReplicas(kind: string, version: string, obj: Obj): void {
  const error = replicasDecodeError(kind, obj);
  if (error !== undefined)
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${error}`);
}

/** 422 for the result of a JSON or merge patch whose spec.replicas is no int32. */
export function checkPatchedReplicas(kind: string, patched: Obj): void {
  const error = replicasDecodeError(kind, patched);
  if (error !== undefined) throw invalid('', '', '', [invalidValue('patch', goJson(patched), error)]);
}

/** Go's int32(int64(x)) on amd64: out-of-range float conversions give the minimum int64, whose low bits are 0. */
function wrapInt32(value: number): number {
  if (Math.abs(value) >= 2 ** 63) return 0;
  return Number(BigInt.asIntN(32, BigInt(value)));
}

/** Go's %v of a float64: the shortest digits, exponent form below 1e-4 and from 1e+06 on. */
function goFloat(value: number): string {
  const [mantissa = '', exp = '0'] = value.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(value);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's %v of a decoded JSON value: `map[k:v …]` with sorted keys, `[a b]`, bare strings. */
function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isMap(value))
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${goFormat(value[k])}`)
      .join(' ')}]`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  return value === null ? '<nil>' : String(value);
}

/**
 * A strategic-merge or apply result with spec.replicas converted as kube-apiserver converts it: integers
 * wrap into int32; anything else is a 422 on `patch` quoting the patch as Go prints it.
 */
export function convertPatchedReplicas(kind: string, patched: Obj, patch: unknown): Obj {
  const field = replicasOf(kind, patched);
  if (field === undefined) return patched;
  const { value } = field;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    const why = typeof value === 'number' ? 'cannot convert float64 to int32' : 'unrecognized type: int32';
    throw invalid('', '', '', [invalidValue('patch', goFormat(patch), why)]);
  }
  const wrapped = wrapInt32(value);
  return wrapped === value ? patched : { ...patched, spec: { ...(patched.spec as Obj), replicas: wrapped } };
}
