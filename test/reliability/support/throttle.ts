// A loopback HTTPS front for an API server that throttles on command: during a storm it answers every
// request 429 or 503 (in turn) with a Retry-After header, as kube-apiserver's max-in-flight and priority
// filters do; otherwise it passes requests through to the upstream. Every request is logged with its time.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateTls } from '../../../src/sandbox/tls/tls.ts';

/** One request the front saw. */
export interface Seen {
  atMs: number;
  method: string;
  path: string;
  status: number;
}

/** A running front. */
export interface ThrottleFront {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** The CA that signed the front's certificate (for the kubeconfig). */
  readonly caPem: string;
  readonly seen: Seen[];
  /** Throttles every request for `forMs` from now, answering `Retry-After: retryAfter`. */
  storm(forMs: number, retryAfter: string): void;
  close(): Promise<void>;
}

/** Starts a front for `upstream` (`https://HOST:PORT`, trusted through `upstreamCa`). */
export async function startThrottleFront(upstream: string, upstreamCa: string): Promise<ThrottleFront> {
  const tls = generateTls(Date.now());
  const agent = new https.Agent({ keepAlive: true, ca: upstreamCa });
  const seen: Seen[] = [];
  let stormUntil = 0;
  let throttled = 0;
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { atMs: Date.now(), method: req.method ?? '', path: req.url ?? '', status: 0 };
      seen.push(entry);
      if (entry.atMs < stormUntil) return void throttle(res, entry, (throttled += 1));
      const up = https.request(
        new URL(req.url ?? '/', upstream),
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host }, agent },
        (answer) => {
          entry.status = answer.statusCode ?? 0;
          res.writeHead(entry.status, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  let retryAfter = '1';
  function throttle(res: http.ServerResponse, entry: Seen, n: number): void {
    entry.status = n % 2 === 1 ? 429 : 503;
    const reason = entry.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: entry.status === 429 ? 'too many requests, please try again later' : 'the server is busy',
      reason,
      code: entry.status,
    });
    res.writeHead(entry.status, { 'Content-Type': 'application/json', 'Retry-After': retryAfter });
    res.end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: tls.caCert,
    seen,
    storm: (forMs, after) => {
      retryAfter = after;
      stormUntil = Date.now() + forMs;
    },
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
