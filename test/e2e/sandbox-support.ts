// Shared by the sandbox's end-to-end tests: raw HTTPS to any API server (sandbox or real) with full control of
// headers, watch streams read for a while, and the normalisation that makes two servers' answers comparable
// (uids, timestamps, resourceVersions, managedFields and generated hashes are not the contract).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TestCluster } from '../support/cluster.ts';
import {
  startSandbox,
  type SandboxHandle,
  type StartSandboxOptions,
} from '../../src/sandbox/server/server.ts';
import { sandboxDeps } from '../support/sandbox-deps.ts';

/** API JSON of any shape, as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index arbitrary API answers
export type Json = any;

/** Where and as whom to send raw requests. */
export interface Endpoint {
  name: 'sandbox' | 'real';
  server: string;
  ca: string;
  token: string;
}

/** One answer: status, lower-case headers and the body text (JSON parsed when it is JSON). */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

/** Request options beyond method and path. */
export interface Send {
  body?: unknown;
  contentType?: string;
  accept?: string;
  token?: string;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends one request; any HTTP status is a value. */
export function call(ep: Endpoint, method: string, path: string, opts: Send = {}): Promise<Reply> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${opts.token ?? ep.token}`,
    accept: opts.accept ?? 'application/json',
  };
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, ep.server), { method, ca: ep.ca, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A watch being read: the events so far, and a way to wait for one. */
export interface WatchReader {
  status: Promise<number>;
  events: { type: string; object: Json }[];
  /** Resolves with the first event (already received or future) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(
    match: (e: { type: string; object: Json }) => boolean,
    timeoutMs?: number,
  ): Promise<{ type: string; object: Json }>;
  close(): void;
}

/** Opens `GET path` (a watch URL) and parses the newline-delimited JSON events as they arrive. */
export function openWatch(ep: Endpoint, path: string): WatchReader {
  const events: WatchReader['events'] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let statusOf: (n: number) => void = () => {};
  const status = new Promise<number>((r) => (statusOf = r));
  const req = request(
    new URL(path, ep.server),
    {
      method: 'GET',
      ca: ep.ca,
      headers: { authorization: `Bearer ${ep.token}`, accept: 'application/json' },
    },
    (res) => {
      statusOf(res.statusCode ?? 0);
      res.on('data', (c: Buffer) => {
        buffer += c.toString('utf8');
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '') events.push(JSON.parse(line) as WatchReader['events'][number]);
        }
        for (const w of [...waiters]) w();
      });
      res.on('error', () => {});
    },
  );
  req.on('error', () => {});
  req.end();
  return {
    status,
    events,
    close: () => req.destroy(),
    waitFor: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.find(match);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching watch event on ${ep.name} ${path} within ${timeoutMs}ms; got ${JSON.stringify(events.map((e) => e.type))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Starts an in-process sandbox on a free port with the real clock. */
export async function sandboxEndpoint(
  options: Partial<StartSandboxOptions> = {},
): Promise<{ sandbox: SandboxHandle; ep: Endpoint }> {
  const sandbox = await startSandbox(sandboxDeps(), { startDelayMs: 100, ...options });
  return { sandbox, ep: { name: 'sandbox', server: sandbox.url, ca: sandbox.caPem, token: sandbox.token } };
}

/** The real kube-apiserver of the e2e harness as an Endpoint (admin, or the restricted user `alice`). */
export function realEndpoint(cluster: TestCluster, restricted = false): Endpoint {
  return {
    name: 'real',
    server: cluster.server,
    ca: readFileSync(cluster.caFile, 'utf8'),
    token: restricted ? cluster.restrictedToken : cluster.adminToken,
  };
}

const VOLATILE = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'lastTransitionTime',
  'lastUpdateTime',
  'lastProbeTime',
  'startTime',
  'startedAt',
  'firstTimestamp',
  'lastTimestamp',
  'deletionTimestamp',
  'continue',
  'selfLink',
]);

/** A copy without the fields two servers legitimately differ in; pod-template-hash values become `<hash>`. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'string')
    return value.replace(/-[bcdfghjklmnpqrstvwxz2456789]{9,10}(?=$|[^a-z0-9])/g, '-<hash>');
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (VOLATILE.has(k)) continue;
    out[k] = k === 'pod-template-hash' ? '<hash>' : normalize(v);
  }
  return out;
}

/** The sandbox and the real kube-apiserver side by side, each with a namespace of the same name. */
export interface Pair {
  cluster: TestCluster;
  sandbox: SandboxHandle;
  sb: Endpoint;
  real: Endpoint;
  ns: string;
  /** Sends the same request to both servers. */
  both(method: string, path: string, opts?: Send): Promise<{ s: Reply; r: Reply }>;
  /** Sends the same request to both and asserts equal status and equal normalised bodies; returns the sandbox's. */
  sameAnswer(method: string, path: string, opts?: Send): Promise<Reply>;
  /** Polls GET `path` on both until `ready` accepts each answer. */
  waitBoth(path: string, ready: (o: Json) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Starts a sandbox (the real cluster's restricted token is its rule-less user `alice`) next to the real cluster. */
export async function openPair(cluster: TestCluster, prefix: string): Promise<Pair> {
  const { sandbox, ep: sb } = await sandboxEndpoint({
    users: [{ name: 'alice', token: cluster.restrictedToken, rules: [] }],
  });
  const real = realEndpoint(cluster);
  const ns = await cluster.createNamespace(prefix);
  const created = await call(sb, 'POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  });
  if (created.status !== 201) throw new Error(`sandbox namespace ${ns}: ${created.text}`);
  const both = async (method: string, path: string, opts: Send = {}) => {
    const [s, r] = await Promise.all([call(sb, method, path, opts), call(real, method, path, opts)]);
    return { s, r };
  };
  return {
    cluster,
    sandbox,
    sb,
    real,
    ns,
    both,
    async sameAnswer(method, path, opts = {}) {
      const { s, r } = await both(method, path, opts);
      const where = `${method} ${path}: sandbox ${s.status} ${s.text.slice(0, 300)} / real ${r.status} ${r.text.slice(0, 300)}`;
      assert.equal(s.status, r.status, where);
      assert.deepEqual(normalize(s.json ?? s.text), normalize(r.json ?? r.text), `${method} ${path}`);
      return s;
    },
    async waitBoth(path, ready) {
      await Promise.all(
        [sb, real].map((ep) =>
          cluster.waitFor(
            async () => ready((await call(ep, 'GET', path)).json),
            30_000,
            `${ep.name}: ${path}`,
          ),
        ),
      );
    },
    async close() {
      await sandbox.close();
      await cluster.api('DELETE', `/api/v1/namespaces/${ns}`);
    },
  };
}
