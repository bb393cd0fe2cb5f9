// The configured MetricSpecs as CPA holds them: decoded into autoscaling/v2 Go structs, so unknown fields
// vanish, quantities take their canonical spelling and fields come out in struct order when the spec is
// echoed back to user logic as `kubernetesMetrics[].spec`. Label selectors are rendered the two ways CPA
// uses them: as a query (`labels.Selector.String()`) and as the Go dump inside error texts.
import { canonicalQuantity, parseQuantity } from '../../config/quantity.ts';

/** metav1.LabelSelector (matchLabels / matchExpressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** autoscaling/v2 MetricTarget; quantities kept as canonical strings. */
export interface MetricTarget {
  type: string;
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

export interface MetricIdentifier {
  name: string;
  selector?: LabelSelector;
}

export interface ObjectReference {
  kind: string;
  name: string;
  apiVersion?: string;
}

/** autoscaling/v2 MetricSpec with its fields in Go struct order. */
export interface MetricSpec {
  type: string;
  object?: { describedObject: ObjectReference; target: MetricTarget; metric: MetricIdentifier };
  pods?: { metric: MetricIdentifier; target: MetricTarget };
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; target: MetricTarget; container: string };
  external?: { metric: MetricIdentifier; target: MetricTarget };
}

type Raw = Record<string, unknown>;
const asMap = (v: unknown): Raw =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {};
// Go's YAML decoding turns a YAML 1.1 boolean or number given for a string field into its text (`y` → "true").
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const has = (m: Raw, key: string): boolean => m[key] !== undefined && m[key] !== null;

function quantity(v: unknown): string {
  return canonicalQuantity(parseQuantity(typeof v === 'number' ? String(v) : str(v)));
}

function target(raw: unknown): MetricTarget {
  const m = asMap(raw);
  const t: MetricTarget = { type: str(m.type) };
  if (has(m, 'value')) t.value = quantity(m.value);
  if (has(m, 'averageValue')) t.averageValue = quantity(m.averageValue);
  if (typeof m.averageUtilization === 'number') t.averageUtilization = m.averageUtilization;
  return t;
}

function selector(raw: unknown): LabelSelector {
  const m = asMap(raw);
  const s: LabelSelector = {};
  const labels = asMap(m.matchLabels);
  // Go marshals a map with its keys sorted; an empty map is omitted (omitempty).
  const keys = Object.keys(labels).sort();
  if (keys.length > 0) s.matchLabels = Object.fromEntries(keys.map((k) => [k, str(labels[k])]));
  if (Array.isArray(m.matchExpressions) && m.matchExpressions.length > 0) {
    s.matchExpressions = m.matchExpressions.map((e) => {
      const x = asMap(e);
      const req: { key: string; operator: string; values?: string[] } = {
        key: str(x.key),
        operator: str(x.operator),
      };
      if (Array.isArray(x.values) && x.values.length > 0) req.values = x.values.map(str);
      return req;
    });
  }
  return s;
}

function identifier(raw: unknown): MetricIdentifier {
  const m = asMap(raw);
  const id: MetricIdentifier = { name: str(m.name) };
  if (has(m, 'selector')) id.selector = selector(m.selector);
  return id;
}

/** Decodes one configured spec as Go would (validated beforehand by the config loader). */
export function normalizeSpec(raw: unknown): MetricSpec {
  const m = asMap(raw);
  const spec: MetricSpec = { type: str(m.type) };
  if (has(m, 'object')) {
    const o = asMap(m.object);
    const d = asMap(o.describedObject);
    const ref: ObjectReference = { kind: str(d.kind), name: str(d.name) };
    if (str(d.apiVersion) !== '') ref.apiVersion = str(d.apiVersion);
    spec.object = { describedObject: ref, target: target(o.target), metric: identifier(o.metric) };
  }
  if (has(m, 'pods')) {
    const p = asMap(m.pods);
    spec.pods = { metric: identifier(p.metric), target: target(p.target) };
  }
  if (has(m, 'resource')) {
    const r = asMap(m.resource);
    spec.resource = { name: str(r.name), target: target(r.target) };
  }
  if (has(m, 'containerResource')) {
    const c = asMap(m.containerResource);
    spec.containerResource = { name: str(c.name), target: target(c.target), container: str(c.container) };
  }
  if (has(m, 'external')) {
    const e = asMap(m.external);
    spec.external = { metric: identifier(e.metric), target: target(e.target) };
  }
  return spec;
}

/** `labels.Selector.String()` of `LabelSelectorAsSelector`: requirements sorted by key, `""` for none. */
export function selectorQuery(s: LabelSelector | undefined): string {
  if (s === undefined) return '';
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(s.matchLabels ?? {}))
    parts.push({ key, text: `${key}=${value}` });
  for (const e of s.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'DoesNotExist'
            ? `!${e.key}`
            : e.key;
    parts.push({ key: e.key, text });
  }
  // Go's sort.Sort is not stable; equal keys keep the order given, which is what CPA users write anyway.
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** The Go `%+v` of a `*metav1.LabelSelector` (its generated String method), quoted in CPA's error texts. */
export function selectorDump(s: LabelSelector | undefined): string {
  if (s === undefined) return 'nil';
  const labels = Object.keys(s.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${s.matchLabels?.[k] ?? ''},`)
    .join('');
  const exprs = (s.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
