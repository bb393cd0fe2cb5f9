import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, applyMergePatch, PatchError } from '../../../../src/sandbox/wire/patch.ts';
import { applyStrategicMergePatch } from '../../../../src/sandbox/wire/smp.ts';

const doc = {
  metadata: { name: 'x', resourceVersion: '7', labels: { a: '1' } },
  spec: { replicas: 1, list: [1, 2, 3] },
};

describe('JSON patch (RFC 6902)', () => {
  const cases: { name: string; given: unknown[]; want: unknown }[] = [
    {
      name: "kubectl-cpa's guarded scale patch",
      given: [
        { op: 'replace', path: '/metadata/resourceVersion', value: '9' },
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ],
      want: {
        ...doc,
        metadata: { ...doc.metadata, resourceVersion: '9' },
        spec: { ...doc.spec, replicas: 3 },
      },
    },
    {
      name: 'add to a map',
      given: [{ op: 'add', path: '/metadata/labels/b', value: '2' }],
      want: { ...doc, metadata: { ...doc.metadata, labels: { a: '1', b: '2' } } },
    },
    {
      name: 'add at the end of a list',
      given: [{ op: 'add', path: '/spec/list/-', value: 4 }],
      want: { ...doc, spec: { replicas: 1, list: [1, 2, 3, 4] } },
    },
    {
      name: 'insert into a list',
      given: [{ op: 'add', path: '/spec/list/0', value: 0 }],
      want: { ...doc, spec: { replicas: 1, list: [0, 1, 2, 3] } },
    },
    {
      name: 'remove from a list',
      given: [{ op: 'remove', path: '/spec/list/1' }],
      want: { ...doc, spec: { replicas: 1, list: [1, 3] } },
    },
    {
      name: 'escaped keys',
      given: [{ op: 'add', path: '/metadata/labels/example.com~1team', value: 'x' }],
      want: { ...doc, metadata: { ...doc.metadata, labels: { a: '1', 'example.com/team': 'x' } } },
    },
    {
      name: 'move',
      given: [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/z' }],
      want: { ...doc, metadata: { ...doc.metadata, labels: { z: '1' } } },
    },
    {
      name: 'copy',
      given: [{ op: 'copy', from: '/spec/replicas', path: '/spec/copy' }],
      want: { ...doc, spec: { ...doc.spec, copy: 1 } },
    },
    {
      name: 'a passing test op changes nothing',
      given: [{ op: 'test', path: '/spec/replicas', value: 1 }],
      want: doc,
    },
    {
      // kube-apiserver's json-patch v4 only checks that the parent exists: a Scale at 0 replicas has no
      // spec.replicas (omitempty), and kubectl-cpa's `replace /spec/replicas` must still scale it up.
      name: 'replace of a missing key in an existing map sets it (json-patch v4, as kube-apiserver)',
      given: [{ op: 'replace', path: '/spec/absent', value: 2 }],
      want: { ...doc, spec: { ...doc.spec, absent: 2 } },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(applyJsonPatch(doc, c.given), c.want));

  it('never changes its input', () => {
    const before = JSON.stringify(doc);
    applyJsonPatch(doc, [{ op: 'remove', path: '/spec/list/0' }]);
    assert.equal(JSON.stringify(doc), before);
  });

  const failures: { name: string; given: unknown; badDocument: boolean }[] = [
    {
      name: 'replace under a missing map',
      given: [{ op: 'replace', path: '/spec/nope/x', value: 1 }],
      badDocument: false,
    },
    {
      name: 'path through a missing map',
      given: [{ op: 'add', path: '/spec/nope/x', value: 1 }],
      badDocument: false,
    },
    {
      name: 'index past the end',
      given: [{ op: 'replace', path: '/spec/list/3', value: 1 }],
      badDocument: false,
    },
    {
      name: 'a failing test op',
      given: [{ op: 'test', path: '/spec/replicas', value: 2 }],
      badDocument: false,
    },
    { name: 'an unknown op', given: [{ op: 'frob', path: '/spec' }], badDocument: false },
    { name: 'not a list of operations', given: { op: 'add' }, badDocument: true },
  ];
  for (const f of failures) {
    it(`fails on ${f.name}`, () =>
      assert.throws(
        () => applyJsonPatch(doc, f.given),
        (err: unknown) => err instanceof PatchError && err.badDocument === f.badDocument,
      ));
  }
});

describe('merge patch (RFC 7386)', () => {
  const cases: { name: string; given: unknown; want: unknown }[] = [
    {
      name: "kubectl label's patch",
      given: { metadata: { labels: { numPods: '5' } } },
      want: { ...doc, metadata: { ...doc.metadata, labels: { a: '1', numPods: '5' } } },
    },
    {
      name: 'null deletes',
      given: { metadata: { labels: { a: null } } },
      want: { ...doc, metadata: { ...doc.metadata, labels: {} } },
    },
    {
      name: 'lists are replaced whole',
      given: { spec: { list: [9] } },
      want: { ...doc, spec: { replicas: 1, list: [9] } },
    },
    { name: 'a non-object patch replaces the document', given: 5, want: 5 },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(applyMergePatch(doc, c.given), c.want));
});

describe('strategic merge patch', () => {
  const pod = {
    metadata: { finalizers: ['a'], ownerReferences: [{ uid: 'u1', name: 'rs' }] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          env: [{ name: 'A', value: '1' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
        { name: 'side', image: 'side:1' },
      ],
      tolerations: [{ key: 't1' }],
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    },
  };
  const cases: { name: string; given: unknown; want: unknown }[] = [
    {
      name: 'containers merge by name, env by name',
      given: { spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] }] } },
      want: {
        ...pod,
        spec: {
          ...pod.spec,
          containers: [
            {
              ...pod.spec.containers[0],
              image: 'app:2',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            pod.spec.containers[1],
          ],
        },
      },
    },
    {
      name: 'a new container is appended',
      given: { spec: { containers: [{ name: 'third', image: 't:1' }] } },
      want: {
        ...pod,
        spec: { ...pod.spec, containers: [...pod.spec.containers, { name: 'third', image: 't:1' }] },
      },
    },
    {
      name: '$patch: delete removes a list element',
      given: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      want: { ...pod, spec: { ...pod.spec, containers: [pod.spec.containers[0]] } },
    },
    {
      name: '$patch: replace replaces a whole list',
      given: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } },
      want: { ...pod, spec: { ...pod.spec, containers: [{ name: 'only', image: 'o:1' }] } },
    },
    {
      name: 'lists without a merge key (tolerations) are replaced',
      given: { spec: { tolerations: [{ key: 't2' }] } },
      want: { ...pod, spec: { ...pod.spec, tolerations: [{ key: 't2' }] } },
    },
    {
      name: '$retainKeys drops the keys not listed (strategy type change)',
      given: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      want: { ...pod, spec: { ...pod.spec, strategy: { type: 'Recreate' } } },
    },
    {
      name: '$setElementOrder orders merged elements',
      given: {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
          containers: [{ name: 'app', image: 'app:3' }],
        },
      },
      want: {
        ...pod,
        spec: {
          ...pod.spec,
          containers: [pod.spec.containers[1], { ...pod.spec.containers[0], image: 'app:3' }],
        },
      },
    },
    {
      name: 'finalizers merge as a set and $deleteFromPrimitiveList removes',
      given: { metadata: { finalizers: ['b', 'a'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
      want: { ...pod, metadata: { ...pod.metadata, finalizers: ['b'] } },
    },
    {
      name: 'null deletes a key',
      given: { spec: { strategy: null } },
      want: { ...pod, spec: { containers: pod.spec.containers, tolerations: pod.spec.tolerations } },
    },
    {
      name: 'ownerReferences merge by uid',
      given: { metadata: { ownerReferences: [{ uid: 'u2', name: 'other' }] } },
      want: {
        ...pod,
        metadata: {
          ...pod.metadata,
          ownerReferences: [
            { uid: 'u1', name: 'rs' },
            { uid: 'u2', name: 'other' },
          ],
        },
      },
    },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.deepEqual(applyStrategicMergePatch(pod, JSON.parse(JSON.stringify(c.given))), c.want),
    );

  it('never changes its input', () => {
    const before = JSON.stringify(pod);
    applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'app', image: 'x' }] } });
    assert.equal(JSON.stringify(pod), before);
  });
});

// Hostile keys from the property tests (test/unit/fuzz/sandbox-requests.test.ts): a key named `__proto__`
// is data (JSON.parse makes it an own property, and Go has no prototypes); assigning it with `obj[key] =`
// replaced the object's prototype or wrote into Object.prototype, for every object in the process.
describe('patches with hostile keys', () => {
  const parsed = (text: string): unknown => JSON.parse(text);
  const appliers: { name: string; apply: (doc: unknown, patch: unknown) => unknown }[] = [
    { name: 'merge patch', apply: applyMergePatch },
    { name: 'strategic merge patch', apply: applyStrategicMergePatch },
  ];
  for (const { name, apply } of appliers) {
    it(`a ${name} with "__proto__" keys sets own keys and leaves Object.prototype alone`, () => {
      const out = apply(
        {},
        parsed('{"__proto__":{"polluted":1},"metadata":{"__proto__":{"x":[]}}}'),
      ) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.deepEqual(Object.keys(Object.prototype), []);
      assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":1},"metadata":{"__proto__":{"x":[]}}}');
    });

    it(`a ${name} applied twice gives what it gave once`, () => {
      const patch = parsed('{"constructor":"delete","__proto__":[]}');
      const once = apply({}, patch);
      assert.equal(JSON.stringify(once), '{"constructor":"delete","__proto__":[]}');
      assert.equal(JSON.stringify(apply(once, patch)), JSON.stringify(once));
    });
  }

  it('a JSON patch adds and replaces a "__proto__" key as an own key', () => {
    const out = applyJsonPatch({ a: {} }, [
      { op: 'add', path: '/a/__proto__', value: { x: 1 } },
      { op: 'replace', path: '/__proto__', value: 2 },
    ]) as Record<string, unknown>;
    assert.equal(JSON.stringify(out), '{"a":{"__proto__":{"x":1}},"__proto__":2}');
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });

  it('a JSON patch test op compares values, not key order (json-patch compares documents)', () => {
    const doc = { spec: { a: 0, b: 0 } };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/spec', value: { b: 0, a: 0 } }]), doc);
  });

  it('a list under an inherited name ("constructor") is replaced like any list without a merge key', () => {
    const out = applyStrategicMergePatch(parsed('{"constructor":[{"a":1}]}'), parsed('{"constructor":[2]}'));
    assert.equal(JSON.stringify(out), '{"constructor":[2]}');
  });

  it('a $retainKeys entry that is not a string is a PatchError', () => {
    for (const entry of [{}, Object.create(null), [], 1])
      assert.throws(
        () => applyStrategicMergePatch({ a: 1 }, { $retainKeys: [entry] }),
        (err: unknown) => err instanceof PatchError,
      );
  });
});
