// The request-target of a request line, read as Go's net/http server (url.ParseRequestURI) reads it for
// kube-apiserver: an absolute URL is served by its path, whatever its host says, and only a target Go cannot
// parse is refused. WHATWG URL is stricter about hosts (ports above 65535) and throws where Go does not,
// so it never sees an authority here.

/** Path (unescaped) and query of a request; null for a target the server answers with 400. */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s;
/** Characters Go allows unescaped in a host name (net/url shouldEscape in encodeHost mode). */
const HOST_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:<>"%]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** Go's parseHost: a bracketed IPv6 literal or a name, each with an optional all-digits port. */
function validHost(hostport: string): boolean {
  if (BAD_ESCAPE.test(hostport)) return false;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    return close > 0 && /^(:\d*)?$/.test(hostport.slice(close + 1));
  }
  const colon = hostport.lastIndexOf(':');
  const host = colon < 0 ? hostport : hostport.slice(0, colon);
  const port = colon < 0 ? '' : hostport.slice(colon + 1);
  return HOST_CHARS.test(host) && /^\d*$/.test(port);
}

/** Parses the request-target of a request line; never throws. */
export function parseRequestTarget(raw: string): RequestTarget | null {
  let rest = raw;
  if (!raw.startsWith('/')) {
    const absolute = ABSOLUTE.exec(raw);
    if (absolute === null) return null;
    const authority = absolute[1]!;
    if (!validHost(authority.slice(authority.lastIndexOf('@') + 1))) return null;
    rest = absolute[2] === '' ? '/' : absolute[2]!;
    if (!rest.startsWith('/')) rest = `/${rest}`;
  }
  try {
    // A fixed origin in front, so that whatever `rest` holds (even `//host`) is read as path and query.
    const url = new URL(`https://sandbox.invalid${rest}`);
    return { path: decodeURIComponent(url.pathname), query: url.searchParams };
  } catch {
    return null;
  }
}
