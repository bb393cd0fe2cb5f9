// A streaming GET through the kubeconfig's TLS and credentials (kube-connection.ts, asked per request like
// the JSON transport). The pod log endpoint with follow=true sends a body that does not end, so it cannot go
// through the read-it-all transport; each stream gets its own connection.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeError } from '../errors.ts';
import { connectionError, kubeErrorFrom } from '../kube/api-errors.ts';
import type { KubeStreamer } from '../ports.ts';
import { explainTls, kubeEndpoint, tlsOf } from './kube-connection.ts';

/** Hang guard until the response headers arrive; the body itself may be idle for as long as it likes. */
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** Error bodies are Status objects; more than this is not worth reading. */
const MAX_ERROR_BODY = 64 * 1024;

/** Builds the streamer for the current context of `kc`. Throws CpaError when the context has no cluster. */
export function createStreamer(kc: KubeConfig, options: { connectTimeoutMs?: number } = {}): KubeStreamer {
  const endpoint = kubeEndpoint(kc);
  const { server } = endpoint;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return async (req) => {
    const call = req.call ?? { verb: 'get', group: '', resource: req.path };
    const auth = await endpoint.authorize(call);
    const url = endpoint.url(req.path, req.query);
    const res = await open(url, requestOptions(auth, endpoint.proxied), req.signal, timeoutMs).catch(
      (cause: unknown) => {
        throw connectionError({ call, server, cause: explainTls(cause) });
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
  return {
    ...tlsOf(auth),
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
