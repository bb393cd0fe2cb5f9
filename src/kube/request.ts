// A small JSON-over-HTTPS client for the API server. TLS material and credentials (tokens, client
// certificates, exec plugins, token files) come from client-node's KubeConfig.applyToHTTPSOptions, asked
// again on every request so that expiring exec/OIDC tokens are refreshed; the socket pool is ours so
// that connections are kept alive between the calls of a cycle.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CpaError, KubeError } from '../errors.ts';
import { connectionError, kubeErrorFrom, type KubeCall } from './api-errors.ts';

/** One call to the API server. */
export interface KubeRequest {
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute API path, e.g. `/apis/apps/v1/namespaces/x/deployments/web/scale`. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** What the call does, for error messages; without it errors name the path. */
  call?: KubeCall;
}

/** A successful (2xx) answer; `body` is the parsed JSON, or null when empty. */
export interface KubeResponse {
  status: number;
  body: unknown;
}

/** Sends one request; throws KubeError for a non-2xx answer or when the server cannot be reached. */
export type KubeRequester = (request: KubeRequest) => Promise<KubeResponse>;

/** A requester bound to one cluster, with the server URL for messages and a way to shut it down. */
export interface KubeTransport {
  request: KubeRequester;
  server: string;
  /**
   * Ends every request in flight at once and refuses new ones: on shutdown a hung API server must not hold
   * the process for a request timeout per pending call (hostile testing: Ctrl-C took 93 s).
   */
  close(): void;
}

/** Why calls fail after the transport closed. */
const CLOSED_MESSAGE = 'the client was closed (shutting down)';

/** Generous hang guard: a cycle must not wait forever on a stuck connection. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type TlsOptions = Pick<
  https.AgentOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'
>;

/** Builds the transport for the current context of `kc`. Throws CpaError when the context has no cluster. */
export function createTransport(kc: KubeConfig, options: { timeoutMs?: number } = {}): KubeTransport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new CpaError(`kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const agents = new AgentPool(server.startsWith('http:'));
  const inFlight = new Set<http.ClientRequest>();
  let closed = false;

  const request: KubeRequester = async (req) => {
    const call = req.call ?? { verb: req.method.toLowerCase(), group: '', resource: req.path };
    if (closed) throw connectionError({ call, server, cause: new Error(CLOSED_MESSAGE) });
    const opts: https.RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // Exec plugins, token files and certificate files are read here; their failures name the server.
      const details = {
        verb: call.verb,
        resource: call.resource,
        namespace: call.namespace,
        name: call.name,
      };
      throw new KubeError(`failed to prepare credentials for ${server}: ${(err as Error).message}`, details, {
        cause: err,
      });
    }
    // A proxy agent built by client-node must be kept; otherwise use our keep-alive pool.
    opts.agent = cluster.proxyUrl ? opts.agent : agents.get(opts);
    const answer = await send(buildUrl(server, req), requestOptions(opts, req, timeoutMs), inFlight).catch(
      (cause: unknown) => {
        throw connectionError({ call, server, cause });
      },
    );
    const body = parseBody(answer.text);
    if (answer.status < 200 || answer.status > 299) {
      throw kubeErrorFrom({ call, status: answer.status, statusBody: body ?? answer.text });
    }
    return { status: answer.status, body: body ?? null };
  };
  const close = (): void => {
    closed = true;
    for (const pending of inFlight) pending.destroy(new Error(CLOSED_MESSAGE));
    inFlight.clear();
    agents.close();
  };
  return { request, server, close };
}

/** The server URL may carry a path prefix (e.g. Rancher's `/k8s/clusters/c-1`); API paths go under it. */
function buildUrl(server: string, req: KubeRequest): URL {
  const url = new URL(server + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  return url;
}

interface Prepared {
  options: https.RequestOptions;
  payload: Buffer | undefined;
  timeoutMs: number;
}

function requestOptions(auth: https.RequestOptions, req: KubeRequest, timeoutMs: number): Prepared {
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string | number> = {
    ...(auth.headers as Record<string, string>),
    Accept: 'application/json',
    'User-Agent': 'kubectl-cpa',
  };
  if (payload !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const options = { method: req.method, headers, agent: auth.agent, auth: auth.auth, timeout: timeoutMs };
  return { options, payload, timeoutMs };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One keep-alive agent per set of TLS material (an exec plugin may hand out a new client certificate). */
class AgentPool {
  readonly #plain: boolean;
  #key = '';
  #agent: http.Agent | undefined;

  constructor(plain: boolean) {
    this.#plain = plain;
  }

  get(opts: https.RequestOptions): http.Agent {
    const tls: TlsOptions = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    const key = JSON.stringify(tls);
    if (this.#agent === undefined || key !== this.#key) {
      this.#agent?.destroy();
      const common = { keepAlive: true, maxSockets: 8 };
      this.#agent = this.#plain
        ? new http.Agent(common)
        : new https.Agent({ ...common, ...withoutUndefined(tls) });
      this.#key = key;
    }
    return this.#agent;
  }

  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }
}

function withoutUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Sends the request and reads the whole answer; rejects only when no HTTP answer arrives. */
function send(
  url: URL,
  { options, payload, timeoutMs }: Prepared,
  inFlight: Set<http.ClientRequest>,
): Promise<{ status: number; text: string }> {
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    inFlight.add(req);
    req.on('close', () => inFlight.delete(req));
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
