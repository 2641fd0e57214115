interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt: number | undefined;
}

/**
 * A browser's cookie jar for one host, as much of RFC 6265 as an OpenID provider's login needs:
 * `Path` (oidc-provider scopes its interaction cookies to `/interaction/<uid>` and `/auth/<uid>`),
 * `Expires` / `Max-Age` (a cookie it clears comes back already expired), and replacement by name
 * and path. Domains are not tracked: use one jar per host.
 *
 * @example
 * const jar = new CookieJar();
 * jar.store(response.headers.getSetCookie());
 * await fetch(url, { headers: { cookie: jar.header(url) }, redirect: 'manual' });
 * @see RFC 6265 §5.2 (Set-Cookie), §5.1.4 (path match), §5.4 (Cookie header)
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /**
   * Records every `Set-Cookie` header of a response.
   *
   * @param setCookies `response.headers.getSetCookie()`
   * @param requestUrl the URL answered, for the default path of a cookie without `Path`
   * @param now epoch milliseconds @default Date.now()
   */
  store(setCookies: readonly string[], requestUrl: URL, now = Date.now()): void {
    for (const line of setCookies) {
      const cookie = parseSetCookie(line, requestUrl, now);
      if (cookie === undefined) continue;
      const key = `${cookie.name};${cookie.path}`;
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) this.cookies.delete(key);
      else this.cookies.set(key, cookie);
    }
  }

  /** The `Cookie` header for a request to `url`, longest paths first; '' when none applies. */
  header(url: URL, now = Date.now()): string {
    const matching = [...this.cookies.values()]
      .filter((c) => (c.expiresAt === undefined || c.expiresAt > now) && pathMatches(c.path, url))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** The names of the cookies held (expired ones included until replaced). */
  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

function parseSetCookie(line: string, requestUrl: URL, now: number): StoredCookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const equals = pair.indexOf('=');
  if (equals < 1) return undefined;
  const cookie: StoredCookie = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
    path: defaultPath(requestUrl),
    expiresAt: undefined,
  };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const [rawName = '', ...rest] = attribute.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'path' && value.startsWith('/')) cookie.path = value;
    if (name === 'expires') {
      const at = Date.parse(value);
      if (Number.isFinite(at)) cookie.expiresAt = at;
    }
    if (name === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
  }
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  if (maxAge !== undefined) cookie.expiresAt = now + maxAge * 1000;
  return cookie;
}

/** RFC 6265 §5.1.4: the directory of the request path. */
function defaultPath(url: URL): string {
  const { pathname } = url;
  const slash = pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : pathname.slice(0, slash);
}

function pathMatches(cookiePath: string, url: URL): boolean {
  const path = url.pathname;
  if (path === cookiePath) return true;
  return (
    path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/')
  );
}
