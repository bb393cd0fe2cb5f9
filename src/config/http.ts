// Validation of an `http` method block (§1.4, §2.2). CPA checks none of this and fails per call at run
// time (or, for an empty successCodes list, fails every call); we refuse such a block before running.
import { checkEnum, checkInt, checkMap, checkString, isMapping } from './checks.ts';
import { child, show, type At, type Report } from './issues.ts';
import { HTTP_FIELDS } from './keys.ts';
import type { HttpMethod } from './types.ts';

/** RFC 9110 token: what Go's net/http accepts as a method or header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Validates an `http` block; undefined when invalid (every problem recorded). */
export function checkHttp(r: Report, at: At, value: unknown): HttpMethod | undefined {
  if (!present(value)) {
    r.problem(at, 'is required when type is "http": {method, url, successCodes, parameterMode}');
    return undefined;
  }
  const h = checkMap(
    r,
    at,
    value,
    HTTP_FIELDS,
    'a mapping {method, url, headers, successCodes, parameterMode, ...}',
  );
  if (h === undefined) return undefined;
  const method = checkHttpMethod(r, child(at, 'method'), h.method);
  const url = checkUrl(r, child(at, 'url'), h.url);
  const headers = present(h.headers) ? checkHeaders(r, child(at, 'headers'), h.headers) : {};
  const successCodes = checkSuccessCodes(r, child(at, 'successCodes'), h.successCodes);
  const parameterMode = present(h.parameterMode)
    ? checkEnum(r, child(at, 'parameterMode'), h.parameterMode, ['query', 'body'] as const)
    : required(r, child(at, 'parameterMode'), '"query" (payload in the "value" query parameter) or "body"');
  const tls = checkTls(r, at, h);
  if (!method || !url || !headers || !successCodes || !parameterMode || !tls) return undefined;
  return { method, url, headers, successCodes, parameterMode, ...tls };
}

function required(r: Report, at: At, allowed: string): undefined {
  r.problem(at, `is required: ${allowed}`);
  return undefined;
}

function checkHttpMethod(r: Report, at: At, value: unknown): string | undefined {
  if (!present(value)) return required(r, at, 'an HTTP method such as "GET" or "POST"');
  const method = checkString(r, at, value, { nonEmpty: true });
  if (method === undefined) return undefined;
  if (TOKEN.test(method)) return method;
  r.problem(at, `must be an HTTP method token such as "GET" or "POST", got ${show(method)}`);
  return undefined;
}

function checkUrl(r: Report, at: At, value: unknown): string | undefined {
  if (!present(value)) return required(r, at, 'an http:// or https:// URL');
  const text = checkString(r, at, value, { nonEmpty: true });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    r.problem(at, `must be an absolute http:// or https:// URL, got ${show(text)}`);
    return undefined;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  r.problem(at, `must use http or https, got ${show(url.protocol.replace(/:$/, ''))} in ${show(text)}`);
  return undefined;
}

function checkHeaders(r: Report, at: At, value: unknown): Record<string, string> | undefined {
  if (!isMapping(value)) {
    r.problem(at, `must be a mapping of header name to value, got ${show(value)}`);
    return undefined;
  }
  const headers: Record<string, string> = {};
  let ok = true;
  for (const [name, raw] of Object.entries(value)) {
    const text = checkString(r, child(at, name), raw);
    if (!TOKEN.test(name)) {
      r.problem(child(at, name), `is not a valid HTTP header name`, { key: true });
      ok = false;
    }
    if (text === undefined) ok = false;
    // Defined, not assigned: `headers['__proto__'] = text` would set the prototype and drop the header.
    else
      Object.defineProperty(headers, name, {
        value: text,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return ok ? headers : undefined;
}

function checkSuccessCodes(r: Report, at: At, value: unknown): number[] | undefined {
  const allowed = 'a non-empty list of HTTP status codes (100-599), e.g. [200]';
  if (!present(value)) return required(r, at, `${allowed}; CPA treats a missing list as "every call fails"`);
  if (!Array.isArray(value) || value.length === 0) {
    r.problem(at, `must be ${allowed}, got ${show(value)}`);
    return undefined;
  }
  const codes = value.map((code, i) => checkInt(r, child(at, i), code, { min: 100, max: 599 }));
  return codes.every((c) => c !== undefined) ? (codes as number[]) : undefined;
}

/** caCert, clientCert and clientKey: optional paths; a client certificate needs both halves. */
function checkTls(r: Report, at: At, h: Record<string, unknown>): Partial<HttpMethod> | undefined {
  const tls: Partial<HttpMethod> = {};
  let ok = true;
  for (const key of ['caCert', 'clientCert', 'clientKey'] as const) {
    if (!present(h[key])) continue;
    const path = checkString(r, child(at, key), h[key], { nonEmpty: true });
    if (path === undefined) ok = false;
    else tls[key] = path;
  }
  if (present(h.clientCert) !== present(h.clientKey)) {
    const [given, missing] = present(h.clientCert)
      ? ['clientCert', 'clientKey']
      : ['clientKey', 'clientCert'];
    r.problem(
      child(at, missing),
      `is required when ${given} is set (a client certificate needs both; CPA silently ignores one alone)`,
    );
    ok = false;
  }
  return ok ? tls : undefined;
}
