import { CookieJar } from './CookieJar.js';
import type { TestLogin } from './TestLogin.js';

/**
 * Options of {@link loginThrough}.
 *
 * @example const options: FollowLoginOptions = { redirectUris: [idp.redirectUri], login: MFA_LOGIN };
 */
export interface FollowLoginOptions {
  /** Where the IdP sends the browser back: the walk stops at the first URL on one of these. */
  redirectUris: readonly string[];
  /** Submitted at each interaction page (JSON body of `POST /interaction/:uid`). @default {} */
  login?: TestLogin;
  /** The browser's cookies at the IdP. @default a new jar */
  jar?: CookieJar;
}

const MAX_HOPS = 20;

/**
 * Drives a browser through a test IdP without a browser: Node's fetch with `redirect: 'manual'`
 * and a {@link CookieJar}, following each 303, posting `login` at each interaction page, until
 * the IdP redirects to one of `redirectUris`; resolves with that URL (the callback to complete).
 * Throws when the IdP answers anything but a redirect, or sends the browser elsewhere.
 *
 * @example const callbackUrl = await loginThrough(url, { redirectUris: [idp.redirectUri] });
 * @see RFC 6265 (cookies); OpenID Connect Core 1.0 §3.1.2.5 (successful authentication response)
 */
export async function loginThrough(
  url: URL | string,
  { redirectUris, login = {}, jar = new CookieJar() }: FollowLoginOptions,
): Promise<URL> {
  let next = new URL(url);
  const idp = next.origin;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (redirectUris.some((uri) => isAt(next, uri))) return next;
    if (next.origin !== idp) throw new Error(`loginThrough left the IdP for ${next.href}`);
    const interaction = next.pathname.startsWith('/interaction/');
    const response = await fetch(next, {
      method: interaction ? 'POST' : 'GET',
      headers: {
        cookie: jar.header(next),
        ...(interaction ? { 'content-type': 'application/json' } : {}),
      },
      ...(interaction ? { body: JSON.stringify(login) } : {}),
      redirect: 'manual',
    });
    jar.store(response.headers.getSetCookie(), next);
    const location = response.headers.get('location');
    const body = await response.text();
    if (response.status < 300 || response.status > 399 || location === null) {
      throw new Error(`the IdP answered ${response.status} at ${next.pathname}: ${body}`);
    }
    next = new URL(location, next);
  }
  throw new Error(`loginThrough gave up after ${MAX_HOPS} redirects`);
}

function isAt(url: URL, target: string): boolean {
  const expected = new URL(target);
  return url.origin === expected.origin && url.pathname === expected.pathname;
}
