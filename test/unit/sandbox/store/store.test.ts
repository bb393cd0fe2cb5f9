import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_SIZE, Store, type StoreEvent } from '../../../../src/sandbox/store/store.ts';

const obj = (ns: string, name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { namespace: ns, name },
  ...extra,
});
const rvOf = (o: unknown) => (o as { metadata: { resourceVersion: string } }).metadata.resourceVersion;

describe('store', () => {
  it('gives every write the next resourceVersion and writes it into the object', () => {
    const store = new Store(10);
    const a = store.put('/pods', obj('ns', 'a'));
    const b = store.put('/pods', obj('ns', 'b'));
    assert.deepEqual([rvOf(a), rvOf(b), store.resourceVersion], ['11', '12', 12]);
  });

  it('lists by namespace and name order, one namespace or all', () => {
    const store = new Store();
    for (const [ns, name] of [
      ['b', 'z'],
      ['a', 'y'],
      ['b', 'a'],
    ] as const)
      store.put('/pods', obj(ns, name));
    const names = (list: unknown[]) =>
      list
        .map((o) => (o as { metadata: { namespace: string; name: string } }).metadata)
        .map((m) => `${m.namespace}/${m.name}`);
    assert.deepEqual(names(store.list('/pods')), ['a/y', 'b/a', 'b/z']);
    assert.deepEqual(names(store.list('/pods', 'b')), ['b/a', 'b/z']);
    assert.equal(store.count('/pods'), 3);
  });

  it('notifies ADDED, MODIFIED (with the previous object) and DELETED', () => {
    const store = new Store();
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.put('/pods', obj('ns', 'a', { v: 1 }));
    store.put('/pods', obj('ns', 'a', { v: 2 }));
    store.remove('/pods', 'ns', 'a');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    assert.equal((events[1]!.previous as { v: number }).v, 1);
    assert.equal(
      rvOf(events[2]!.object),
      String(store.resourceVersion),
      'a deletion has its own resourceVersion',
    );
    assert.equal(store.get('/pods', 'ns', 'a'), undefined);
  });

  it('replays the changes after a resourceVersion, and refuses ones before its history began', () => {
    const store = new Store();
    store.put('/pods', obj('ns', 'boot'));
    store.startHistory();
    const start = store.resourceVersion;
    store.put('/pods', obj('ns', 'a'));
    store.put('/pods', obj('ns', 'b'));
    assert.deepEqual(
      store.since(start)?.map((e) => rvOf(e.object)),
      [String(start + 1), String(start + 2)],
    );
    assert.deepEqual(store.since(start + 2), []);
    assert.equal(store.since(start - 1), null);
    assert.equal(store.oldestResumable, start);
  });

  it('forgets the oldest events beyond its history size', () => {
    const store = new Store();
    store.startHistory();
    for (let i = 0; i < HISTORY_SIZE + HISTORY_SIZE / 5; i++) store.put('/pods', obj('ns', 'a', { i }));
    assert.equal(store.since(1), null);
    assert.equal(store.since(store.resourceVersion - 10)?.length, 10);
  });

  it('restores a snapshot with its resourceVersion, without events', () => {
    const store = new Store();
    store.put('/pods', obj('ns', 'a'));
    store.put('apps/deployments', obj('ns', 'd'));
    const copy = new Store();
    let notified = 0;
    copy.subscribe(() => notified++);
    copy.restore(JSON.parse(JSON.stringify(store.snapshot())));
    assert.equal(copy.resourceVersion, store.resourceVersion);
    assert.deepEqual(copy.list('apps/deployments'), store.list('apps/deployments'));
    assert.equal(notified, 0);
  });
});
