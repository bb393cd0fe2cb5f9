// A small JSON-over-HTTPS client for the API server. TLS material and credentials come from the kubeconfig
// per request (kube-connection.ts); the socket pool is ours so that connections are kept alive between the
// calls of a cycle. A throttled call is sent again after the wait the server asks for (kube-retry.ts).
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { connectionError, kubeErrorFrom } from '../kube/api-errors.ts';
import type { KubeRequest, KubeRequester } from '../ports.ts';
import { explainTls, kubeEndpoint, tlsOf, type TlsOptions } from './kube-connection.ts';
import { Pauses, retryWait } from './kube-retry.ts';

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

/** Builds the transport for the current context of `kc`. Throws CpaError when the context has no cluster. */
export function createTransport(kc: KubeConfig, options: { timeoutMs?: number } = {}): KubeTransport {
  const endpoint = kubeEndpoint(kc);
  const { server } = endpoint;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const agents = new AgentPool(server.startsWith('http:'));
  const inFlight = new Set<http.ClientRequest>();
  const pauses = new Pauses();
  let closed = false;

  const request: KubeRequester = async (req) => {
    const call = req.call ?? { verb: req.method.toLowerCase(), group: '', resource: req.path };
    if (closed) throw connectionError({ call, server, cause: new Error(CLOSED_MESSAGE) });
    const opts = await endpoint.authorize(call);
    // A proxy agent built by client-node must be kept; otherwise use our keep-alive pool.
    opts.agent = endpoint.proxied ? opts.agent : agents.get(opts);
    const prepare = (leftMs: number): Prepared => requestOptions(opts, req, leftMs);
    const url = endpoint.url(req.path, req.query);
    const answer = await sendRetrying(url, prepare, { timeoutMs, inFlight, pauses }).catch(
      (cause: unknown) => {
        throw connectionError({ call, server, cause: explainTls(cause) });
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
    pauses.cancel(new Error(CLOSED_MESSAGE));
    for (const pending of inFlight) pending.destroy(new Error(CLOSED_MESSAGE));
    inFlight.clear();
    agents.close();
  };
  return { request, server, close };
}

/** Sends until an answer needs no retry; rejects when no answer arrives in time or close() ends a wait. */
async function sendRetrying(
  url: URL,
  prepare: (timeoutMs: number) => Prepared,
  io: { timeoutMs: number; inFlight: Set<http.ClientRequest>; pauses: Pauses },
): Promise<Answer> {
  // A monotonic clock: the deadline is a duration, not a time of day.
  const deadline = performance.now() + io.timeoutMs;
  for (let retries = 0; ; retries++) {
    const leftMs = retries === 0 ? io.timeoutMs : Math.max(1, deadline - performance.now());
    const answer = await sendFresh(url, prepare(leftMs), io.inFlight);
    const waitMs = retryWait(answer, retries, deadline - performance.now());
    if (waitMs === undefined) return answer;
    await io.pauses.pause(waitMs);
  }
}

/**
 * send(), once more on a fresh connection when a kept-alive socket the server had closed was reset before
 * any answer (Node's advice for `reusedSocket`). A scale PATCH carries the resourceVersion read, so a repeat
 * that the server had in fact applied meets a 409, never a second change.
 */
async function sendFresh(url: URL, prepared: Prepared, inFlight: Set<http.ClientRequest>): Promise<Answer> {
  try {
    return await send(url, prepared, inFlight);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return send(url, prepared, inFlight).catch((again: unknown) => {
      throw again instanceof StaleSocketError ? again.cause : again;
    });
  }
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
  #tls: Partial<TlsOptions> = {};
  #agent: http.Agent | undefined;

  constructor(plain: boolean) {
    this.#plain = plain;
  }

  get(opts: https.RequestOptions): http.Agent {
    const tls = tlsOf(opts);
    // Compared field by field on every request: no serialising of CA and key material on the hot path.
    if (this.#agent === undefined || !sameTls(tls, this.#tls)) {
      this.#agent?.destroy();
      // One pool for every autoscaler of the process (run DIR…, --all): the density bench saw 8 sockets cap
      // the process at about 130 requests/s against a loaded API server, below 1,000 autoscalers' demand.
      const common = { keepAlive: true, maxSockets: 32 };
      this.#agent = this.#plain ? new http.Agent(common) : new https.Agent({ ...common, ...tls });
      this.#tls = tls;
    }
    return this.#agent;
  }

  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }
}

/** True when two sets of TLS options hold the same material (strings, Buffers, or lists of them). */
function sameTls(a: Partial<TlsOptions>, b: Partial<TlsOptions>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof TlsOptions)[]);
  return [...keys].every((k) => sameValue(a[k], b[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return false;
}

/** An HTTP answer as read: status, body text, and the Retry-After and Date headers if any. */
interface Answer {
  status: number;
  text: string;
  retryAfter: string | undefined;
  date: string | undefined;
}

/** Sends the request and reads the whole answer; rejects only when no HTTP answer arrives. */
function send(
  url: URL,
  { options, payload, timeoutMs }: Prepared,
  inFlight: Set<http.ClientRequest>,
): Promise<Answer> {
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          retryAfter: res.headers['retry-after'],
          date: res.headers.date,
        }),
      );
      res.on('error', reject);
    });
    inFlight.add(req);
    req.on('close', () => inFlight.delete(req));
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs / 1000}s`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && err.code === 'ECONNRESET' ? new StaleSocketError(err) : err),
    );
    req.end(payload);
  });
}

/** A reset on a reused keep-alive socket before any answer; `cause` is the socket's error. */
class StaleSocketError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}
