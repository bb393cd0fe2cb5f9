// The sandbox's imperative shell: real time, timers and randomness, TLS material, the HTTPS server (the
// ServeStreams port) that feeds requests to the socket-free API and writes its whole answers and chunked
// streams, the kubeconfig file, and the optional state file (state-file.ts). `startSandbox` is the server
// underneath ../start.ts, which the commands use; tests that want the bare server call it directly.
import { randomInt, randomUUID } from 'node:crypto';
import type { Clock, Files, RawHttpRequest, Scratch, ServeStreams, WholeResponse } from '../../ports.ts';
import type { SandboxUser } from '../apiserver/auth.ts';
import { renderKubeconfig } from '../tls/kubeconfig.ts';
import { createSandboxCore, type SandboxCore } from './core.ts';
import { readSnapshot, stateSaver } from './state-file.ts';
import { internalError } from '../wire/status.ts';
import { parseRequestTarget } from '../wire/target.ts';
import { generateTls } from '../tls/tls.ts';
import { isStream, type SandboxRequest, type SandboxResponse } from '../wire/http.ts';
import type { SandboxEnv } from '../store/context.ts';

/**
 * What a sandbox needs of Deps: the wall clock (timestamps and log/metrics scripts follow it), the state
 * file's reads and writes, and the HTTPS server.
 */
export interface SandboxServerDeps {
  clock: Pick<Clock, 'nowMs'>;
  files: Pick<Files, 'readText'>;
  scratch: Pick<Scratch, 'writeAtomic'>;
  serveStreams: ServeStreams;
}

/** How to start a sandbox. */
export interface StartSandboxOptions {
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

function requestOf(raw: RawHttpRequest): SandboxRequest | null {
  if (raw.body === null) return null;
  const target = parseRequestTarget(raw.target);
  if (target === null) return null;
  return {
    method: raw.method,
    path: target.path,
    query: target.query,
    headers: raw.headers,
    body: raw.body.toString('utf8'),
    bytes: raw.body,
  };
}

const COMMON_HEADERS = { 'Cache-Control': 'no-cache, private' };

/** Go's net/http answer to a request it cannot parse (kube-apiserver sends exactly this). */
const BAD_REQUEST: WholeResponse = {
  status: 400,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
  body: '400 Bad Request',
};

/** The API's answer to a request read off the socket, with the headers every answer carries. */
async function answer(core: SandboxCore, raw: RawHttpRequest): Promise<SandboxResponse> {
  const request = requestOf(raw);
  if (request === null) return BAD_REQUEST;
  const response = await core.api.handle(request);
  const headers = { ...COMMON_HEADERS, ...response.headers };
  if (!isStream(response)) return { ...response, headers };
  return { status: response.status, headers, run: (write, signal) => response.run(write, signal) };
}

/** After a failure in serving: `onError` is told (a failing reporter is ignored), the client gets a 500. */
function failed(onError: ((error: unknown) => void) | undefined, err: unknown): WholeResponse {
  try {
    onError?.(err);
  } catch {
    // A failing reporter must not end the process either.
  }
  const status = internalError(err instanceof Error ? err.message : String(err));
  return {
    status: 500,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(status.body),
  };
}

/** Starts a sandbox on HTTPS; resolves once it answers requests. */
export async function startSandbox(
  deps: SandboxServerDeps,
  options: StartSandboxOptions = {},
): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const env = realEnv(deps.clock);
  const token = options.token ?? randomUUID().replaceAll('-', '');
  const snapshot =
    options.stateFile === undefined ? undefined : await readSnapshot(deps.files, options.stateFile);
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
  let server;
  try {
    server = await deps.serveStreams({
      host,
      port: options.port ?? 0,
      tls: { cert: tls.cert, key: tls.key },
      maxBodyBytes: MAX_BODY,
      handle: (request) => answer(core, request),
      onError: (err) => failed(options.onError, err),
    });
  } catch (err) {
    core.close();
    throw err;
  }
  core.ctx.serverAddress = server.address;
  const url = `https://${server.address}`;
  const kubeconfig = renderKubeconfig(url, tls.caCert, token);
  if (options.kubeconfigOut !== undefined) await deps.scratch.writeAtomic(options.kubeconfigOut, kubeconfig);
  const saver =
    options.stateFile === undefined ? undefined : stateSaver(deps.scratch, core, options.stateFile);
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await server.close();
    core.close();
    await saver?.flush();
  };
  return { url, caPem: tls.caCert, token, kubeconfig, core, close: () => (closing ??= close()) };
}
