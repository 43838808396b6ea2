/**
 * The one masker for credentials in URLs, used by `centaur config` (describeConfig), the log
 * scrubber (src/logging) and error messages. It must never under-mask: when a URL is ambiguous
 * (an unencoded '@', '/', '?' or '#' inside a password) it masks more, never less.
 *
 * - User info is everything between '://' and the LAST '@' of the URL, so `redis://:p@ss@host`
 *   and `postgres://u:p/w@d@host/db` hide the whole password. The user name (before the first
 *   ':') stays visible; a user info without ':' that holds '@', '/', '?' or '#' is masked whole.
 * - Query parameters whose name suggests a credential (`password`, `sslpassword`, `token`,
 *   `secret`, `key`, `auth`, `sig`...) keep their name and lose their value.
 * - A webhook URL is a credential as a whole (the path is usually the secret): only
 *   `scheme://host/***` is shown.
 */

export const MASK = '***';

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;

/** Query parameter names whose values are credentials. */
const SENSITIVE_PARAM = /pass|pwd|token|secret|auth|key|credential|sig/i;

/** A URL-looking token inside free text (log lines, error messages). */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\`]+/gi;

interface UrlParts {
  scheme: string;
  userinfo: string | null;
  /** Everything after the user info ('@' excluded): host, port, path, query, fragment. */
  rest: string;
}

function split(url: string): UrlParts | null {
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme === undefined) return null;
  const after = url.slice(scheme.length);
  const at = after.lastIndexOf('@');
  if (at < 0) return { scheme, userinfo: null, rest: after };
  return { scheme, userinfo: after.slice(0, at), rest: after.slice(at + 1) };
}

function maskUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${userinfo.slice(0, colon)}:${MASK}`;
  return /[@/?#]/.test(userinfo) ? MASK : userinfo;
}

/** Splits "host/path?query#fragment" at its query (the first '?') and fragment. */
function queryOf(rest: string): { before: string; query: string | null; fragment: string } {
  const hash = rest.indexOf('#');
  const body = hash < 0 ? rest : rest.slice(0, hash);
  const fragment = hash < 0 ? '' : rest.slice(hash);
  const q = body.indexOf('?');
  if (q < 0) return { before: body, query: null, fragment };
  return { before: body.slice(0, q), query: body.slice(q + 1), fragment };
}

function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq < 0 ? pair : pair.slice(0, eq);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function maskQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0 || !SENSITIVE_PARAM.test(paramName(pair))) return pair;
      return `${pair.slice(0, eq + 1)}${MASK}`;
    })
    .join('&');
}

/** The URL with its password (user info) and credential-like query values masked. */
export function maskUrlCredentials(url: string): string {
  const parts = split(url);
  if (parts === null) return url;
  const { before, query, fragment } = queryOf(parts.rest);
  const userinfo = parts.userinfo === null ? '' : `${maskUserinfo(parts.userinfo)}@`;
  const masked = query === null ? '' : `?${maskQuery(query)}`;
  return `${parts.scheme}${userinfo}${before}${masked}${fragment}`;
}

/** Every URL inside `text` masked with maskUrlCredentials. */
export function maskUrlsInText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (url) => maskUrlCredentials(url));
}

/** `scheme://host[:port]/***`: a webhook URL shown without its user info, path or query. */
export function maskWebhookUrl(url: string): string {
  const parts = split(url);
  if (parts === null) return MASK;
  const host = /^[^/?#]*/.exec(parts.rest)?.[0] ?? '';
  return `${parts.scheme}${host}/${MASK}`;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The secret values a URL carries, raw and percent-decoded: its password (or a user info that
 * maskUrlCredentials hides whole) and its credential-like query values. The logger scrubs these
 * from every line, wherever they appear.
 */
export function urlSecrets(url: string | null): string[] {
  const parts = url === null ? null : split(url);
  if (parts === null) return [];
  const found: string[] = [];
  if (parts.userinfo !== null) {
    const colon = parts.userinfo.indexOf(':');
    if (colon >= 0) found.push(parts.userinfo.slice(colon + 1));
    else if (maskUserinfo(parts.userinfo) === MASK) found.push(parts.userinfo);
  }
  const { query } = queryOf(parts.rest);
  for (const pair of query?.split('&') ?? []) {
    const eq = pair.indexOf('=');
    if (eq >= 0 && SENSITIVE_PARAM.test(paramName(pair))) found.push(pair.slice(eq + 1));
  }
  const all = found.flatMap((v) => [v, decoded(v)]).filter((v) => v.length > 0);
  return [...new Set(all)];
}

/**
 * The secret values of a webhook URL for log scrubbing: the whole URL (with and without a
 * trailing '/') and everything after its host (path, query), when long enough to be specific.
 */
export function webhookSecrets(url: string | null): string[] {
  const parts = url === null ? null : split(url);
  if (url === null || parts === null) return [];
  const afterHost = parts.rest.replace(/^[^/?#]*/, '');
  const values = [url, url.replace(/\/+$/, ''), afterHost, ...urlSecrets(url)];
  return [...new Set(values.filter((v) => v.length >= 6 && v !== '/'))];
}
