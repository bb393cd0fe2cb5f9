// Leader election against the real kube-apiserver's Lease API (optimistic concurrency, 404/409 as it
// answers them): two candidates in one process, short timings; one leads; when its renewals stop (its
// requests fail) it stops leading within the renew deadline and the other takes over within the lease
// duration, counting one more transition.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectKube } from '../../src/adapters/kube-connect.ts';
import { KubeError } from '../../src/errors.ts';
import type { LogEvent } from '../../src/logger/events.ts';
import type { Clock, KubeConnection, KubeRequester } from '../../src/ports.ts';
import { runElected, type ElectionOptions } from '../../src/runner/leader.ts';
import { useCluster, type TestCluster } from '../support/cluster.ts';

const clock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};
const TIMING = { durationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

describe('leader election on the real apiserver', () => {
  let cluster: TestCluster;
  let kube: KubeConnection;
  let ns: string;
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('leader');
    kube = await connectKube({ kubeconfig: cluster.adminKubeconfig }, {}, undefined);
  });
  after(() => kube.client.close());

  it('two candidates: one leads; its renewals cut, the other leads within the lease duration', async () => {
    let cut = false;
    const cuttable: KubeRequester = (req) =>
      cut
        ? Promise.reject(new KubeError('cut by the test', { verb: 'get', resource: 'leases' }))
        : kube.client.request(req);
    const stop = new AbortController();
    const events: { who: string; what: string; atMs: number }[] = [];
    const candidate = (who: string, request: KubeRequester) => {
      const options: ElectionOptions = { namespace: ns, name: 'cpa', identity: who, ...TIMING };
      const logger = { log: (_e: LogEvent) => undefined, enabled: () => false };
      return runElected({ clock, request, logger }, options, stop.signal, (signal) => {
        events.push({ who, what: 'lead', atMs: Date.now() });
        return new Promise((resolve) =>
          signal.addEventListener(
            'abort',
            () => (events.push({ who, what: 'stop', atMs: Date.now() }), resolve(0)),
          ),
        );
      });
    };
    const a = candidate('a', cuttable);
    await cluster.waitFor(() => events.length === 1, 10_000, 'a to lead');
    const b = candidate('b', kube.client.request);
    await new Promise((r) => setTimeout(r, 2 * TIMING.durationMs));
    assert.deepEqual(
      events.map((e) => `${e.who} ${e.what}`),
      ['a lead'],
      'b stands by while a renews',
    );
    const cutAt = Date.now();
    cut = true;
    assert.deepEqual(await a, { kind: 'lost' });
    await cluster.waitFor(() => events.some((e) => e.who === 'b' && e.what === 'lead'), 10_000, 'b to lead');
    const stopA = events.find((e) => e.who === 'a' && e.what === 'stop')?.atMs ?? 0;
    const leadB = events.find((e) => e.who === 'b' && e.what === 'lead')?.atMs ?? 0;
    assert.ok(stopA - cutAt <= TIMING.renewDeadlineMs + 500, `a stopped ${stopA - cutAt}ms after the cut`);
    assert.ok(stopA <= leadB, 'a stopped before b led: never two leaders');
    assert.ok(
      leadB - cutAt <= TIMING.durationMs + 2 * TIMING.retryPeriodMs + 500,
      `b led ${leadB - cutAt}ms after`,
    );
    const reply = await cluster.api('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/cpa`);
    const spec = (JSON.parse(reply.body) as { spec: Record<string, unknown> }).spec;
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1);
    assert.equal(spec.leaseDurationSeconds, 3);
    stop.abort();
    assert.deepEqual(await b, { kind: 'stopped' });
    const released = await cluster.api('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/cpa`);
    assert.equal(
      (JSON.parse(released.body) as { spec: Record<string, unknown> }).spec.holderIdentity,
      '',
      'released: no holder',
    );
  });
});
