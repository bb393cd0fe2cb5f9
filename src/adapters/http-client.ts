// The real HttpRequester over node:http/https, no proxy: one deadline from connect to the last body byte, a
// bound on the body, redirects followed like Go's client. Connections are kept alive like Go's default client
// (CPA's for http hooks without TLS options); with a CA or a client certificate every call opens its own, as
// CPA builds a client per call then.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { HttpOutcome, HttpRequester, HttpRequestSpec } from '../ports.ts';

/** Go's http.Client stops after this many redirects. */
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers Go drops when a redirect leaves the original host. */
const SENSITIVE_HEADERS = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2']);

interface Request {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

type Reply =
  | { kind: 'response'; status: number; location?: string; body: Buffer }
  | { kind: 'body-limit'; status: number; limitBytes: number };

/** The shared pools of kept-alive connections; idle sockets never hold the process open (Node unrefs them). */
const POOLS = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * A pooled connection was reset before any byte of the response: in practice the server closed it while idle
 * as our request went out (Node's advice for `reusedSocket`), so the request is sent once more on a new
 * connection. Only resets count: a timeout, an abort or a partial answer is never sent again.
 */
class StaleConnection extends Error {}

/** Network errors that mean the peer closed or reset the connection. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Performs one request (following redirects) within `timeoutMs`. Never rejects. */
export const httpRequest: HttpRequester = async (spec) => {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  if (spec.signal?.aborted) return { kind: 'aborted', durationMs: 0 };
  const stop = new AbortController();
  let ended: 'timeout' | 'aborted' | undefined;
  const end = (why: 'timeout' | 'aborted'): void => {
    ended ??= why;
    stop.abort();
  };
  const timer = setTimeout(() => end('timeout'), Math.max(0, spec.timeoutMs));
  const onAbort = (): void => end('aborted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reply = await follow(spec, stop.signal);
    return { ...reply, durationMs: elapsed() } as HttpOutcome;
  } catch (error) {
    if (ended !== undefined) return { kind: ended, durationMs: elapsed() };
    return { kind: 'error', message: describeError(error), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
};

/** Sends the request and follows up to MAX_REDIRECTS redirects the way Go's default client does. */
async function follow(spec: HttpRequestSpec, signal: AbortSignal): Promise<Reply> {
  let request: Request = { method: spec.method, url: new URL(spec.url), headers: { ...spec.headers } };
  if (spec.body !== undefined) request.body = spec.body;
  for (let redirects = 0; ; redirects++) {
    const reply = await sendRetryingStale(request, spec, signal);
    if (reply.kind !== 'response' || !REDIRECT_STATUSES.has(reply.status) || reply.location === undefined) {
      return reply;
    }
    if (redirects === MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
    request = redirected(request, reply.status, new URL(reply.location, request.url));
  }
}

/** The next request of a redirect chain: 301/302/303 turn into a body-less GET (except HEAD), 307/308 keep all. */
function redirected(previous: Request, status: number, url: URL): Request {
  const headers = { ...previous.headers };
  if (url.host !== previous.url.host) {
    for (const name of Object.keys(headers))
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) delete headers[name];
  }
  const keepMethod =
    status === 307 || status === 308 || previous.method === 'HEAD' || previous.method === 'GET';
  if (keepMethod) return { ...previous, url, headers };
  for (const name of Object.keys(headers)) {
    if (['content-type', 'content-length'].includes(name.toLowerCase())) delete headers[name];
  }
  return { method: 'GET', url, headers };
}

/** One exchange; a stale pooled connection is retried once on a new connection (never a second time). */
async function sendRetryingStale(
  request: Request,
  spec: HttpRequestSpec,
  signal: AbortSignal,
): Promise<Reply> {
  try {
    return await sendOnce(request, spec, signal, true);
  } catch (error) {
    if (!(error instanceof StaleConnection) || signal.aborted) throw error;
    return sendOnce(request, spec, signal, false);
  }
}

/** One request/response exchange; rejects on network errors and when `signal` aborts. */
function sendOnce(
  request: Request,
  spec: HttpRequestSpec,
  signal: AbortSignal,
  pooled: boolean,
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const isHttps = request.url.protocol === 'https:';
    if (!isHttps && request.url.protocol !== 'http:') {
      reject(new Error(`unsupported protocol scheme "${request.url.protocol.replace(/:$/, '')}"`));
      return;
    }
    const tls = isHttps ? tlsOptions(spec) : {};
    const send = isHttps ? https.request : http.request;
    const shared = pooled && Object.keys(tls).length === 0;
    const req = send(request.url, {
      method: request.method,
      headers: request.headers,
      agent: shared ? (isHttps ? POOLS.https : POOLS.http) : false,
      signal,
      ...tls,
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > spec.maxBodyBytes) {
          resolve({ kind: 'body-limit', status, limitBytes: spec.maxBodyBytes });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const location = res.headers.location;
        resolve({ kind: 'response', status, body: Buffer.concat(chunks), ...(location ? { location } : {}) });
      });
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error('connection closed before the response body was complete'));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && CLOSED_CODES.has(error.code ?? '');
      reject(stale ? new StaleConnection(error.message, { cause: error }) : error);
    });
    req.end(request.body);
  });
}

/** `ca` replaces the default roots (it is the only trust anchor); cert+key present the client certificate. */
function tlsOptions(spec: HttpRequestSpec): https.RequestOptions {
  const options: https.RequestOptions = {};
  if (spec.ca !== undefined) options.ca = spec.ca;
  if (spec.cert !== undefined && spec.key !== undefined) {
    options.cert = spec.cert;
    options.key = spec.key;
  }
  return options;
}

/** Node's message plus its error code when the message does not already carry it (TLS errors do not). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, reason } = error as NodeJS.ErrnoException & { reason?: unknown };
  // OpenSSL errors arrive as `<hex>:error:<id>:SSL routines:<fn>:<reason>:<source file>…`; its reason is the news.
  const message =
    typeof reason === 'string' && /^[0-9A-F]+:error:/.test(error.message)
      ? `tls: ${reason}`
      : error.message.trim();
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}
