// A streaming GET through the kubeconfig's TLS and credentials (client-node's applyToHTTPSOptions, asked
// per request like the JSON transport). The pod log endpoint with follow=true sends a body that does not
// end, so it cannot go through the read-it-all transport; each stream gets its own connection.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CpaError, KubeError } from '../errors.ts';
import { connectionError, kubeErrorFrom, type KubeCall } from './api-errors.ts';

/** One streaming GET. */
export interface StreamRequest {
  /** Absolute API path, e.g. `/api/v1/namespaces/ns/pods/web/log`. */
  path: string;
  query?: Record<string, string>;
  /** Aborting ends the stream; the iteration then simply finishes. */
  signal?: AbortSignal;
  /** What the call does, for error messages. */
  call?: KubeCall;
}

/**
 * Opens a stream: resolves with the body's chunks once a 2xx answer starts, rejects with KubeError for a
 * non-2xx answer (built from its Status body) or when the server cannot be reached. A connection that
 * breaks mid-body makes the iteration throw a KubeError.
 */
export type KubeStreamer = (request: StreamRequest) => Promise<AsyncIterable<Buffer>>;

/** Hang guard until the response headers arrive; the body itself may be idle for as long as it likes. */
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** Error bodies are Status objects; more than this is not worth reading. */
const MAX_ERROR_BODY = 64 * 1024;

/** Builds the streamer for the current context of `kc`. Throws CpaError when the context has no cluster. */
export function createStreamer(kc: KubeConfig, options: { connectTimeoutMs?: number } = {}): KubeStreamer {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new CpaError(`kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return async (req) => {
    const call = req.call ?? { verb: 'get', group: '', resource: req.path };
    const auth: https.RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(auth);
    } catch (err) {
      throw new KubeError(
        `failed to prepare credentials for ${server}: ${(err as Error).message}`,
        { verb: call.verb, resource: call.resource, namespace: call.namespace, name: call.name },
        { cause: err },
      );
    }
    const url = new URL(server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const res = await open(url, requestOptions(auth, Boolean(cluster.proxyUrl)), req.signal, timeoutMs).catch(
      (cause: unknown) => {
        throw connectionError({ call, server, cause });
      },
    );
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const text = await readBounded(res);
      throw kubeErrorFrom({ call, status, statusBody: parseJson(text) ?? text });
    }
    return chunks(res, req.signal, (cause) => connectionError({ call, server, cause }));
  };
}

/** TLS material and headers from the kubeconfig; a proxy agent built by client-node is kept. */
function requestOptions(auth: https.RequestOptions, proxied: boolean): https.RequestOptions {
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = auth;
  const tls = Object.fromEntries(
    Object.entries({ ca, cert, key, pfx, passphrase, rejectUnauthorized, servername }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return {
    ...tls,
    method: 'GET',
    headers: { ...(auth.headers as Record<string, string>), Accept: '*/*', 'User-Agent': 'kubectl-cpa' },
    auth: auth.auth,
    agent: proxied ? auth.agent : false,
  };
}

function open(
  url: URL,
  options: https.RequestOptions,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<http.IncomingMessage> {
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { ...options, signal }, (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no response within ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

async function readBounded(res: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY) break;
  }
  res.destroy();
  return Buffer.concat(parts).toString('utf8').slice(0, MAX_ERROR_BODY);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The body's chunks; an abort ends the iteration quietly, a broken connection throws. */
async function* chunks(
  res: http.IncomingMessage,
  signal: AbortSignal | undefined,
  broken: (cause: unknown) => KubeError,
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    if (signal?.aborted) return;
    throw broken(err);
  } finally {
    res.destroy();
  }
}
