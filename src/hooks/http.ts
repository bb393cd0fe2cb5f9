// The `http` method: place the payload (query or body), read TLS material through Files, send through the
// injected HttpRequester and turn what came back into a HookResult. Pure apart from the two injected deps.
import { MAX_OUTPUT_BYTES } from '../config/defaults.ts';
import type { HttpMethod } from '../config/types.ts';
import type { Files, HttpOutcome, HttpRequester } from '../ports.ts';
import { redactUrl, scrubSecrets, secretsOf } from './redact.ts';
import { formatBytes } from './shell.ts';
import type { HookFailure, HookResult } from './types.ts';

/** What an http call needs besides the method. */
export interface HttpContext {
  request: HttpRequester;
  files: Files;
  signal?: AbortSignal;
}

/** Bytes of a failed response's body quoted in the failure message. */
export const RESPONSE_EXCERPT_BYTES = 512;

type Method = { timeoutMs: number; http: HttpMethod };
type Tls = { ca?: string; cert?: string; key?: string };
type Step<T> = { ok: true; value: T } | { ok: false; failure: HookFailure };

/** Calls an http method once with `payload`; the response body (verbatim) is the result. Never rejects. */
export async function callHttp(method: Method, payload: string, ctx: HttpContext): Promise<HookResult> {
  const http = method.http;
  const placed = placePayload(http, payload);
  if (!placed.ok) return { ok: false, failure: placed.failure, durationMs: 0 };
  const tls = await readTls(http, ctx.files);
  if (!tls.ok) return { ok: false, failure: tls.failure, durationMs: 0 };
  const outcome = await ctx.request({
    method: httpMethodOf(http),
    url: placed.value.url,
    headers: { ...http.headers },
    ...(placed.value.body !== undefined ? { body: placed.value.body } : {}),
    timeoutMs: method.timeoutMs,
    ...tls.value,
    maxBodyBytes: MAX_OUTPUT_BYTES,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return toHookResult(outcome, method);
}

/** Where the payload goes: a `value` query parameter added to the URL's own, or the raw body. Pure. */
export function placePayload(http: HttpMethod, payload: string): Step<{ url: string; body?: string }> {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(httpMethodOf(http))) {
    return {
      ok: false,
      failure: { kind: 'http-error', message: `net/http: invalid method "${http.method}"` },
    };
  }
  let url: URL;
  try {
    url = new URL(http.url);
  } catch {
    return { ok: false, failure: { kind: 'http-error', message: `invalid URL "${redactUrl(http.url)}"` } };
  }
  if (http.parameterMode === 'body') return { ok: true, value: { url: url.href, body: payload } };
  // Like CPA: parse the existing query, add (not replace) `value`, re-encode with keys sorted.
  const query = url.searchParams;
  query.append('value', payload);
  query.sort();
  return { ok: true, value: { url: url.href } };
}

/**
 * Converts what the requester reported into a HookResult with CPA-like messages, free of the method's
 * credentials (URL userinfo, secret query values, header values) even when the server echoes them. Pure.
 */
export function toHookResult(outcome: HttpOutcome, method: Method): HookResult {
  const { http, timeoutMs } = method;
  const durationMs = outcome.durationMs;
  if (outcome.kind === 'response' && http.successCodes.includes(outcome.status)) {
    return { ok: true, output: outcome.body.toString('utf8'), stderr: '', durationMs };
  }
  // Only failures are put into words, so the redaction work stays off the path of a successful call.
  const where = `${httpMethodOf(http)} "${redactUrl(http.url)}"`;
  const secrets = secretsOf(http);
  const fail = (failure: HookFailure): HookResult => ({
    ok: false,
    failure: {
      ...failure,
      message: scrubSecrets(failure.message, secrets),
      ...(failure.detail === undefined ? {} : { detail: scrubSecrets(failure.detail, secrets) }),
    },
    durationMs,
  });
  switch (outcome.kind) {
    case 'response': {
      const excerpt = bodyExcerpt(outcome.body);
      return fail({
        kind: 'http-status',
        message: `HTTP request failed, status: [${outcome.status}], response: '${excerpt}'`,
        status: outcome.status,
        ...(excerpt === '' ? {} : { detail: excerpt }),
      });
    }
    case 'timeout':
      return fail({ kind: 'timeout', message: `${where}: timed out after ${timeoutMs}ms` });
    case 'body-limit':
      return fail({
        kind: 'output-limit',
        message: `${where}: response body exceeded ${formatBytes(outcome.limitBytes)} limit`,
        status: outcome.status,
      });
    case 'error':
      return fail({
        kind: isTlsError(outcome.message) ? 'tls' : 'http-error',
        message: `${where}: ${outcome.message}`,
      });
    case 'aborted':
      return fail({ kind: 'aborted', message: `${where}: cancelled` });
  }
}

/** The start of a body for a message, cut at RESPONSE_EXCERPT_BYTES with a trailing `…`. */
export function bodyExcerpt(body: Buffer): string {
  if (body.length <= RESPONSE_EXCERPT_BYTES) return body.toString('utf8');
  // A cut through a multi-byte character decodes to U+FFFD; drop it rather than show noise.
  return `${body
    .subarray(0, RESPONSE_EXCERPT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}…`;
}

/** Reads the PEM files named by the method. A client certificate is used only when both halves are set (CPA). */
async function readTls(http: HttpMethod, files: Files): Promise<Step<Tls>> {
  const tls: Tls = {};
  if (http.caCert !== undefined) {
    const ca = await readPem(files, 'caCert', http.caCert, 'CERTIFICATE');
    if (!ca.ok) return ca;
    tls.ca = ca.value;
  }
  if (http.clientCert !== undefined && http.clientKey !== undefined) {
    const cert = await readPem(files, 'clientCert', http.clientCert, 'CERTIFICATE');
    if (!cert.ok) return cert;
    const key = await readPem(files, 'clientKey', http.clientKey, 'PRIVATE KEY');
    if (!key.ok) return key;
    tls.cert = cert.value;
    tls.key = key.value;
  }
  return { ok: true, value: tls };
}

async function readPem(files: Files, key: string, path: string, label: string): Promise<Step<string>> {
  const tlsFailure = (message: string): Step<string> => ({ ok: false, failure: { kind: 'tls', message } });
  let text: string | null;
  try {
    text = await files.readText(path);
  } catch (error) {
    return tlsFailure(
      `failed to read ${key} file "${path}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text === null) return tlsFailure(`${key} file "${path}" does not exist`);
  // `-----BEGIN EC PRIVATE KEY-----` and `-----BEGIN RSA PRIVATE KEY-----` both end in the label.
  if (!new RegExp(`-----BEGIN [A-Z0-9 ]*${label}-----`).test(text)) {
    return tlsFailure(`${key} file "${path}" holds no PEM ${label.toLowerCase()}`);
  }
  return { ok: true, value: text };
}

/** Go sends a request with an empty method as GET. */
function httpMethodOf(http: HttpMethod): string {
  return http.method === '' ? 'GET' : http.method;
}

/** TLS handshake and verification failures, recognised by the error code the requester appends. */
function isTlsError(message: string): boolean {
  return /\((?:ERR_SSL_|ERR_TLS_|ERR_OSSL_|[A-Z_]*CERT|[A-Z_]*SIGNATURE)[A-Z0-9_]*\)$/.test(message);
}
