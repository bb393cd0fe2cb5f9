// `status TYPE/NAME`: the object is read directly, through discovery for kinds outside the workload lists
// (a CRD target that `run --target wdg/w1` annotated), with the detail view; a TYPE/NAME without a record is
// an error that says so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeRequest } from '../../../src/ports.ts';
import { encodeState } from '../../../src/status/schema.ts';
import type { Answer } from './fixtures.ts';
import { recorded, T0 } from './fixtures.ts';
import { runCli, workloadRoute } from './cli.ts';

const WIDGET = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: {
    name: 'w1',
    namespace: 'team-a',
    annotations: { 'kubectl-cpa.io/status': encodeState(recorded({ name: 'widget-scaler' })) },
  },
  spec: { replicas: 2 },
};

const discovery = (req: KubeRequest): Answer | undefined => {
  if (req.path === '/api/v1') return { body: { groupVersion: 'v1', resources: [] } };
  if (req.path === '/apis')
    return {
      body: {
        groups: [
          {
            name: 'example.com',
            versions: [{ groupVersion: 'example.com/v1', version: 'v1' }],
            preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' },
          },
        ],
      },
    };
  if (req.path === '/apis/example.com/v1')
    return {
      body: {
        groupVersion: 'example.com/v1',
        resources: [
          {
            name: 'widgets',
            singularName: 'widget',
            namespaced: true,
            kind: 'Widget',
            shortNames: ['wdg'],
            verbs: ['get'],
          },
          {
            name: 'widgets/scale',
            singularName: '',
            namespaced: true,
            kind: 'Scale',
            verbs: ['get', 'patch'],
          },
        ],
      },
    };
  if (req.path === '/apis/example.com/v1/namespaces/team-a/widgets/w1') return { body: WIDGET };
  if (req.path === '/apis/example.com/v1/namespaces/team-a/widgets/plain')
    return { body: { ...WIDGET, metadata: { name: 'plain', namespace: 'team-a' } } };
  return undefined;
};
const route = workloadRoute([], discovery);

describe('status TYPE/NAME', () => {
  for (const name of ['widget/w1', 'wdg/w1', 'widgets.example.com/w1', 'example.com/v1/Widget/w1'])
    it(`${name}: the CRD object's record, in the detail view`, async () => {
      const r = await runCli(['status', name], { route, nowMs: T0 + 10_000 });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Name: +widget-scaler$/m);
      assert.match(r.out, /^Reference: +Widget\/w1$/m);
    });
  it('-o json: the one item, with its target', async () => {
    const r = await runCli(['status', 'wdg/w1', '-o', 'json'], { route });
    const items = (JSON.parse(r.out) as { items: { name: string; target: unknown }[] }).items;
    assert.deepEqual(
      items.map((i) => [i.name, i.target]),
      [['widget-scaler', { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1' }]],
    );
  });
  it('an object without the annotation is an error naming it', async () => {
    const r = await runCli(['status', 'widget/plain'], { route });
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^error: widget\/plain in namespace "team-a" carries no kubectl-cpa\.io\/status annotation\n/,
    );
  });
  it('an unknown type is an error from discovery; a malformed one a usage error', async () => {
    assert.match((await runCli(['status', 'gizmo/x'], { route })).err, /no resource type "gizmo"/);
    const bad = await runCli(['status', 'a/b/c/d/e'], { route });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /NAME "a\/b\/c\/d\/e"/);
  });
});
