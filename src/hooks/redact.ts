// Keeping an http method's credentials out of text. Every message about an http call ends up in logs, the
// status annotation (lastError), Events, `status` output and later hook payloads, so the URL is redacted at the
// point it becomes text, and failure text is scrubbed of the configured secret values (a server may echo them).
// Pure.

/** What replaces a secret in text, as kubectl prints redacted values. */
const REDACTED = '***';

/**
 * Values shorter than this are not scrubbed from free text: replacing `1` or `ok` everywhere would garble
 * messages, and such a value protects nothing anyway.
 */
const MIN_SCRUBBED_LENGTH = 4;

/** Query parameter names whose values are credentials by convention (`token`, `api_key`, `sig`, Azure's `code`). */
const SECRET_PARAM = /key|token|secret|pass|pwd|auth|cred|sig|session|jwt|^code$/i;

/** Headers that carry no credentials; every other configured header value is treated as a secret. */
const PLAIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-type',
  'pragma',
  'user-agent',
]);

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * A URL as it may be shown: `http://alice:***@host/p?token=***&stage=prod`. The password (or a lone user name,
 * which is usually a token) and the values of secret-looking query parameters become `***`; the rest stays as
 * written. Works on text that does not parse as a URL too.
 */
export function redactUrl(text: string): string {
  const scheme = SCHEME.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  // The authority ends at the first `/`, `?`, `#` (or `\`, which WHATWG reads as `/`); its last `@` ends userinfo.
  const end = rest.search(/[/?#\\]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  let shown = text;
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const masked = colon === -1 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`;
    shown = scheme + masked + rest.slice(at);
  }
  return redactQuery(shown);
}

/** Masks the values of secret-looking parameters in the query part (between `?` and `#`). */
function redactQuery(text: string): string {
  const q = text.indexOf('?');
  if (q === -1) return text;
  const hash = text.indexOf('#', q);
  const end = hash === -1 ? text.length : hash;
  const params = text
    .slice(q + 1, end)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq === -1 || eq === param.length - 1) return param;
      const name = param.slice(0, eq);
      return SECRET_PARAM.test(decodeLenient(name, true)) ? `${name}=${REDACTED}` : param;
    });
  return `${text.slice(0, q + 1)}${params.join('&')}${text.slice(end)}`;
}

/**
 * The secret values of an http method, in every form they may take in text (raw, percent-decoded, the
 * base64 of a Basic header Node builds from the URL's userinfo), longest first.
 */
export function secretsOf(http: { url: string; headers: Readonly<Record<string, string>> }): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(http.headers)) {
    if (PLAIN_HEADERS.has(name.toLowerCase())) continue;
    found.push(value);
    // `Bearer abc`: a server or proxy may quote only the credentials.
    const credentials = /^\S+\s+(\S.*)$/.exec(value.trim())?.[1];
    if (credentials !== undefined) found.push(credentials);
  }
  let url: URL | undefined;
  try {
    url = new URL(http.url);
  } catch {
    // An unparsable URL is never sent; redactUrl still masks it wherever it is quoted.
  }
  if (url !== undefined) {
    const user = decodeLenient(url.username);
    const password = decodeLenient(url.password);
    if (url.password !== '') {
      found.push(url.password, password, Buffer.from(`${user}:${password}`).toString('base64'));
    } else if (url.username !== '') {
      found.push(url.username, user, Buffer.from(`${user}:`).toString('base64'));
    }
    for (const [name, value] of url.searchParams) {
      if (SECRET_PARAM.test(name)) found.push(value, encodeURIComponent(value));
    }
  }
  const unique = new Set(found.filter((s) => s.length >= MIN_SCRUBBED_LENGTH));
  return [...unique].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

/** Percent-decodes, keeping the text when it is malformed; in a query `+` is a space, in userinfo it is not. */
function decodeLenient(text: string, plusIsSpace = false): string {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    return text;
  }
}
