// Who may call the REST API, decided from the request's headers alone (pure). The threat is a web page in a
// browser on this machine: it can send "simple" cross-origin requests (no preflight) and, through DNS
// rebinding, reach a loopback port under its own host name. curl, scripts and CPA clients send no Origin.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiRequest, ApiResponse } from '../ports.ts';
import { jsonError } from './responses.ts';

/** How the API listens and what it demands of each request. */
export interface AccessPolicy {
  scheme: 'http' | 'https';
  /** The configured listen host; on a loopback host the Host header must name loopback too. */
  bindHost: string;
  /** The bearer token every request must carry, or null when none is set. */
  token: string | null;
}

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for `localhost`, 127.0.0.0/8 and ::1 (plain or IPv4-mapped); `0.0.0.0`, `::` and `''` bind everywhere. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = IPV4_LOOPBACK.exec(h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

/** The host name of a Host header value: `[::1]:5000` → `::1`, `Example:80` → `example`. */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  return h.replace(/:\d*$/, '');
}

/** Refuses (403/401) a request the policy does not let in; null lets it through to routing. */
export function checkAccess(request: ApiRequest, policy: AccessPolicy): ApiResponse | null {
  const host = request.headers.host;
  // DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1 still sends Host evil.example.
  if (host !== undefined && isLoopbackHost(policy.bindHost)) {
    const name = hostName(host);
    if (!isLoopbackHost(name) && name !== hostName(policy.bindHost)) {
      return jsonError(
        403,
        `Host '${host}' is not allowed: a loopback REST API answers only to loopback names`,
      );
    }
  }
  const origin = request.headers.origin;
  // Browsers send Origin on every cross-origin request; the API serves no pages, so only its own origin is fine.
  if (
    origin !== undefined &&
    (host === undefined || origin.toLowerCase() !== `${policy.scheme}://${host}`.toLowerCase())
  ) {
    return jsonError(403, `Origin '${origin}' is not allowed: the REST API answers no cross-origin requests`);
  }
  if (policy.token !== null) return checkToken(request.headers.authorization, policy.token);
  return null;
}

function checkToken(authorization: string | undefined, token: string): ApiResponse | null {
  const given = /^bearer[ \t]+(.*)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim();
  if (given === undefined) {
    return jsonError(401, "this REST API requires a bearer token: send 'Authorization: Bearer <token>'", {
      'WWW-Authenticate': 'Bearer realm="kubectl-cpa"',
    });
  }
  if (sameSecret(given, token)) return null;
  return jsonError(401, 'invalid bearer token', {
    'WWW-Authenticate': 'Bearer realm="kubectl-cpa", error="invalid_token"',
  });
}

/** Constant-time comparison; hashing first gives equal lengths, so not even the length leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * A POST carries no body (CPA's documented `curl -X POST`) or a JSON one; anything else (text/plain, forms,
 * multipart: the bodies a browser may send without a preflight) is refused with 415.
 */
export function checkPostBody(request: ApiRequest): ApiResponse | null {
  const contentType = request.headers['content-type'];
  if (contentType === undefined) {
    const length = request.headers['content-length'];
    const hasBody =
      request.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
    if (!hasBody) return null;
    return unsupported('a request body with no Content-Type is not supported');
  }
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return null;
  return unsupported(`Content-Type '${contentType}' is not supported`);
}

function unsupported(what: string): ApiResponse {
  return jsonError(415, `${what}: POST with no body, or with a JSON body and Content-Type: application/json`);
}
