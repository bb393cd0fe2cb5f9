// The REST API of a running autoscaler: its token (flag file, config file or environment), the refusal to
// listen beyond loopback without one, and the server over the pipeline the loop also uses.
import type { ApiConfig } from '../config/types.ts';
import { CpaError } from '../errors.ts';
import { isLoopbackHost } from '../api/access.ts';
import { createApiHandler, type Pipeline } from '../api/routes.ts';
import type { CycleContext } from '../autoscaler/context.ts';
import { targetLabel } from '../autoscaler/cycle.ts';
import type { Deps, ServerHandle } from '../ports.ts';

/** The environment variable that may hold the REST API's bearer token (kept out of config files). */
export const API_TOKEN_ENV = 'KUBECTL_CPA_API_TOKEN';

/** `run` flags that shape the REST API beyond apiConfig. */
export interface ApiOptions {
  /** `--api-token-file`: overrides apiConfig.tokenFile and the environment token. */
  tokenFile?: string;
  /** `--api-insecure`: allow a non-loopback address without a token. */
  insecure?: boolean;
}

/** What serving needs from Deps. */
export type ServeDeps = Pick<Deps, 'serveHttp' | 'files' | 'env' | 'onShutdownSignal'>;

/** The token: the flag's file, else apiConfig.tokenFile, else the environment; null when none is set. */
export async function readApiToken(
  deps: ServeDeps,
  api: ApiConfig,
  options: ApiOptions,
): Promise<string | null> {
  const source =
    options.tokenFile !== undefined
      ? { file: options.tokenFile, name: '--api-token-file' }
      : api.tokenFile !== undefined
        ? { file: api.tokenFile, name: 'apiConfig.tokenFile' }
        : undefined;
  if (source === undefined) {
    const fromEnv = deps.env[API_TOKEN_ENV]?.trim() ?? '';
    return fromEnv === '' ? null : fromEnv;
  }
  const text = await deps.files.readText(source.file);
  const where = `${source.name} "${source.file}"`;
  if (text === null) throw new CpaError(`failed to read the REST API token: ${where} does not exist`);
  // Files written by `echo` end with a newline that is not part of the secret.
  const token = text.trim();
  if (token === '') throw new CpaError(`failed to read the REST API token: ${where} is empty`);
  return token;
}

/**
 * A loopback API needs no token: only this machine reaches it, and the Host/Origin checks keep browsers out.
 * Anything else is reachable from the network, so it needs a token unless the user opts out explicitly.
 */
export function checkExposure(api: ApiConfig, token: string | null, options: ApiOptions): void {
  if (isLoopbackHost(api.host) || token !== null || options.insecure === true) return;
  const where = api.host.includes(':') ? `[${api.host}]:${api.port}` : `${api.host}:${api.port}`;
  throw new CpaError(
    `failed to start the REST API: ${where} is reachable from other machines and no API token is set`,
    {
      hint:
        `pass --api-token-file FILE (or set apiConfig.tokenFile or ${API_TOKEN_ENV}) so that requests need ` +
        "'Authorization: Bearer <token>'; or listen on loopback (--api-addr 127.0.0.1:5000); or accept " +
        'unauthenticated remote access with --api-insecure',
    },
  );
}

/** Starts the REST API if enabled; a listen failure is fatal, as in CPA, but with the address in the message. */
export async function startApi(
  ctx: CycleContext,
  deps: ServeDeps,
  options: ApiOptions,
  pipeline: Pipeline,
): Promise<ServerHandle | null> {
  const api = ctx.config.api;
  if (!api.enabled) {
    ctx.logger.log({ kind: 'info', level: 0, message: 'REST API disabled' });
    return null;
  }
  const token = await readApiToken(deps, api, options);
  checkExposure(api, token, options);
  const tls = await readApiTls(deps, api);
  const scheme = tls ? 'https' : 'http';
  const server = await deps.serveHttp({
    host: api.host,
    port: api.port,
    tls,
    handle: createApiHandler(pipeline, ctx.config.format, { access: { scheme, bindHost: api.host, token } }),
  });
  ctx.logger.log({
    kind: 'info',
    level: 0,
    message: `REST API listening on ${scheme}://${server.address}/api/v1 (metrics, evaluation)`,
  });
  if (!isLoopbackHost(api.host)) {
    ctx.logger.log({
      kind: 'warning',
      message:
        token === null
          ? `REST API on ${server.address} without a token (--api-insecure): anyone who can reach it can scale ${targetLabel(ctx)}`
          : `REST API on ${server.address} is reachable from other machines; every request needs the bearer token`,
    });
  }
  return server;
}

/** The certificate and key of an HTTPS REST API (undefined for HTTP); a missing file is a CpaError. */
export async function readApiTls(
  deps: Pick<Deps, 'files'>,
  api: ApiConfig,
): Promise<{ cert: string; key: string } | undefined> {
  if (!api.useHTTPS) return undefined;
  const cert = await deps.files.readText(api.certFile);
  const key = await deps.files.readText(api.keyFile);
  if (cert === null)
    throw new CpaError(`failed to start the REST API: apiConfig.certFile "${api.certFile}" does not exist`);
  if (key === null)
    throw new CpaError(`failed to start the REST API: apiConfig.keyFile "${api.keyFile}" does not exist`);
  return { cert, key };
}

/** The context of one API cycle: its hooks also stop when the client that asked for it goes away. */
export function forRequest(ctx: CycleContext, signal: AbortSignal | undefined): CycleContext {
  if (signal === undefined) return ctx;
  const parent = ctx.methods.signal;
  const both = parent === undefined ? signal : AbortSignal.any([parent, signal]);
  return { ...ctx, methods: { ...ctx.methods, signal: both } };
}
