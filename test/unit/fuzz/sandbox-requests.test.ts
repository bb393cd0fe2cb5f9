// Property tests of what the sandbox API server reads from its clients: request paths, label and field
// selectors, and JSON, merge and strategic merge patch bodies. Each gives a value or its typed refusal
// (ApiError, PatchError), never touches its input or Object.prototype, and the printers parse back.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { applyJsonPatch, applyMergePatch, PatchError } from '../../../src/sandbox/wire/patch.ts';
import { route } from '../../../src/sandbox/apiserver/router.ts';
import {
  labelSelectorString,
  matches,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../src/sandbox/wire/selector.ts';
import { applyStrategicMergePatch } from '../../../src/sandbox/wire/smp.ts';
import { ApiError } from '../../../src/sandbox/wire/status.ts';
import { hostileString, hostileValue, PROTO_KEYS, RUNS } from './arbitraries.ts';

/** Runs `fn`; only the sandbox's typed refusals may escape it. */
function typed<T>(fn: () => T): T | Error {
  try {
    return fn();
  } catch (err) {
    assert.ok(err instanceof ApiError || err instanceof PatchError, `threw ${String(err)}`);
    return err;
  }
}

const PROTO_BEFORE = new Set(Object.getOwnPropertyNames(Object.prototype));
/** Own keys added to Object.prototype since the file loaded (then removed, so one failure stays one). */
function pollution(): string[] {
  const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTO_BEFORE.has(k));
  for (const key of added) delete (Object.prototype as Record<string, unknown>)[key];
  return added;
}
afterEach(() => void pollution());

describe('sandbox paths', () => {
  it('route answers any method, path and query without throwing', () => {
    const seg = fc.oneof(
      fc.constantFrom(
        'api',
        'apis',
        'v1',
        'apps',
        'namespaces',
        'default',
        'deployments',
        'scale',
        'status',
        '',
      ),
      hostileString,
    );
    const path = fc.array(seg, { maxLength: 8 }).map((s) => `/${s.join('/')}`);
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'X'),
        fc.oneof(path, hostileString),
        hostileString,
        (m, p, q) => {
          route(m, p, new URLSearchParams(q));
        },
      ),
      { numRuns: RUNS.many },
    );
  });
});

const labelKey = fc
  .oneof(
    fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,8}[a-z0-9])?$/),
    fc.stringMatching(/^[a-z]{1,5}\.[a-z]{2,3}\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/),
  )
  .filter((k) => !/\.\.|\.-|-\.|\.\//.test(k));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?$/);
type Expr = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] };
const labelSelector = fc.record({
  matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
  matchExpressions: fc.array(
    fc.record({
      key: labelKey,
      operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
      values: fc.array(labelValue, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
});

/** The LabelSelector's meaning, as apimachinery defines it. */
function selects(
  sel: { matchLabels: Record<string, string>; matchExpressions: Expr[] },
  labels: Record<string, string>,
): boolean {
  const has = (k: string): boolean => Object.hasOwn(labels, k);
  return (
    Object.entries(sel.matchLabels).every(([k, v]) => has(k) && labels[k] === v) &&
    sel.matchExpressions.every((e) =>
      e.operator === 'In'
        ? has(e.key) && e.values.includes(labels[e.key]!)
        : e.operator === 'NotIn'
          ? !has(e.key) || !e.values.includes(labels[e.key]!)
          : e.operator === 'Exists'
            ? has(e.key)
            : !has(e.key),
    )
  );
}

describe('sandbox selectors', () => {
  it('any label or field selector text gives requirements or a 400', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (label, field) => {
        const parsed = typed(() => parseLabelSelector(label));
        if (parsed instanceof Error) assert.equal(parsed instanceof ApiError && parsed.code, 400);
        else matches(parsed, { a: 'b' });
        const terms = typed(() => parseFieldSelector(field, ['metadata.name', 'metadata.namespace']));
        if (terms instanceof Error) assert.equal(terms instanceof ApiError && terms.code, 400);
      }),
      { numRuns: RUNS.many },
    );
  });

  it('a LabelSelector printed as status.selector parses back to the same meaning', () => {
    const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });
    fc.assert(
      fc.property(labelSelector, labels, (sel, given) => {
        // Give the labels a chance to hit the selector's own keys and values.
        const hits = {
          ...given,
          ...Object.fromEntries(sel.matchExpressions.slice(0, 1).map((e) => [e.key, e.values[0]!])),
        };
        const parsed = parseLabelSelector(labelSelectorString(sel));
        for (const l of [given, hits, { ...sel.matchLabels }])
          assert.equal(matches(parsed, l), selects(sel, l), JSON.stringify(l));
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('a long selector is refused or read quickly', () => {
    for (const text of [
      `${'a.'.repeat(2e5)}!`,
      `${'a-'.repeat(2e5)}=b`,
      `x in (${'a,'.repeat(1e5)}a)`,
      '('.repeat(1e5),
    ]) {
      const started = performance.now();
      typed(() => parseLabelSelector(text));
      assert.ok(performance.now() - started < 5000);
    }
  });
});

const WORDS = [
  'metadata',
  'spec',
  'replicas',
  'labels',
  'containers',
  'name',
  'finalizers',
  '$patch',
  '$retainKeys',
  ...PROTO_KEYS,
];
const json = hostileValue(WORDS, ['delete', 'replace', 'merge']);
const doc = fc.dictionary(fc.constantFrom(...WORDS), json, { maxKeys: 4 });
const pointer = fc
  .array(fc.oneof(fc.constantFrom(...WORDS, '0', '1', '-', '~0', '~1'), hostileString), { maxLength: 3 })
  .map((p) => p.map((s) => `/${s}`).join(''));
const operation = fc.record({
  op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), hostileString),
  path: pointer,
  from: pointer,
  value: json,
});
/** Patches as a client sends them: JSON text parsed by the server, so `__proto__` arrives as an own key. */
const asReceived = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');

describe('sandbox patches', () => {
  const appliers = [
    [
      'JSON patch',
      (d: unknown, p: unknown) => applyJsonPatch(d, p),
      fc.oneof(fc.array(operation, { maxLength: 4 }), json),
    ],
    ['merge patch', (d: unknown, p: unknown) => applyMergePatch(d, p), fc.oneof(doc, json)],
    [
      'strategic merge patch',
      (d: unknown, p: unknown) => applyStrategicMergePatch(d, p),
      fc.oneof(doc, json),
    ],
  ] as const;
  for (const [name, apply, patches] of appliers) {
    it(`${name}: any patch of any document gives a document or a PatchError, leaving the input and Object.prototype alone`, () => {
      fc.assert(
        fc.property(doc, patches, (d0, p0) => {
          const [d, p] = [asReceived(d0), asReceived(p0)];
          const before = JSON.stringify([d, p]);
          typed(() => apply(d, p));
          assert.equal(JSON.stringify([d, p]), before, 'input changed');
          assert.deepEqual(pollution(), [], 'Object.prototype gained keys');
        }),
        { numRuns: RUNS.normal },
      );
    });
  }

  it('a merge patch applied twice gives what it gave once (RFC 7386)', () => {
    fc.assert(
      fc.property(doc, doc, (d0, p0) => {
        const [d, p] = [asReceived(d0), asReceived(p0)];
        const once = applyMergePatch(d, p);
        assert.deepEqual(applyMergePatch(once, p), once);
        pollution();
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('a test op after an add of the same value passes, whatever the key order (RFC 6902 §4.6)', () => {
    const value = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer(), { minKeys: 2, maxKeys: 3 });
    fc.assert(
      fc.property(value, (v) => {
        const reordered = Object.fromEntries(Object.entries(v).reverse());
        const patch = [
          { op: 'add', path: '/x', value: v },
          { op: 'test', path: '/x', value: reordered },
        ];
        assert.ok(!(typed(() => applyJsonPatch({}, patch)) instanceof Error));
      }),
      { numRuns: RUNS.quick },
    );
  });
});

describe('sandbox patches: counterexamples found above, as plain rows', () => {
  const rows: { name: string; apply: () => unknown }[] = [
    {
      name: 'a merge patch {"__proto__": {...}} does not reach Object.prototype',
      apply: () => applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": "yes"}}')),
    },
    {
      name: 'a strategic merge patch {"__proto__": {...}} does not reach Object.prototype',
      apply: () => applyStrategicMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": "yes"}}')),
    },
    {
      name: 'a $retainKeys entry that is an object is a PatchError, not a TypeError',
      apply: () => applyStrategicMergePatch({}, { $retainKeys: [{ toString: null }] }),
    },
  ];
  for (const { name, apply } of rows) {
    it(name, () => {
      typed(apply);
      assert.deepEqual(pollution(), []);
    });
  }
});
