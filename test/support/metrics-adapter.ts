// A metrics adapter for the e2e tests: a real HTTPS server on 127.0.0.1 serving metrics.k8s.io/v1beta1,
// custom.metrics.k8s.io/v1beta2 and external.metrics.k8s.io/v1beta1 from values the test scripts, registered
// with kube-apiserver's aggregation layer through APIService objects and an ExternalName Service for
// localhost (research/real-apiserver.md §5). Like metrics-server it serves only callers that present the
// front-proxy client certificate, so every answer it gives has gone through the aggregator.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import { makeTestPki, type TestPki } from '../fixtures/hooks/pki.ts';
import type { TestCluster } from './cluster.ts';

/** One pod's usage, per container (`{cpu: '250m', memory: '64Mi'}`). */
export interface PodUsage {
  labels: Record<string, string>;
  containers: Record<string, string>[];
  timestamp: string;
  window: string;
}

/** A custom metric value of one object (or pod); `timestamp` defaults to the time of the request. */
export interface CustomValue {
  value: string;
  labels?: Record<string, string>;
  windowSeconds?: number;
  timestamp?: string;
}

/** A series of an external metric. */
export interface ExternalSeries {
  labels: Record<string, string>;
  value: string;
  timestamp?: string;
}

/** One request the adapter answered, with the user the aggregator asserted. */
export interface AdapterRequest {
  path: string;
  query: Record<string, string>;
  user: string;
  status: number;
}

const GROUPS = [
  { group: 'metrics.k8s.io', version: 'v1beta1' },
  { group: 'custom.metrics.k8s.io', version: 'v1beta2' },
  { group: 'external.metrics.k8s.io', version: 'v1beta1' },
];
const SERVICE = { namespace: 'kube-system', name: 'cpa-e2e-metrics-adapter' };

/** Label selector of the forms CPA sends (`a=b,c in (d,e),!f,g`), evaluated against a label map. */
export function matches(selector: string, labels: Record<string, string>): boolean {
  if (selector.trim() === '') return true;
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.every((raw) => {
    const part = raw.trim();
    let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(part);
    if (m) {
      const values = (m[3] ?? '').split(',').map((v) => v.trim());
      const has = labels[m[1] ?? ''] !== undefined && values.includes(labels[m[1] ?? ''] ?? '');
      return m[2] === 'in' ? has : !has;
    }
    m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return m[2] === '!=' ? labels[m[1] ?? ''] !== m[3] : labels[m[1] ?? ''] === m[3];
    if (part.startsWith('!')) return labels[part.slice(1)] === undefined;
    return labels[part] !== undefined;
  });
}

/** The running adapter: set values, read the request log, stop (after unregistering). */
export class MetricsAdapter {
  /** namespace → pod name → usage */
  readonly podUsage = new Map<string, Map<string, PodUsage>>();
  /** `namespace/resource/name/metric` (resource `pods` for per-pod values) → value; `*` is not a key. */
  readonly custom = new Map<string, CustomValue>();
  /** `namespace/metric` → series */
  readonly external = new Map<string, ExternalSeries[]>();
  readonly requests: AdapterRequest[] = [];
  readonly port: number;
  readonly #server: Server;
  readonly #pki: TestPki;

  private constructor(server: Server, port: number, pki: TestPki) {
    this.#server = server;
    this.port = port;
    this.#pki = pki;
  }

  /** Starts on a free loopback port; only clients with a certificate of `frontProxyCaFile` are served. */
  static async start(frontProxyCaFile: string): Promise<MetricsAdapter> {
    const pki = makeTestPki();
    const ref: { adapter?: MetricsAdapter } = {};
    const server = createServer(
      {
        cert: pki.server.cert,
        key: pki.server.key,
        ca: readFileSync(frontProxyCaFile),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => ref.adapter?.handle(req, res),
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    ref.adapter = new MetricsAdapter(server, port, pki);
    return ref.adapter;
  }

  setPod(namespace: string, pod: string, usage: PodUsage): void {
    if (!this.podUsage.has(namespace)) this.podUsage.set(namespace, new Map());
    this.podUsage.get(namespace)?.set(pod, usage);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const socket = req.socket as TLSSocket;
    const user = String(req.headers['x-remote-user'] ?? '');
    const reply = (status: number, body: unknown): void => {
      // Go's proxy re-escapes `*` as %2A on the way through the aggregator; log the path as the caller wrote it.
      const path = decodeURIComponent(url.pathname);
      this.requests.push({ path, query: Object.fromEntries(url.searchParams), user, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // Only the aggregator (front-proxy client certificate) may ask, as with a real adapter.
    if (!socket.authorized) {
      reply(401, status(401, 'Unauthorized', 'a front-proxy client certificate is required'));
      return;
    }
    const answer = this.#route(url);
    reply(answer.status, answer.body);
  }

  #route(url: URL): { status: number; body: unknown } {
    const segs = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const q = (k: string): string => url.searchParams.get(k) ?? '';
    if (segs[0] !== 'apis' || segs.length < 3)
      return { status: 404, body: status(404, 'NotFound', 'not found') };
    const [, group, version, ...rest] = segs;
    const known = GROUPS.find((g) => g.group === group && g.version === version);
    if (known === undefined) return { status: 404, body: status(404, 'NotFound', 'not found') };
    if (rest.length === 0) return { status: 200, body: this.#discovery(known.group, known.version) };
    if (rest[0] !== 'namespaces' || rest.length < 3)
      return { status: 404, body: status(404, 'NotFound', 'not found') };
    const ns = rest[1] ?? '';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (group === 'metrics.k8s.io' && rest[2] === 'pods') {
      const items = [...(this.podUsage.get(ns) ?? new Map<string, PodUsage>())]
        .filter(
          ([name, u]) => (rest[3] === undefined || rest[3] === name) && matches(q('labelSelector'), u.labels),
        )
        .map(([name, u]) => ({
          metadata: { name, namespace: ns, labels: u.labels },
          timestamp: u.timestamp,
          window: u.window,
          containers: u.containers.map((usage, i) => ({ name: `c${i}`, usage })),
        }));
      return {
        status: 200,
        body: { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items },
      };
    }
    if (group === 'custom.metrics.k8s.io') {
      const [resource = '', name = '', metric = ''] = rest.slice(2);
      const list = (items: unknown[]) => ({
        status: 200,
        body: { kind: 'MetricValueList', apiVersion: 'custom.metrics.k8s.io/v1beta2', metadata: {}, items },
      });
      const item = (kind: string, objName: string, v: CustomValue) => ({
        describedObject: { kind, namespace: ns, name: objName, apiVersion: kind === 'Pod' ? '/v1' : '' },
        metric: { name: metric, selector: null },
        timestamp: v.timestamp ?? now,
        ...(v.windowSeconds === undefined ? {} : { windowSeconds: v.windowSeconds }),
        value: v.value,
      });
      if (resource === 'pods' && name === '*') {
        const pods = this.podUsage.get(ns) ?? new Map<string, PodUsage>();
        const items = [...this.custom]
          .filter(([k]) => k.startsWith(`${ns}/pods/`) && k.endsWith(`/${metric}`))
          .map(([k, v]) => ({ pod: k.split('/')[2] ?? '', v }))
          .filter(
            ({ pod, v }) =>
              matches(q('labelSelector'), pods.get(pod)?.labels ?? {}) &&
              matches(q('metricLabelSelector'), v.labels ?? {}),
          )
          .map(({ pod, v }) => item('Pod', pod, v));
        return list(items);
      }
      const found = this.custom.get(`${ns}/${resource}/${name}/${metric}`);
      if (found === undefined)
        return {
          status: 404,
          body: status(
            404,
            'NotFound',
            `the server could not find the metric ${metric} for ${resource} ${name}`,
          ),
        };
      return list([item(resource, name, found)]);
    }
    if (group === 'external.metrics.k8s.io') {
      const metric = rest[2] ?? '';
      const series = (this.external.get(`${ns}/${metric}`) ?? []).filter((s) =>
        matches(q('labelSelector'), s.labels),
      );
      const items = series.map((s) => ({
        metricName: metric,
        metricLabels: s.labels,
        timestamp: s.timestamp ?? now,
        value: s.value,
      }));
      return {
        status: 200,
        body: {
          kind: 'ExternalMetricValueList',
          apiVersion: 'external.metrics.k8s.io/v1beta1',
          metadata: {},
          items,
        },
      };
    }
    return { status: 404, body: status(404, 'NotFound', 'not found') };
  }

  #discovery(group: string, version: string): unknown {
    const resources =
      group === 'metrics.k8s.io'
        ? [
            { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
            {
              name: 'nodes',
              singularName: '',
              namespaced: false,
              kind: 'NodeMetrics',
              verbs: ['get', 'list'],
            },
          ]
        : group === 'custom.metrics.k8s.io'
          ? [...new Set([...this.custom.keys()].map((k) => k.split('/')).map((p) => `${p[1]}/${p[3]}`))].map(
              (name) => ({
                name,
                singularName: '',
                namespaced: true,
                kind: 'MetricValueList',
                verbs: ['get'],
              }),
            )
          : [...new Set([...this.external.keys()].map((k) => k.split('/')[1] ?? ''))].map((name) => ({
              name,
              singularName: '',
              namespaced: true,
              kind: 'ExternalMetricValueList',
              verbs: ['get'],
            }));
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources };
  }

  /** Registers the three APIServices and waits until the aggregator reports them Available. */
  async register(cluster: TestCluster): Promise<void> {
    await cluster.apply(
      [
        `apiVersion: v1\nkind: Service\nmetadata: {name: ${SERVICE.name}, namespace: ${SERVICE.namespace}}\nspec: {type: ExternalName, externalName: localhost}`,
        ...GROUPS.map(
          (g) =>
            `apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: ${g.version}.${g.group}}\n` +
            `spec: {group: ${g.group}, version: ${g.version}, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, ` +
            `versionPriority: 100, service: {name: ${SERVICE.name}, namespace: ${SERVICE.namespace}, port: ${this.port}}}`,
        ),
      ].join('\n---\n'),
    );
    for (const g of GROUPS) {
      await cluster.waitFor(
        async () => {
          const reply = await cluster.api(
            'GET',
            `/apis/apiregistration.k8s.io/v1/apiservices/${g.version}.${g.group}`,
          );
          const conditions = (
            JSON.parse(reply.body) as { status?: { conditions?: { type: string; status: string }[] } }
          ).status?.conditions;
          return conditions?.some((c) => c.type === 'Available' && c.status === 'True');
        },
        60_000,
        `APIService ${g.version}.${g.group} Available`,
      );
    }
  }

  /** Deletes the APIServices first (an unavailable APIService disturbs discovery for everybody), then stops. */
  async stop(cluster?: TestCluster): Promise<void> {
    if (cluster !== undefined) {
      for (const g of GROUPS)
        await cluster.api('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${g.version}.${g.group}`);
      await cluster.api('DELETE', `/api/v1/namespaces/${SERVICE.namespace}/services/${SERVICE.name}`);
    }
    // The aggregator keeps connections alive; close them or close() would wait for them forever.
    const closed = new Promise<void>((done) => this.#server.close(() => done()));
    this.#server.closeAllConnections();
    await closed;
    this.#pki.cleanup();
  }
}

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}
