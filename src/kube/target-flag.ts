// Parses `--target` the way kubectl reads TYPE/NAME, plus an explicit [GROUP/]VERSION/KIND/NAME form for
// targets discovery could not guess (several versions of a CRD, a kind that shares a short name).
import type { ScaleTargetRef } from '../config/types.ts';
import { UsageError } from '../errors.ts';

/** A `--target` value: a complete reference, or a kubectl resource word that discovery must resolve. */
export type ParsedTarget =
  | { form: 'ref'; ref: ScaleTargetRef }
  | { form: 'lookup'; resource: string; version?: string; group?: string; name: string };

interface WellKnown {
  apiVersion: string;
  kind: string;
  group: string;
}

const APPS = (kind: string): WellKnown => ({ apiVersion: 'apps/v1', kind, group: 'apps' });
const CORE = (kind: string): WellKnown => ({ apiVersion: 'v1', kind, group: '' });

// Built-in workloads with a scale subresource, under every spelling kubectl accepts (plural, singular, short).
const WELL_KNOWN: Record<string, WellKnown> = {
  deployments: APPS('Deployment'),
  deployment: APPS('Deployment'),
  deploy: APPS('Deployment'),
  statefulsets: APPS('StatefulSet'),
  statefulset: APPS('StatefulSet'),
  sts: APPS('StatefulSet'),
  replicasets: APPS('ReplicaSet'),
  replicaset: APPS('ReplicaSet'),
  rs: APPS('ReplicaSet'),
  replicationcontrollers: CORE('ReplicationController'),
  replicationcontroller: CORE('ReplicationController'),
  rc: CORE('ReplicationController'),
};

/** The accepted `--target` spellings, for help text and error hints. */
export const TARGET_FORMS =
  'TYPE/NAME (deployment/web, sts/db, rs/x, rc/x, statefulset.apps/db, rollouts.argoproj.io/r) or ' +
  '[GROUP/]VERSION/KIND/NAME (apps/v1/StatefulSet/db, v1/ReplicationController/x, argoproj.io/v1alpha1/Rollout/r)';

const VERSION = /^v\d+((alpha|beta)\d+)?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOURCE_WORD = /^[a-z][a-z0-9-]*$/;

function usage(value: string, problem: string): UsageError {
  return new UsageError(`invalid --target "${value}": ${problem}`, {
    hint: `--target takes ${TARGET_FORMS}`,
  });
}

/** Parses a `--target` value; throws UsageError naming the flag, the problem and the accepted forms. */
export function parseTargetFlag(value: string): ParsedTarget {
  const parts = value.trim().split('/');
  if (parts.length < 2 || parts.length > 4) return failShape(value, parts.length);
  const name = parts.at(-1)!;
  if (name === '') throw usage(value, 'the name after the last "/" is empty');
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw usage(value, `name "${name}" is not a valid object name (lowercase letters, digits, "-" and ".")`);
  }
  return parts.length === 2
    ? parseTypeName(value, parts[0]!, name)
    : parseFullRef(value, parts.slice(0, -1), name);
}

function failShape(value: string, count: number): never {
  if (value.trim() === '') throw usage(value, 'it is empty');
  if (count < 2) throw usage(value, 'expected TYPE/NAME, got no "/"');
  throw usage(value, 'too many "/" separators');
}

/** kubectl's TYPE/NAME where TYPE is `resource`, `resource.group` or `resource.version.group`. */
function parseTypeName(value: string, type: string, name: string): ParsedTarget {
  if (type === '') throw usage(value, 'the type before "/" is empty');
  const [word, ...rest] = type.toLowerCase().split('.');
  if (word === undefined || !RESOURCE_WORD.test(word)) throw usage(value, `"${type}" is not a resource type`);
  let version: string | undefined;
  let group: string | undefined = rest.length === 0 ? undefined : rest.join('.');
  if (rest.length >= 2 && VERSION.test(rest[0]!)) {
    version = rest[0];
    group = rest.slice(1).join('.');
  }
  if (group !== undefined && !DNS_SUBDOMAIN.test(group)) throw usage(value, `"${group}" is not an API group`);
  const known = WELL_KNOWN[word];
  const versionOk = version === undefined || version === known?.apiVersion.split('/').at(-1);
  if (known !== undefined && (group === undefined || group === known.group) && versionOk) {
    return { form: 'ref', ref: { apiVersion: known.apiVersion, kind: known.kind, name } };
  }
  return { form: 'lookup', resource: word, version, group, name };
}

/** `VERSION/KIND/NAME` (core group) or `GROUP/VERSION/KIND/NAME`; the kind keeps its case. */
function parseFullRef(value: string, head: string[], name: string): ParsedTarget {
  const [group, version, kind] =
    head.length === 2 ? ['', head[0]!, head[1]!] : [head[0]!, head[1]!, head[2]!];
  if (!VERSION.test(version)) {
    const guess = head.length === 2 ? ` (did you mean ${head[0]}/v1/${head[1]}/${name}?)` : '';
    throw usage(value, `"${version}" is not an API version like v1 or v1beta1${guess}`);
  }
  if (group !== '' && !DNS_SUBDOMAIN.test(group)) throw usage(value, `"${group}" is not an API group`);
  if (!KIND.test(kind)) throw usage(value, `"${kind}" is not a kind like Deployment`);
  const apiVersion = group === '' ? version : `${group}/${version}`;
  return { form: 'ref', ref: { apiVersion, kind, name } };
}
