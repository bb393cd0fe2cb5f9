// Kubernetes `Status` failure bodies, worded and coded as kube-apiserver words them, so that clients (and
// kubectl-cpa's own error messages) read the sandbox's refusals exactly like a real cluster's.
import type { Obj } from './json.ts';

/** One entry of `details.causes` of a 422. */
export interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** A refused request: HTTP code plus the Status body to send. */
export class ApiError extends Error {
  readonly code: number;
  readonly body: Obj;
  constructor(code: number, reason: string, message: string, details?: Obj) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.body = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details === undefined ? {} : { details }),
      code,
    };
  }
}

/** What an error names: the plural resource with its group (`deployments.apps`) and the object. */
export interface Subject {
  group: string;
  resource: string;
  name?: string;
}

function groupResource(s: Subject): string {
  return s.group === '' ? s.resource : `${s.resource}.${s.group}`;
}

function details(s: Subject): Obj {
  const out: Obj = {};
  if (s.name !== undefined && s.name !== '') out.name = s.name;
  if (s.group !== '') out.group = s.group;
  out.kind = s.resource;
  return out;
}

/** 404 for a named object. */
export function notFound(s: Subject): ApiError {
  return new ApiError(404, 'NotFound', `${groupResource(s)} "${s.name ?? ''}" not found`, details(s));
}

/** 404 for a path the server does not serve (unknown resource or subresource in a known group). */
export function noSuchResource(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 409 on create of an existing name. */
export function alreadyExists(s: Subject): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${groupResource(s)} "${s.name ?? ''}" already exists`,
    details(s),
  );
}

/** 409 on a write whose resourceVersion is not the stored one. */
export function conflict(s: Subject): ApiError {
  const message =
    `Operation cannot be fulfilled on ${groupResource(s)} "${s.name ?? ''}": the object has been modified; ` +
    'please apply your changes to the latest version and try again';
  return new ApiError(409, 'Conflict', message, details(s));
}

/**
 * 422 with one cause per invalid field; `kind` and `group` name the object's type (`Scale`, `autoscaling`).
 * Empty ones are left out of the details as Go's omitempty does (a patch that does not decode names none).
 */
export function invalid(kind: string, group: string, name: string, causes: Cause[]): ApiError {
  const qualified = group === '' ? kind : `${kind}.${group}`;
  const list = causes.map((c) => (c.field === '' ? c.message : `${c.field}: ${c.message}`));
  const what = list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
  const body: Obj = {
    ...(name === '' ? {} : { name }),
    ...(group === '' ? {} : { group }),
    ...(kind === '' ? {} : { kind }),
    causes,
  };
  return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${what}`, body);
}

/** A FieldValueInvalid cause, worded like apimachinery's field.Invalid. */
export function invalidValue(field: string, value: unknown, detail: string): Cause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${detail}`, field };
}

/** A FieldValueRequired cause. */
export function required(field: string, detail = ''): Cause {
  return {
    reason: 'FieldValueRequired',
    message: detail === '' ? 'Required value' : `Required value: ${detail}`,
    field,
  };
}

/** How kube-apiserver prints a bad value in validation messages: as JSON. */
function goValue(value: unknown): string {
  return value === undefined ? 'null' : goJson(value);
}

/** JSON as Go marshals decoded maps: keys sorted at every level. */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Go marshals maps with sorted keys. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, sortKeys(obj[k])]),
  );
}

/** 403 from the authorizer, naming the user, verb, resource and scope. */
export function forbidden(
  s: Subject & { subresource?: string; namespace?: string },
  user: string,
  verb: string,
): ApiError {
  const resource = s.subresource === undefined ? s.resource : `${s.resource}/${s.subresource}`;
  const scope = s.namespace === undefined ? 'at the cluster scope' : `in the namespace "${s.namespace}"`;
  const what = s.name === undefined || s.name === '' ? groupResource(s) : `${groupResource(s)} "${s.name}"`;
  const message = `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${s.group}" ${scope}`;
  return new ApiError(403, 'Forbidden', message, details(s));
}

/** 401 for a missing or unknown bearer token. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** 400 with the server's explanation. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** 405 for a verb the resource does not support. */
export function methodNotAllowed(s: Subject): ApiError {
  const d: Obj = s.group === '' ? { kind: s.resource } : { group: s.group, kind: s.resource };
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    d,
  );
}

/** 415 for a Content-Type that is no patch type at all. */
export function unsupportedMediaType(): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
}

/** 415 for a patch type this resource does not take (strategic merge on a custom resource). */
export function patchTypeNotAccepted(accepted: readonly string[]): ApiError {
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return new ApiError(415, 'UnsupportedMediaType', message);
}

/** 422 for a JSON patch operation that does not apply (kube-apiserver hides the detail). */
export function patchRejected(): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 410 for a watch from a resourceVersion older than the history kept. */
export function expired(requested: string, oldest: number): ApiError {
  return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** A 500 for a handler bug: the client gets a Status instead of a dropped connection. */
export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
}
