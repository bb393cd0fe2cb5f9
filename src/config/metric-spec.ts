// The inside of one kubernetesMetricSpecs entry: what Go's decoder would refuse (a quantity that does not
// parse, a non-integer utilization, a malformed label selector) is reported at load time with its key path,
// instead of failing every run. Which target types each source supports is left to the gathering, which
// fails with CPA's own texts (§6.1).
import { checkInt, checkMap, checkString, isMapping } from './checks.ts';
import { child, show, type At, type Report } from './issues.ts';
import { parseQuantity } from './quantity.ts';

const TARGET_FIELDS = ['type', 'value', 'averageValue', 'averageUtilization'];
const IDENTIFIER_FIELDS = ['name', 'selector'];
const SELECTOR_FIELDS = ['matchLabels', 'matchExpressions'];
const REQUIREMENT_FIELDS = ['key', 'operator', 'values'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Fields of each source object, in autoscaling/v2. */
const SOURCE_FIELDS: Record<string, string[]> = {
  resource: ['name', 'target'],
  containerResource: ['name', 'target', 'container'],
  pods: ['metric', 'target'],
  object: ['describedObject', 'target', 'metric'],
  external: ['metric', 'target'],
};

function checkQuantity(r: Report, at: At, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' && typeof value !== 'number') {
    r.problem(at, `must be a quantity such as "500m", "2" or "1Gi", got ${show(value)}`);
    return;
  }
  try {
    parseQuantity(String(value));
  } catch {
    r.problem(at, `must be a quantity such as "500m", "2" or "1Gi", got ${show(value)}`);
  }
}

function checkTarget(r: Report, at: At, value: unknown): void {
  const m = checkMap(
    r,
    at,
    value,
    TARGET_FIELDS,
    'a MetricTarget mapping {type, value | averageValue | averageUtilization}',
  );
  if (m === undefined) return;
  checkString(r, child(at, 'type'), m.type ?? '');
  checkQuantity(r, child(at, 'value'), m.value);
  checkQuantity(r, child(at, 'averageValue'), m.averageValue);
  if (m.averageUtilization !== undefined && m.averageUtilization !== null) {
    checkInt(r, child(at, 'averageUtilization'), m.averageUtilization, { unit: 'percent of requests' });
  }
}

function checkSelector(r: Report, at: At, value: unknown): void {
  if (typeof value === 'string') {
    // DOC≠CODE in CPA: its docs show a string here, which Go cannot decode into a LabelSelector.
    r.problem(
      at,
      `must be a label selector mapping such as {matchLabels: {queue: tasks}}, got ${show(value)}`,
    );
    return;
  }
  const m = checkMap(
    r,
    at,
    value,
    SELECTOR_FIELDS,
    'a label selector mapping {matchLabels, matchExpressions}',
  );
  if (m === undefined) return;
  if (m.matchLabels !== undefined && m.matchLabels !== null) {
    if (!isMapping(m.matchLabels))
      r.problem(child(at, 'matchLabels'), `must be a mapping of label to value, got ${show(m.matchLabels)}`);
    else
      for (const [k, v] of Object.entries(m.matchLabels))
        checkString(r, child(child(at, 'matchLabels'), k), v);
  }
  if (m.matchExpressions === undefined || m.matchExpressions === null) return;
  if (!Array.isArray(m.matchExpressions)) {
    r.problem(
      child(at, 'matchExpressions'),
      `must be a list of {key, operator, values}, got ${show(m.matchExpressions)}`,
    );
    return;
  }
  m.matchExpressions.forEach((e, i) => {
    const eAt = child(child(at, 'matchExpressions'), i);
    const req = checkMap(r, eAt, e, REQUIREMENT_FIELDS, 'a requirement {key, operator, values}');
    if (req === undefined) return;
    checkString(r, child(eAt, 'key'), req.key, { nonEmpty: true });
    if (!OPERATORS.includes(String(req.operator))) {
      r.problem(
        child(eAt, 'operator'),
        `must be one of ${OPERATORS.map((o) => `"${o}"`).join(', ')}, got ${show(req.operator)}`,
      );
      return;
    }
    const values = Array.isArray(req.values) ? req.values : [];
    const setOp = req.operator === 'In' || req.operator === 'NotIn';
    if (setOp && values.length === 0)
      r.problem(child(eAt, 'values'), `must not be empty for operator ${String(req.operator)}`);
    if (!setOp && values.length > 0)
      r.problem(child(eAt, 'values'), `must be empty for operator ${String(req.operator)}`);
  });
}

function checkIdentifier(r: Report, at: At, value: unknown): void {
  const m = checkMap(r, at, value, IDENTIFIER_FIELDS, 'a metric mapping {name, selector}');
  if (m === undefined) return;
  checkString(r, child(at, 'name'), m.name, { nonEmpty: true });
  if (m.selector !== undefined && m.selector !== null) checkSelector(r, child(at, 'selector'), m.selector);
}

/** Checks the source object of one spec (`resource`, `pods`, ...) under its key. */
export function checkMetricSource(r: Report, at: At, source: string, value: unknown): void {
  const fields = SOURCE_FIELDS[source];
  if (fields === undefined) return;
  const m = checkMap(r, at, value, fields, `a ${source} metric source mapping`);
  if (m === undefined) return;
  if ('name' in m || source === 'resource' || source === 'containerResource') {
    checkString(r, child(at, 'name'), m.name, { nonEmpty: true });
  }
  // A missing target decodes to type "" in Go; the run then fails with CPA's "invalid ... metric source" text.
  if (m.target !== undefined && m.target !== null) checkTarget(r, child(at, 'target'), m.target);
  if (source === 'pods' || source === 'object' || source === 'external') {
    if (m.metric === undefined || m.metric === null)
      r.problem(child(at, 'metric'), 'is required (a mapping {name, selector})');
    else checkIdentifier(r, child(at, 'metric'), m.metric);
  }
  if (source === 'object') {
    const d = checkMap(
      r,
      child(at, 'describedObject'),
      m.describedObject,
      ['kind', 'name', 'apiVersion'],
      'a mapping {kind, name, apiVersion}',
    );
    if (d !== undefined) {
      checkString(r, child(child(at, 'describedObject'), 'kind'), d.kind, { nonEmpty: true });
      checkString(r, child(child(at, 'describedObject'), 'name'), d.name, { nonEmpty: true });
    }
  }
}
