// The sandbox's fidelity contract, part 1: the same raw requests go to the sandbox and to the real
// kube-apiserver v1.37.2 of the e2e harness — discovery, objects, the scale subresource, error bodies — and
// the answers are compared field by field, ignoring only what two servers legitimately differ in (uids,
// timestamps, resourceVersions, managedFields, generated hashes). Lists and watches: sandbox-contract-watch.
// Needs `npm run cluster:up` first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useCluster } from '../support/cluster.ts';
import { WIDGET_CRD } from '../../src/sandbox/store/crds.ts';
import { call, normalize, openPair, type Endpoint, type Pair, type Reply } from './sandbox-support.ts';

/** A Deployment manifest like the example's. */
export function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { numPods: '3' } },
    spec: {
      replicas,
      selector: { matchLabels: { run: name } },
      template: {
        metadata: { labels: { run: name } },
        spec: {
          containers: [{ name: 'web', image: 'registry.invalid/web:1.5', ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  };
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
type Named = { name: string };

describe(
  'sandbox contract: same requests, same answers as kube-apiserver v1.37.2',
  { timeout: 240_000 },
  () => {
    let p: Pair;

    before(async () => {
      p = await openPair(await useCluster(), 'sandbox-contract');
      await p.cluster.apply(JSON.stringify(WIDGET_CRD));
      const widgets = `/apis/sandbox.kubectl-cpa.dev/v1/namespaces/${p.ns}/widgets`;
      await p.cluster.waitFor(
        async () => (await call(p.real, 'GET', widgets)).status === 200,
        30_000,
        'Widget CRD',
      );
    });

    after(async () => {
      await p?.close();
    });

    describe('discovery', () => {
      for (const path of [
        '/api/v1',
        '/apis/apps/v1',
        '/apis/coordination.k8s.io/v1',
        '/apis/sandbox.kubectl-cpa.dev/v1',
      ]) {
        it(`lists every resource it serves at ${path} exactly as the real server does`, async () => {
          const { s, r } = await p.both('GET', path);
          assert.equal(s.json.kind, r.json.kind);
          assert.equal(s.json.groupVersion, r.json.groupVersion);
          for (const entry of s.json.resources) {
            const twin = r.json.resources.find((x: Named) => x.name === entry.name);
            assert.deepEqual(entry, twin, `${path} ${entry.name}`);
          }
        });
      }

      it('lists the served groups in /apis like the real server (name, versions, preferred version)', async () => {
        const { s, r } = await p.both('GET', '/apis');
        for (const group of s.json.groups) {
          // Neither the CPA operator's CRD nor metrics-server is installed on the real cluster.
          if (group.name === 'custompodautoscaler.com' || group.name === 'metrics.k8s.io') continue;
          assert.deepEqual(
            group,
            r.json.groups.find((g: Named) => g.name === group.name),
            group.name,
          );
        }
      });

      it('answers aggregated discovery (apidiscovery.k8s.io/v2) for kubectl with the same entries', async () => {
        const { s, r } = await p.both('GET', '/apis', { accept: AGGREGATED });
        assert.equal(s.headers['content-type'], r.headers['content-type']);
        const group = (reply: Reply, name: string) =>
          reply.json.items.find((g: { metadata: Named }) => g.metadata.name === name);
        for (const res of group(s, 'apps').versions[0].resources) {
          const twin = group(r, 'apps').versions[0].resources.find(
            (x: { resource: string }) => x.resource === res.resource,
          );
          assert.deepEqual(res, twin, res.resource);
        }
        assert.deepEqual(group(s, 'sandbox.kubectl-cpa.dev'), group(r, 'sandbox.kubectl-cpa.dev'));
      });

      it('answers /api with the core version list', async () => {
        const { s, r } = await p.both('GET', '/api');
        assert.deepEqual([s.json.kind, s.json.versions], [r.json.kind, r.json.versions]);
      });
    });

    describe('objects and the scale subresource', () => {
      const name = 'web';
      const path = () => `/apis/apps/v1/namespaces/${p.ns}/deployments`;

      before(async () => {
        await p.sameAnswer('POST', path(), { body: deployment(name, 1) });
        await p.waitBoth(
          `${path()}/${name}`,
          (d) => d?.status?.replicas === 1 && d?.status?.observedGeneration === 1,
        );
      });

      it('creates a Deployment with the same defaults (strategy, pod template, history limits)', async () => {
        const { s, r } = await p.both('GET', `${path()}/${name}`);
        assert.deepEqual(normalize(s.json.spec), normalize(r.json.spec));
        assert.deepEqual(normalize(s.json.metadata), normalize(r.json.metadata));
      });

      it('reads the scale subresource identically', async () => {
        await p.sameAnswer('GET', `${path()}/${name}/scale`);
      });

      it("carries the object's resourceVersion on its Scale, moved by any write (kubectl-cpa reads only the scale when it did not move)", async () => {
        // Its own Deployment: the tests after this one count the generations and writes of `web`.
        const own = 'rv';
        await p.sameAnswer('POST', path(), { body: deployment(own, 1) });
        for (const [server, ep] of [
          ['sandbox', p.sb],
          ['real', p.real],
        ] as const) {
          const before = (await call(ep, 'GET', `${path()}/${own}/scale`)).json.metadata.resourceVersion;
          const annotate = await call(ep, 'PATCH', `${path()}/${own}`, {
            body: { metadata: { annotations: { 'contract.kubectl-cpa.dev/touched': String(Date.now()) } } },
            contentType: 'application/merge-patch+json',
          });
          assert.equal(annotate.status, 200, annotate.text);
          assert.notEqual(
            annotate.json.metadata.resourceVersion,
            before,
            `${server}: a metadata write moves it`,
          );
          // The real controller may write the Deployment between the two reads: compare a consistent pair.
          let pair = ['', 'unread'];
          for (let attempt = 0; attempt < 5 && pair[0] !== pair[1]; attempt++) {
            const object = await call(ep, 'GET', `${path()}/${own}`);
            const scale = await call(ep, 'GET', `${path()}/${own}/scale`);
            pair = [object.json.metadata.resourceVersion, scale.json.metadata.resourceVersion];
          }
          assert.equal(pair[1], pair[0], `${server}: the Scale's resourceVersion is the object's`);
        }
      });

      it('patches scale with a resourceVersion guard (kubectl-cpa JSON patch) and answers the same Scale', async () => {
        // The real controller may write the Deployment between our read and our patch: retry on 409 like kubectl-cpa.
        const guarded = async (ep: Endpoint): Promise<Reply> => {
          for (let attempt = 0; ; attempt++) {
            const rv = (await call(ep, 'GET', `${path()}/${name}/scale`)).json.metadata.resourceVersion;
            const body = [
              { op: 'replace', path: '/metadata/resourceVersion', value: rv },
              { op: 'replace', path: '/spec/replicas', value: 3 },
            ];
            const reply = await call(ep, 'PATCH', `${path()}/${name}/scale`, {
              body,
              contentType: 'application/json-patch+json',
            });
            if (reply.status !== 409 || attempt === 5) return reply;
          }
        };
        const [ps, pr] = await Promise.all([guarded(p.sb), guarded(p.real)]);
        assert.equal(ps.status, 200, ps.text);
        assert.deepEqual(normalize(ps.json.spec), normalize(pr.json.spec));
        assert.deepEqual(normalize(ps.json.metadata), normalize(pr.json.metadata));
      });

      it('refuses a stale resourceVersion with the same 409 Conflict body', async () => {
        const stale = [
          { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
          { op: 'replace', path: '/spec/replicas', value: 4 },
        ];
        const reply = await p.sameAnswer('PATCH', `${path()}/${name}/scale`, {
          body: stale,
          contentType: 'application/json-patch+json',
        });
        assert.equal(reply.json.reason, 'Conflict');
      });

      it('refuses negative replicas on scale with the same 422 body', async () => {
        const body = { spec: { replicas: -1 } };
        const reply = await p.sameAnswer('PATCH', `${path()}/${name}/scale`, {
          body,
          contentType: 'application/merge-patch+json',
        });
        assert.equal(reply.status, 422);
      });

      it('reports every invalid field of a bad Deployment in one 422, worded the same', async () => {
        const bad = deployment('Bad_Name', -1);
        bad.spec.template.metadata.labels = { run: 'other' };
        await p.sameAnswer('POST', path(), { body: bad });
      });

      it('answers 409 AlreadyExists for a second create', async () => {
        await p.sameAnswer('POST', path(), { body: deployment(name, 1) });
      });

      it('updates generation and observedGeneration the same way after a scale', async () => {
        await p.waitBoth(
          `${path()}/${name}`,
          (d) => d?.status?.observedGeneration === 2 && d?.status?.replicas === 3,
        );
        const { s, r } = await p.both('GET', `${path()}/${name}`);
        assert.equal(s.json.metadata.generation, r.json.metadata.generation);
        assert.equal(s.json.status.observedGeneration, r.json.status.observedGeneration);
        await p.sameAnswer('GET', `${path()}/${name}/scale`);
      });

      it('applies a strategic merge patch on containers by name like the real server', async () => {
        const smp = {
          spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '1' }] }] } } },
        };
        const { s, r } = await p.both('PATCH', `${path()}/${name}`, {
          body: smp,
          contentType: 'application/strategic-merge-patch+json',
        });
        assert.equal(s.status, 200, s.text);
        assert.deepEqual(normalize(s.json.spec), normalize(r.json.spec));
        assert.equal(s.json.metadata.generation, r.json.metadata.generation);
      });

      it('scales the example CRD through its scale subresource like the real server', async () => {
        const widgets = `/apis/sandbox.kubectl-cpa.dev/v1/namespaces/${p.ns}/widgets`;
        const w = {
          apiVersion: 'sandbox.kubectl-cpa.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w1' },
          spec: { replicas: 2 },
        };
        const { s, r } = await p.both('POST', widgets, { body: w });
        assert.equal(s.status, r.status, s.text);
        assert.deepEqual(normalize(s.json), normalize(r.json));
        const merge = { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' };
        const patched = await p.both('PATCH', `${widgets}/w1/scale`, merge);
        assert.deepEqual(normalize(patched.s.json.spec), normalize(patched.r.json.spec));
        const smp = {
          body: { spec: { replicas: 1 } },
          contentType: 'application/strategic-merge-patch+json',
        };
        await p.sameAnswer('PATCH', `${widgets}/w1`, smp);
      });
    });

    describe('a scale at 0 replicas and replica counts outside int32', () => {
      const name = 'zero';
      const path = () => `/apis/apps/v1/namespaces/${p.ns}/deployments`;
      const scale = () => `${path()}/${name}/scale`;
      /** The quoted object in `patch: Invalid value: "…"` holds uids and timestamps; compare around it. */
      const unquote = (reply: Reply): unknown =>
        JSON.parse(JSON.stringify(normalize(reply.json)), (_key, value: unknown) =>
          typeof value === 'string'
            ? value.replace(/Invalid value: "(?:[^"\\]|\\.)*"/g, 'Invalid value: <object>')
            : value,
        );

      before(async () => {
        await p.sameAnswer('POST', path(), { body: deployment(name, 0) });
      });

      it('reads a Scale at 0 replicas (no spec.replicas) identically', async () => {
        const reply = await p.sameAnswer('GET', scale());
        assert.deepEqual(reply.json.spec, {});
      });

      it("scales up from 0 with kubectl-cpa's guarded JSON patch (replace /spec/replicas) like the real server", async () => {
        const guarded = async (ep: Endpoint): Promise<Reply> => {
          for (let attempt = 0; ; attempt++) {
            const rv = (await call(ep, 'GET', scale())).json.metadata.resourceVersion;
            const body = [
              { op: 'replace', path: '/metadata/resourceVersion', value: rv },
              { op: 'replace', path: '/spec/replicas', value: 2 },
            ];
            const reply = await call(ep, 'PATCH', scale(), {
              body,
              contentType: 'application/json-patch+json',
            });
            if (reply.status !== 409 || attempt === 5) return reply;
          }
        };
        const [ps, pr] = await Promise.all([guarded(p.sb), guarded(p.real)]);
        assert.equal(pr.status, 200, pr.text);
        assert.equal(ps.status, 200, ps.text);
        assert.deepEqual(normalize(ps.json.spec), normalize(pr.json.spec));
      });

      for (const [what, replicas] of [
        ['10^12', 1e12],
        ['1.5', 1.5],
        ['"3"', '3'],
        ['2147483648', 2147483648],
      ] as const) {
        it(`refuses ${what} replicas in a create and a Scale update with the same 400 body`, async () => {
          await p.sameAnswer('POST', path(), { body: deployment('bad-count', replicas as number) });
          const body = {
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: { name },
            spec: { replicas },
          };
          await p.sameAnswer('PUT', scale(), { body });
        });

        for (const contentType of ['application/json-patch+json', 'application/merge-patch+json']) {
          it(`refuses ${what} replicas in a ${contentType} of the scale and the Deployment with the same 422`, async () => {
            const body =
              contentType === 'application/json-patch+json'
                ? [{ op: 'replace', path: '/spec/replicas', value: replicas }]
                : { spec: { replicas } };
            for (const target of [scale(), `${path()}/${name}`]) {
              const { s, r } = await p.both('PATCH', target, { body, contentType });
              assert.equal(
                s.status,
                r.status,
                `${target}: ${s.text.slice(0, 300)} / ${r.text.slice(0, 300)}`,
              );
              assert.deepEqual(unquote(s), unquote(r), target);
            }
          });
        }
      }

      for (const replicas of [1e12, 1.5, '3', -1]) {
        it(`answers a strategic merge patch of the scale and the Deployment to ${JSON.stringify(replicas)} the same`, async () => {
          const opts = {
            body: { spec: { replicas } },
            contentType: 'application/strategic-merge-patch+json',
          };
          await p.sameAnswer('PATCH', scale(), opts);
          await p.sameAnswer('PATCH', `${path()}/${name}`, opts);
        });
      }
    });

    describe('errors', () => {
      it('answers 404 for a missing object, a missing scale and an unknown resource with the same bodies', async () => {
        await p.sameAnswer('GET', `/apis/apps/v1/namespaces/${p.ns}/deployments/nope`);
        await p.sameAnswer('GET', `/apis/apps/v1/namespaces/${p.ns}/deployments/nope/scale`);
        await p.sameAnswer('GET', `/apis/apps/v1/namespaces/${p.ns}/frobs`);
        await p.sameAnswer('GET', '/apis/no.such.group/v1');
      });

      it('answers 401 for an unknown token and 403 naming the user, verb and resource', async () => {
        await p.sameAnswer('GET', `/api/v1/namespaces/${p.ns}/pods`, { token: 'not-a-token' });
        await p.sameAnswer('GET', `/api/v1/namespaces/${p.ns}/pods`, { token: p.cluster.restrictedToken });
        await p.sameAnswer('PATCH', `/apis/apps/v1/namespaces/${p.ns}/deployments/web/scale`, {
          token: p.cluster.restrictedToken,
          body: { spec: { replicas: 2 } },
          contentType: 'application/merge-patch+json',
        });
      });

      it('answers 415 for an unknown patch type, 400 for a body that is not JSON, 422 for a failing JSON patch', async () => {
        const deploy = `/apis/apps/v1/namespaces/${p.ns}/deployments/web`;
        await p.sameAnswer('PATCH', deploy, { body: { spec: {} }, contentType: 'application/x-unknown' });
        await p.sameAnswer('PATCH', deploy, {
          body: '{not json',
          contentType: 'application/merge-patch+json',
        });
        const op = [{ op: 'replace', path: '/spec/nope/x', value: 1 }];
        await p.sameAnswer('PATCH', deploy, { body: op, contentType: 'application/json-patch+json' });
      });

      it('answers 400 for a name or namespace that does not match the URL', async () => {
        const leases = `/apis/coordination.k8s.io/v1/namespaces/${p.ns}/leases`;
        const lease = (name: string, namespace?: string) => ({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, ...(namespace ? { namespace } : {}) },
        });
        await p.sameAnswer('POST', leases, { body: lease('x', 'elsewhere') });
        await p.sameAnswer('POST', leases, { body: lease('mine') });
        await p.sameAnswer('PUT', `${leases}/mine`, { body: lease('other') });
      });
    });
  },
);
