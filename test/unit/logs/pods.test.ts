import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeError } from '../../../src/errors.ts';
import {
  findPods,
  parseLogSource,
  podRef,
  selectorString,
  type FoundPods,
  type LogSource,
} from '../../../src/logs/pods.ts';
import type { KubeRequest, KubeRequester } from '../../../src/ports.ts';

const sourceCases: { name: string; given: string; want: LogSource | null }[] = [
  { name: 'a bare name is a CustomPodAutoscaler', given: 'web', want: { kind: 'cpa', name: 'web' } },
  { name: 'cpa/ prefix', given: 'cpa/web', want: { kind: 'cpa', name: 'web' } },
  {
    name: 'deployment short and long forms',
    given: 'deployments.apps/runner',
    want: { kind: 'deployment', name: 'runner' },
  },
  { name: 'deploy/ prefix', given: 'deploy/runner', want: { kind: 'deployment', name: 'runner' } },
  { name: 'pod/ prefix', given: 'po/web-0', want: { kind: 'pod', name: 'web-0' } },
  {
    name: 'kinds are case-insensitive',
    given: 'Deployment/runner',
    want: { kind: 'deployment', name: 'runner' },
  },
  { name: 'other kinds are refused', given: 'statefulset/db', want: null },
  { name: 'an empty name is refused', given: 'deployment/', want: null },
  { name: 'a path is refused', given: 'deployment/a/b', want: null },
];

for (const { name, given, want } of sourceCases) {
  test(`parseLogSource: ${name}`, () => assert.deepEqual(parseLogSource(given), want));
}

const selectorCases: { name: string; given: unknown; want: string }[] = [
  { name: 'matchLabels', given: { matchLabels: { app: 'web', tier: 'x' } }, want: 'app=web,tier=x' },
  {
    name: 'every expression operator',
    given: {
      matchExpressions: [
        { key: 'a', operator: 'In', values: ['1', '2'] },
        { key: 'b', operator: 'NotIn', values: ['3'] },
        { key: 'c', operator: 'Exists' },
        { key: 'd', operator: 'DoesNotExist' },
      ],
    },
    want: 'a in (1,2),b notin (3),c,!d',
  },
  { name: 'no selector', given: undefined, want: '' },
];

for (const { name, given, want } of selectorCases) {
  test(`selectorString: ${name}`, () => assert.equal(selectorString(given), want));
}

test('podRef: the default-container annotation wins over the first container', () => {
  const pod = {
    metadata: { name: 'p', uid: 'u', annotations: { 'kubectl.kubernetes.io/default-container': 'cpa' } },
    spec: { containers: [{ name: 'sidecar' }, { name: 'cpa' }] },
  };
  assert.deepEqual(podRef(pod), {
    name: 'p',
    uid: 'u',
    containers: ['sidecar', 'cpa'],
    defaultContainer: 'cpa',
    deleting: false,
  });
});

/** A requester over fixed objects by path; pod lists filtered by one `k=v` selector; records calls. */
function fakeApi(
  objects: Record<string, unknown>,
  pods: Record<string, unknown>[],
): { request: KubeRequester; calls: string[] } {
  const calls: string[] = [];
  const request: KubeRequester = async (req: KubeRequest) => {
    const selector = req.query?.labelSelector;
    calls.push(selector === undefined ? req.path : `${req.path}?${selector}`);
    if (req.path.endsWith('/pods')) {
      const [k, v] = (selector ?? '=').split('=');
      const items = pods.filter(
        (p) =>
          selector === undefined || (p.metadata as { labels?: Record<string, string> }).labels?.[k!] === v,
      );
      return { status: 200, body: { items } };
    }
    const found = objects[req.path];
    if (found === undefined)
      throw new KubeError('not found', { verb: 'get', resource: req.path, status: 404 });
    return { status: 200, body: found };
  };
  return { request, calls };
}

const pod = (name: string, labels: Record<string, string> = {}, owner?: string): Record<string, unknown> => ({
  metadata: {
    name,
    uid: `uid-${name}`,
    labels,
    ...(owner === undefined ? {} : { ownerReferences: [{ kind: 'CustomPodAutoscaler', name: owner }] }),
  },
  spec: { containers: [{ name: 'autoscaler' }] },
});
const ref = (name: string): FoundPods['pods'][number] => ({
  name,
  uid: `uid-${name}`,
  containers: ['autoscaler'],
  defaultContainer: 'autoscaler',
  deleting: false,
});

const CR = '/apis/custompodautoscaler.com/v1/namespaces/ns/custompodautoscalers/web';
const MANAGED = { 'app.kubernetes.io/managed-by': 'custom-pod-autoscaler-operator' };

const findCases: {
  name: string;
  given: { source: LogSource; objects: Record<string, unknown>; pods: Record<string, unknown>[] };
  want: { found: FoundPods; calls: number };
}[] = [
  {
    name: 'CPA pod by the operator label: one list call',
    given: {
      source: { kind: 'cpa', name: 'web' },
      objects: {},
      pods: [pod('web', { 'v1.custompodautoscaler.com/owned-by': 'web' })],
    },
    want: { found: { pods: [ref('web')], exists: true }, calls: 1 },
  },
  {
    name: 'CPA pod by owner reference among the operator’s pods (operator < v1.3)',
    given: {
      source: { kind: 'cpa', name: 'web' },
      objects: { [CR]: { spec: {} } },
      pods: [pod('other', MANAGED, 'x'), pod('renamed', MANAGED, 'web')],
    },
    want: { found: { pods: [ref('renamed')], exists: true }, calls: 3 },
  },
  {
    name: 'CPA pod by the template name (provisionPod: false)',
    given: {
      source: { kind: 'cpa', name: 'web' },
      objects: {
        [CR]: { spec: { template: { metadata: { name: 'mine' } } } },
        '/api/v1/namespaces/ns/pods/mine': pod('mine'),
      },
      pods: [],
    },
    want: { found: { pods: [ref('mine')], exists: true }, calls: 4 },
  },
  {
    name: 'a CPA without pod exists but has no pods',
    given: { source: { kind: 'cpa', name: 'web' }, objects: { [CR]: { spec: {} } }, pods: [] },
    want: { found: { pods: [], exists: true }, calls: 4 },
  },
  {
    name: 'no CRD and no CR: a pod of that name is still found',
    given: {
      source: { kind: 'cpa', name: 'web' },
      objects: { '/api/v1/namespaces/ns/pods/web': pod('web') },
      pods: [],
    },
    want: { found: { pods: [ref('web')], exists: true }, calls: 3 },
  },
  {
    name: 'nothing of that name',
    given: { source: { kind: 'cpa', name: 'web' }, objects: {}, pods: [] },
    want: { found: { pods: [], exists: false }, calls: 3 },
  },
  {
    name: 'a Deployment’s pods by its selector',
    given: {
      source: { kind: 'deployment', name: 'runner' },
      objects: {
        '/apis/apps/v1/namespaces/ns/deployments/runner': {
          spec: { selector: { matchLabels: { app: 'runner' } } },
        },
      },
      pods: [
        pod('runner-b', { app: 'runner' }),
        pod('runner-a', { app: 'runner' }),
        pod('else', { app: 'x' }),
      ],
    },
    want: { found: { pods: [ref('runner-a'), ref('runner-b')], exists: true }, calls: 2 },
  },
  {
    name: 'a missing Deployment',
    given: { source: { kind: 'deployment', name: 'runner' }, objects: {}, pods: [] },
    want: { found: { pods: [], exists: false }, calls: 1 },
  },
];

for (const { name, given, want } of findCases) {
  test(`findPods: ${name}`, async () => {
    const api = fakeApi(given.objects, given.pods);
    assert.deepEqual(await findPods(api.request, 'ns', given.source), want.found);
    assert.equal(api.calls.length, want.calls, api.calls.join('\n'));
  });
}

test('findPods: errors other than 404 (e.g. forbidden) are not hidden', async () => {
  const request: KubeRequester = async () => {
    throw new KubeError('failed to list pods in namespace "ns": forbidden', {
      verb: 'list',
      resource: 'pods',
      status: 403,
    });
  };
  await assert.rejects(findPods(request, 'ns', { kind: 'cpa', name: 'web' }), /forbidden/);
});
