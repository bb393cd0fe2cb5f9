// Bearer-token authentication and an RBAC-shaped authorizer: a user without `rules` may do anything (the
// sandbox's admin), a user with rules only what a Role with those rules would allow. Discovery, health and
// version endpoints are open to every authenticated user, as kube-apiserver's default bindings make them.
import { timingSafeEqual } from 'node:crypto';
import { forbidden, unauthorized, type ApiError } from '../wire/status.ts';
import type { ResourceRoute } from './router.ts';

/** One PolicyRule; `*` matches anything, `namespaces` (ours) limits a rule to some namespaces. */
export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  namespaces?: string[];
}

/** A user the sandbox knows by token. */
export interface SandboxUser {
  name: string;
  token: string;
  /** Undefined: every right (cluster-admin). */
  rules?: Rule[];
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user whose token the `Authorization: Bearer …` header carries; throws 401 otherwise. */
export function authenticate(users: readonly SandboxUser[], header: string | undefined): SandboxUser {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const user = match === null ? undefined : users.find((u) => sameToken(u.token, match[1]!));
  if (user === undefined) throw unauthorized();
  return user;
}

function allows(
  rule: Rule,
  group: string,
  resource: string,
  verb: string,
  namespace: string | undefined,
): boolean {
  const has = (list: string[], value: string): boolean => list.includes('*') || list.includes(value);
  if (rule.namespaces !== undefined && (namespace === undefined || !has(rule.namespaces, namespace)))
    return false;
  return has(rule.apiGroups, group) && has(rule.resources, resource) && has(rule.verbs, verb);
}

/** Null when `user` may make the request, else the 403 to send. */
export function authorize(user: SandboxUser, route: ResourceRoute): ApiError | null {
  if (user.rules === undefined) return null;
  const { def, verb, namespace, subresource, name } = route;
  const resource = subresource === undefined ? def.plural : `${def.plural}/${subresource}`;
  if (user.rules.some((r) => allows(r, def.group, resource, verb, namespace))) return null;
  return forbidden({ group: def.group, resource: def.plural, name, subresource, namespace }, user.name, verb);
}
