// The real ServeStreams: a node:https listener that reads each request whole (its body bounded), hands it to
// a socket-free handler and writes the answer, at once or chunk by chunk (watches, log follows) until the
// handler's stream ends or the client leaves. The embedded sandbox API runs on it; close() cuts everything.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { CpaError } from '../errors.ts';
import { headersOf, hostPort } from './http-server.ts';
import type {
  RawHttpRequest,
  ServeStreams,
  StreamResponse,
  StreamServerHandle,
  WholeResponse,
} from '../ports.ts';

type Options = Parameters<ServeStreams>[0];

/** Serves `options.handle` on HTTPS; resolves once listening, rejects with a CpaError when it cannot listen. */
export const serveStreams: ServeStreams = async (options) => {
  const { host, port } = options;
  const server = https.createServer({ cert: options.tls.cert, key: options.tls.key, keepAlive: true });
  const sockets = new Set<Socket>();
  const streams = new Set<AbortController>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // Nothing a client sends may end the process (and `demo` or `run --sandbox` with it): every failure of
  // serving one request ends in an answer to that request, or in cutting its connection.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res, options, streams).catch((err: unknown) => {
      try {
        const answer = options.onError(err);
        if (res.headersSent) res.destroy();
        else writeWhole(res, answer);
      } catch {
        res.destroy();
      }
    });
  });
  await listen(server, host, port);
  const bound = server.address();
  const actual = typeof bound === 'object' && bound !== null ? bound.port : port;
  let closed: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    for (const s of streams) s.abort();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await stopped;
  };
  const handle: StreamServerHandle = {
    address: hostPort(host, actual),
    port: actual,
    close: () => (closed ??= stop()),
  };
  return handle;
};

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: Options,
  streams: Set<AbortController>,
): Promise<void> {
  const body = await readBody(req, options.maxBodyBytes).catch(() => null);
  const request: RawHttpRequest = {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    headers: headersOf(req),
    body,
  };
  const response = await options.handle(request);
  if ('run' in response) await writeStream(res, response, streams);
  else writeWhole(res, response);
}

/** The body, or null when it is longer than `max` bytes (the rest is read and dropped). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeWhole(res: ServerResponse, response: WholeResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    'Content-Length': Buffer.byteLength(response.body),
  });
  res.end(response.body);
}

async function writeStream(
  res: ServerResponse,
  response: StreamResponse,
  streams: Set<AbortController>,
): Promise<void> {
  // Node chunks the body itself; a Transfer-Encoding header of the handler's would be sent twice.
  const { 'Transfer-Encoding': _te, ...headers } = response.headers;
  res.writeHead(response.status, headers);
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
