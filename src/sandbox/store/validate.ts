// Validation of what the sandbox stores, with kube-apiserver's field paths and wording: names, labels,
// replicas, selectors against template labels, containers. Every cause is collected (a 422 lists them all).
import { matches, parseLabelSelector } from '../wire/selector.ts';
import { invalidValue, required, type Cause } from '../wire/status.ts';
import { isMap, metaOf, sameJson, type Obj } from '../wire/json.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
  "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names must be DNS labels (63 chars, no dots) rather than subdomains. */
const LABEL_NAMED = new Set(['Namespace']);

function validateName(kind: string, name: string, causes: Cause[]): void {
  if (name === '') {
    causes.push(required('metadata.name', 'name or generateName is required'));
    return;
  }
  if (LABEL_NAMED.has(kind)) {
    if (!LABEL.test(name) || name.length > 63) causes.push(invalidValue('metadata.name', name, LABEL_MSG));
  } else if (!SUBDOMAIN.test(name) || name.length > 253) {
    causes.push(invalidValue('metadata.name', name, SUBDOMAIN_MSG));
  }
}

function validateLabels(labels: unknown, field: string, causes: Cause[]): void {
  if (labels === undefined || labels === null) return;
  if (!isMap(labels)) {
    causes.push(invalidValue(field, labels, 'must be a map of strings'));
    return;
  }
  for (const v of Object.values(labels)) {
    if (typeof v !== 'string' || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63)
      causes.push(
        invalidValue(
          `${field}`,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
  }
}

function validateContainers(spec: unknown, field: string, causes: Cause[]): void {
  const containers = isMap(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${field}.containers`));
    return;
  }
  containers.forEach((c, i) => {
    const at = `${field}.containers[${i}]`;
    if (!isMap(c) || typeof c.name !== 'string' || c.name === '') causes.push(required(`${at}.name`));
    if (!isMap(c) || typeof c.image !== 'string' || c.image === '') causes.push(required(`${at}.image`));
  });
}

function validateReplicas(spec: Obj, causes: Cause[]): void {
  const replicas = spec.replicas;
  if (replicas === undefined) return;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas))
    causes.push(invalidValue('spec.replicas', replicas, 'must be an integer'));
  else if (replicas < 0)
    causes.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
}

/** A LabelSelector object as a parsed selector (matchLabels and matchExpressions). */
export function selectorOf(selector: unknown): ReturnType<typeof parseLabelSelector> {
  if (!isMap(selector)) return [];
  const reqs = Object.entries(isMap(selector.matchLabels) ? selector.matchLabels : {}).map(([key, v]) => ({
    key,
    op: 'in' as const,
    values: [String(v)],
  }));
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isMap) : [];
  for (const e of exprs) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[String(e.operator)] as
      'in' | 'notin' | 'exists' | '!' | undefined;
    if (op !== undefined)
      reqs.push({ key: String(e.key), op: op as 'in', values: (e.values as string[]) ?? [] });
  }
  return reqs;
}

function validateWorkload(obj: Obj, causes: Cause[], mapSelector: boolean): void {
  const spec = isMap(obj.spec) ? obj.spec : {};
  validateReplicas(spec, causes);
  const template = isMap(spec.template) ? spec.template : undefined;
  const labels = template && isMap(template.metadata) ? template.metadata.labels : undefined;
  const selector = mapSelector
    ? Object.entries(isMap(spec.selector) ? spec.selector : {}).map(([key, v]) => ({
        key,
        op: 'in' as const,
        values: [String(v)],
      }))
    : selectorOf(spec.selector);
  if (!mapSelector && (!isMap(spec.selector) || selector.length === 0))
    causes.push(required('spec.selector'));
  if (template === undefined) {
    causes.push(required('spec.template'));
    return;
  }
  if (selector.length > 0 && !matches(selector, labels as Record<string, string> | undefined))
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  validateContainers(template.spec, 'spec.template.spec', causes);
}

const KIND_RULES: Readonly<Record<string, (obj: Obj, causes: Cause[]) => void>> = {
  Pod: (obj, causes) => validateContainers(obj.spec, 'spec', causes),
  Deployment: (obj, causes) => validateWorkload(obj, causes, false),
  ReplicaSet: (obj, causes) => validateWorkload(obj, causes, false),
  StatefulSet: (obj, causes) => validateWorkload(obj, causes, false),
  ReplicationController: (obj, causes) => validateWorkload(obj, causes, true),
  Widget: (obj, causes) => validateReplicas(isMap(obj.spec) ? obj.spec : {}, causes),
};

/** Every problem of `obj` as a 422 cause; empty when valid. */
export function validateObject(kind: string, obj: Obj): Cause[] {
  const causes: Cause[] = [];
  const meta = metaOf(obj);
  validateName(kind, meta.name ?? '', causes);
  validateLabels(meta.labels, 'metadata.labels', causes);
  KIND_RULES[kind]?.(obj, causes);
  return causes;
}

/** Problems of an update on top of validateObject: fields that may not change once created. */
export function validateUpdate(kind: string, next: Obj, old: Obj): Cause[] {
  const causes = validateObject(kind, next);
  if (['Deployment', 'ReplicaSet', 'StatefulSet'].includes(kind)) {
    const a = isMap(next.spec) ? next.spec.selector : undefined;
    const b = isMap(old.spec) ? old.spec.selector : undefined;
    if (!sameJson(a, b)) causes.push(invalidValue('spec.selector', a, 'field is immutable'));
  }
  return causes;
}
