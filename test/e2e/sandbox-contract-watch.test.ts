// The sandbox's fidelity contract, part 2: lists (label selectors, paging, Tables) and watches (from a list's
// resourceVersion, selector transitions, initial ADDED events, 410 for a resourceVersion too old), sent to the
// sandbox and to the real kube-apiserver v1.37.2 and compared. Needs `npm run cluster:up` first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useCluster } from '../support/cluster.ts';
import { call, normalize, openPair, openWatch, type Pair, type Reply } from './sandbox-support.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const merge = (body: unknown) => ({ body, contentType: 'application/merge-patch+json' });

describe('sandbox contract: lists and watches like kube-apiserver v1.37.2', { timeout: 240_000 }, () => {
  let p: Pair;
  const leases = () => `/apis/coordination.k8s.io/v1/namespaces/${p.ns}/leases`;

  before(async () => {
    p = await openPair(await useCluster(), 'sandbox-watch');
    for (const [name, app] of [
      ['l-a', 'a'],
      ['l-b', 'b'],
      ['l-none', undefined],
    ] as const) {
      const metadata = { name, ...(app ? { labels: { app } } : {}) };
      const body = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata,
        spec: { holderIdentity: name },
      };
      await p.sameAnswer('POST', leases(), { body });
    }
  });

  after(async () => {
    await p?.close();
  });

  for (const selector of ['app=a', 'app in (a,b)', '!app', 'app!=a', 'app', 'app notin (b)']) {
    it(`lists with labelSelector "${selector}" like the real server`, async () => {
      await p.sameAnswer('GET', `${leases()}?labelSelector=${encodeURIComponent(selector)}`);
    });
  }

  it('refuses an unparsable label selector with 400 on both', async () => {
    const { s, r } = await p.both('GET', `${leases()}?labelSelector=${encodeURIComponent('app in (a')}`);
    assert.deepEqual([s.status, s.json.reason], [r.status, r.json.reason]);
  });

  it('pages a list with limit/continue and returns every item once', async () => {
    const { s, r } = await p.both('GET', `${leases()}?limit=2`);
    assert.equal(s.json.items.length, r.json.items.length);
    assert.equal(s.json.metadata.remainingItemCount, r.json.metadata.remainingItemCount);
    const next = async (reply: Reply, ep: Pair['sb']) =>
      call(ep, 'GET', `${leases()}?limit=2&continue=${encodeURIComponent(reply.json.metadata.continue)}`);
    const [ns, nr] = await Promise.all([next(s, p.sb), next(r, p.real)]);
    assert.deepEqual(normalize(ns.json.items), normalize(nr.json.items));
  });

  it('renders the Table kubectl asks for with the same columns and cells', async () => {
    const { s, r } = await p.both('GET', leases(), { accept: TABLE });
    const columns = (x: Reply) =>
      x.json.columnDefinitions.map((c: { name: string; type: string; format: string; priority: number }) => [
        c.name,
        c.type,
        c.format,
        c.priority,
      ]);
    assert.deepEqual(columns(s), columns(r));
    const cells = (x: Reply) => x.json.rows.map((row: { cells: unknown[] }) => row.cells.slice(0, 2));
    assert.deepEqual(cells(s), cells(r));
    assert.deepEqual(normalize(s.json.rows[0].object), normalize(r.json.rows[0].object));
  });

  it('streams MODIFIED after a patch from the resourceVersion of a list, and DELETED when leaving the selector', async () => {
    const { s, r } = await p.both('GET', leases());
    const query = (rv: string) => `${leases()}?watch=1&resourceVersion=${rv}&labelSelector=app%3Da`;
    const watches = [
      openWatch(p.sb, query(s.json.metadata.resourceVersion)),
      openWatch(p.real, query(r.json.metadata.resourceVersion)),
    ];
    try {
      assert.deepEqual(await Promise.all(watches.map((w) => w.status)), [200, 200]);
      await p.both('PATCH', `${leases()}/l-a`, merge({ spec: { holderIdentity: 'changed' } }));
      const modified = await Promise.all(watches.map((w) => w.waitFor((e) => e.type === 'MODIFIED')));
      assert.deepEqual(normalize(modified[0]), normalize(modified[1]));
      await p.both('PATCH', `${leases()}/l-a`, merge({ metadata: { labels: { app: 'z' } } }));
      const left = await Promise.all(watches.map((w) => w.waitFor((e) => e.type === 'DELETED')));
      assert.deepEqual(
        normalize(left[0]),
        normalize(left[1]),
        'an object leaving the selector is DELETED as it was',
      );
    } finally {
      for (const w of watches) w.close();
    }
  });

  it('starts a watch without resourceVersion with ADDED events for what exists', async () => {
    const watches = [p.sb, p.real].map((ep) => openWatch(ep, `${leases()}?watch=true&labelSelector=app%3Db`));
    try {
      const added = await Promise.all(watches.map((w) => w.waitFor((e) => e.type === 'ADDED')));
      assert.deepEqual(normalize(added[0]), normalize(added[1]));
    } finally {
      for (const w of watches) w.close();
    }
  });

  it('sends a 410 Expired ERROR event for a resourceVersion too old to resume', async () => {
    // A young real cluster still has resourceVersion 1 in etcd; wait until its compaction (every 10 s in the
    // harness, which also serves lease watches from etcd) has removed it, so both face a really old version.
    await realForgotVersionOne(p.real);
    const watches = [p.sb, p.real].map((ep) => openWatch(ep, `${leases()}?watch=1&resourceVersion=1`));
    try {
      const [a, b] = await Promise.all(watches.map((w) => w.waitFor((e) => e.type === 'ERROR')));
      assert.deepEqual([a!.object.code, a!.object.reason], [b!.object.code, b!.object.reason]);
    } finally {
      for (const w of watches) w.close();
    }
  });
});

/** Resolves once the real server answers a watch from resourceVersion 1 with 410 (history compacted). */
async function realForgotVersionOne(real: Parameters<typeof openWatch>[0]): Promise<void> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const watch = openWatch(
      real,
      `/apis/coordination.k8s.io/v1/namespaces/default/leases?watch=1&resourceVersion=1`,
    );
    try {
      const event = await watch.waitFor(() => true, 5_000).catch(() => undefined);
      if (event?.type === 'ERROR') return;
    } finally {
      watch.close();
    }
    await new Promise((r) => setTimeout(r, 2_500));
  }
  throw new Error(
    'the real kube-apiserver still serves resourceVersion 1 after 90 s; is etcd compaction on?',
  );
}
