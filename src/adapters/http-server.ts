// The real ServeHttp: a node:http / node:https server that turns each request into an ApiRequest the way
// Go's net/http would read it, and that shuts down without dropping an answer it already owes.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { CpaError } from '../errors.ts';
import type { ApiRequest, ApiResponse, ServeHttp, ServerHandle } from '../ports.ts';

type Handle = (request: ApiRequest) => Promise<ApiResponse>;

interface ServerState {
  closing: boolean;
  /** Raw TCP sockets (for HTTPS, the ones under TLS), so close() can end whatever is left. */
  sockets: Set<Socket>;
  /** Requests being answered: close() waits for them. */
  inFlight: Set<Promise<void>>;
}

// What Go's server answers to a request target it cannot parse (e.g. `%zz` in the path).
const BAD_REQUEST: ApiResponse = {
  status: 400,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
  body: '400 Bad Request',
};

// A handler that throws is a bug, but the client still deserves an answer.
const HANDLER_FAILED: ApiResponse = {
  status: 500,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body: '500 Internal Server Error\n',
};

const LISTEN_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
};

const LISTEN_HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE:
    'another process holds this port (another `kubectl cpa run`?): pass --api-addr 127.0.0.1:PORT with a free port, or --no-api (or set apiConfig.port / apiConfig.enabled: false); several autoscalers can share one process: kubectl cpa run DIR1 DIR2',
  EACCES:
    'ports below 1024 need privileges: pass --api-addr with a higher port (or set apiConfig.port), or --no-api',
};

/** Serves `handle` on host:port (HTTPS when `tls` is given); resolves once listening, rejects with a CpaError. */
export const serveHttp: ServeHttp = async ({ host, port, tls, handle }) => {
  const where = hostPort(host, port);
  const server = createServer(tls, where);
  const state: ServerState = { closing: false, sockets: new Set(), inFlight: new Set() };
  server.on('connection', (socket: Socket) => {
    state.sockets.add(socket);
    socket.once('close', () => state.sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (state.closing) {
      // Answering would run a cycle (maybe a scale) whose reply close() is about to cut off.
      req.socket.destroy();
      return;
    }
    const done = answer(req, res, handle, state).finally(() => state.inFlight.delete(done));
    state.inFlight.add(done);
  });
  await listen(server, host, port, where);
  // Accept failures (EMFILE) after startup must not crash the process; the listener stays up.
  server.on('error', () => {});
  const address = boundAddress(server, where);
  let closed: Promise<void> | undefined;
  const serverHandle: ServerHandle = { address, close: () => (closed ??= shutDown(server, state)) };
  return serverHandle;
};

function createServer(tls: { cert: string; key: string } | undefined, where: string): http.Server {
  if (tls === undefined) return http.createServer();
  try {
    return https.createServer({ cert: tls.cert, key: tls.key });
  } catch (err) {
    throw new CpaError(`cannot serve HTTPS on ${where}: invalid certificate or key: ${messageOf(err)}`, {
      cause: err,
      hint: 'apiConfig.certFile and apiConfig.keyFile must hold a matching PEM certificate and private key',
    });
  }
}

function listen(server: http.Server, host: string, port: number, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(listenError(err, where));
    server.once('error', onError);
    try {
      server.listen({ host, port }, () => {
        server.off('error', onError);
        resolve();
      });
    } catch (err) {
      // Bad ports throw synchronously (ERR_SOCKET_BAD_PORT).
      server.off('error', onError);
      reject(listenError(err, where));
    }
  });
}

function listenError(err: unknown, where: string): CpaError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = LISTEN_REASONS[code] ?? messageOf(err);
  return new CpaError(`cannot listen on ${where}: ${reason}`, { cause: err, hint: LISTEN_HINTS[code] });
}

async function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: Handle,
  state: ServerState,
): Promise<void> {
  // Bodies are ignored, but they must be read for the connection to carry another request.
  req.resume();
  // A client that leaves before its answer cancels the cycle it asked for (queued or running).
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  const target = parseRequestTarget(req.url ?? '/');
  const request = target && {
    method: req.method ?? 'GET',
    ...target,
    headers: headersOf(req),
    signal: gone.signal,
  };
  const response = request === null ? BAD_REQUEST : await callHandle(handle, request);
  const socket = res.socket;
  if (res.destroyed || socket === null || socket.destroyed) return; // the client left while the cycle ran
  const closing = state.closing;
  const headers: Record<string, string> = { ...response.headers };
  headers['Content-Length'] = String(Buffer.byteLength(response.body));
  if (closing) headers.Connection = 'close';
  const sent = new Promise<void>((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
  res.writeHead(response.status, headers);
  res.end(response.body);
  await sent;
  // During shutdown, wait until the socket is gone so close() can end every other one safely.
  if (closing && !socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
}

/** Node's headers with repeated ones joined (only set-cookie arrives as a list). */
export function headersOf(req: http.IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function callHandle(handle: Handle, request: ApiRequest): Promise<ApiResponse> {
  try {
    return await handle(request);
  } catch {
    return HANDLER_FAILED;
  }
}

/** Stops accepting, lets answers in progress finish, then ends every remaining (idle or half-sent) connection. */
async function shutDown(server: http.Server, state: ServerState): Promise<void> {
  state.closing = true;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.allSettled([...state.inFlight]);
  for (const socket of state.sockets) socket.destroy();
  await stopped;
}

/**
 * The request target as Go reads it: the path percent-decoded (null, i.e. 400, on a bad escape) and the
 * query parsed like url.ParseQuery, which skips pairs holding `;` or a bad escape instead of failing.
 */
export function parseRequestTarget(target: string): { path: string; query: URLSearchParams } | null {
  // Absolute form (`GET http://host/path`), as a proxy would send it.
  const origin = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(target);
  const local = origin === null ? target : target.slice(origin[0].length);
  const mark = local.indexOf('?');
  const path = percentDecode(mark === -1 ? local : local.slice(0, mark), false);
  if (path === null) return null;
  return { path, query: parseGoQuery(mark === -1 ? '' : local.slice(mark + 1)) };
}

function parseGoQuery(raw: string): URLSearchParams {
  const query = new URLSearchParams();
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq === -1 ? pair : pair.slice(0, eq), true);
    const value = percentDecode(eq === -1 ? '' : pair.slice(eq + 1), true);
    if (key !== null && value !== null) query.append(key, value);
  }
  return query;
}

/** Decodes `%XX` escapes as bytes of UTF-8 text; null when a `%` is not followed by two hex digits. */
function percentDecode(text: string, plusIsSpace: boolean): string | null {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) return null;
  const spaced = plusIsSpace ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  // Every `%` starts a valid escape (checked above), so each captured part is exactly one byte.
  const parts = spaced
    .split(/(%[0-9a-fA-F]{2})/)
    .map((part) =>
      part.startsWith('%') ? Buffer.from([Number.parseInt(part.slice(1), 16)]) : Buffer.from(part, 'utf8'),
    );
  return Buffer.concat(parts).toString('utf8');
}

function boundAddress(server: http.Server, fallback: string): string {
  const bound = server.address();
  if (bound === null || typeof bound === 'string') return fallback;
  return hostPort(bound.address, bound.port);
}

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
