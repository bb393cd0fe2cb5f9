// The sandbox's imperative shell: real time, timers and randomness, TLS material, the node:https listener
// that feeds requests to the socket-free API (whole answers and chunked streams), the kubeconfig file, and
// the optional state file (state-file.ts). `startSandbox` is the HTTPS server underneath ../start.ts, which
// the commands use; tests that want the bare server call it directly.
import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { CpaError } from '../../errors.ts';
import type { SandboxUser } from '../apiserver/auth.ts';
import { renderKubeconfig } from '../tls/kubeconfig.ts';
import { createSandboxCore, type SandboxCore } from './core.ts';
import { readSnapshot, stateSaver, writeAtomic } from './state-file.ts';
import { internalError } from '../wire/status.ts';
import { parseRequestTarget } from '../wire/target.ts';
import { generateTls } from '../tls/tls.ts';
import { isStream, type SandboxRequest, type SandboxResponse } from '../wire/http.ts';
import type { SandboxEnv } from '../store/context.ts';

/** How to start a sandbox. */
export interface StartSandboxOptions {
  /** Wall clock (Deps.clock): timestamps and log/metrics scripts follow it. */
  clock: { nowMs(): number };
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The admin's bearer token; random when absent. */
  token?: string;
  /** More users, e.g. one with limited rules to see 403s. */
  users?: SandboxUser[];
  startDelayMs?: number;
  /** Restore objects from this file if it exists, and keep it up to date. */
  stateFile?: string;
  /** Write the kubeconfig here (parent directories are created). */
  kubeconfigOut?: string;
  /** Told of each request that failed unexpectedly (a sandbox bug); that client got a 500 and serving goes on. */
  onError?: (error: unknown) => void;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly caPem: string;
  readonly token: string;
  /** The kubeconfig YAML for the admin user. */
  readonly kubeconfig: string;
  readonly core: SandboxCore;
  /** Stops listening, ends open watches and streams, writes the state file one last time. */
  close(): Promise<void>;
}

/** Maximum request body, as kube-apiserver's 3 MiB limit. */
const MAX_BODY = 3 * 1024 * 1024;
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The real SandboxEnv over a wall clock. */
export function realEnv(clock: { nowMs(): number }): SandboxEnv {
  return {
    nowMs: () => clock.nowMs(),
    after: (ms, fn) => {
      if (ms <= 0) {
        const immediate = setImmediate(fn);
        return () => clearImmediate(immediate);
      }
      const timer = setTimeout(fn, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
    uuid: () => randomUUID(),
    suffix: (n) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  };
}

function requestOf(req: IncomingMessage, bytes: Buffer): SandboxRequest | null {
  const target = parseRequestTarget(req.url ?? '/');
  if (target === null) return null;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method ?? 'GET',
    path: target.path,
    query: target.query,
    headers,
    body: bytes.toString('utf8'),
    bytes,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const COMMON_HEADERS = { 'Cache-Control': 'no-cache, private' };

/** Go's net/http answer to a request it cannot parse (kube-apiserver sends exactly this). */
function badRequest(res: ServerResponse): void {
  const body = '400 Bad Request';
  res
    .writeHead(400, {
      'Content-Type': 'text/plain; charset=utf-8',
      Connection: 'close',
      'Content-Length': body.length,
    })
    .end(body);
}

/** After a failure in serving: a 500 Status if nothing was sent yet, else the connection is cut. */
function failed(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = internalError(err instanceof Error ? err.message : String(err));
  const body = JSON.stringify(status.body);
  res.writeHead(500, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function respond(
  res: ServerResponse,
  response: SandboxResponse,
  streams: Set<AbortController>,
): Promise<void> {
  if (!isStream(response)) {
    res.writeHead(response.status, {
      ...COMMON_HEADERS,
      ...response.headers,
      'Content-Length': Buffer.byteLength(response.body),
    });
    res.end(response.body);
    return;
  }
  const { 'Transfer-Encoding': _te, ...headers } = response.headers;
  res.writeHead(response.status, { ...COMMON_HEADERS, ...headers });
  res.flushHeaders();
  const abort = new AbortController();
  streams.add(abort);
  res.once('close', () => abort.abort());
  try {
    await response.run((chunk) => void res.write(chunk), abort.signal);
  } finally {
    streams.delete(abort);
    res.end();
  }
}

function listen(server: https.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CpaError(
          `cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`,
          {
            cause: err,
            hint: err.code === 'EADDRINUSE' ? 'choose another --port, or 0 for any free port' : undefined,
          },
        ),
      ),
    );
    server.listen({ host, port }, () => resolve());
  });
}

/** An HTTPS server feeding `core`'s API, with what close() needs to end every connection and stream. */
interface Listener {
  server: https.Server;
  /** Stops accepting, ends open streams and connections. */
  stop(): Promise<void>;
}

function listener(
  core: SandboxCore,
  tls: { cert: string; key: string },
  onError: (error: unknown) => void,
): Listener {
  const server = https.createServer({ cert: tls.cert, key: tls.key, keepAlive: true });
  const sockets = new Set<Socket>();
  const streams = new Set<AbortController>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // Nothing a client sends may end the process (and `demo` or `run --sandbox` with it): every failure of
  // serving one request ends in an answer to that request.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((err: unknown) => {
      try {
        onError(err);
      } catch {
        // A failing reporter must not end the process either.
      }
      try {
        failed(res, err);
      } catch {
        res.destroy();
      }
    });
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req).catch(() => null);
    const request = body === null ? null : requestOf(req, body);
    if (request === null) return badRequest(res);
    await respond(res, await core.api.handle(request), streams);
  }
  return {
    server,
    stop: async () => {
      for (const s of streams) s.abort();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await stopped;
    },
  };
}

/** Starts a sandbox on HTTPS; resolves once it answers requests. */
export async function startSandbox(options: StartSandboxOptions): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const env = realEnv(options.clock);
  const token = options.token ?? randomUUID().replaceAll('-', '');
  const snapshot = options.stateFile === undefined ? undefined : await readSnapshot(options.stateFile);
  const tls = generateTls(env.nowMs());
  const users = [{ name: 'sandbox-admin', token }, ...(options.users ?? [])];
  // The address is known once listening; /api reports it, so it is filled in below.
  const core = createSandboxCore({
    env,
    users,
    serverAddress: '',
    startDelayMs: options.startDelayMs,
    snapshot,
    onError: options.onError,
  });
  const http = listener(core, tls, options.onError ?? (() => {}));
  try {
    await listen(http.server, host, options.port ?? 0);
  } catch (err) {
    core.close();
    throw err;
  }
  const bound = http.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : (options.port ?? 0);
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  core.ctx.serverAddress = address;
  const url = `https://${address}`;
  const kubeconfig = renderKubeconfig(url, tls.caCert, token);
  if (options.kubeconfigOut !== undefined) await writeAtomic(options.kubeconfigOut, kubeconfig);
  const saver = options.stateFile === undefined ? undefined : stateSaver(core, options.stateFile);
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await http.stop();
    core.close();
    await saver?.flush();
  };
  return { url, caPem: tls.caCert, token, kubeconfig, core, close: () => (closing ??= close()) };
}
