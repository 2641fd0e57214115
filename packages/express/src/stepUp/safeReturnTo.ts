import { localPath } from '@checkpoint/oidc';

/**
 * A `returnTo` that can only lead back into this app: the path it names, normalised as a browser
 * resolves it, when that starts with one `/` (no scheme, no host, no backslashes or control
 * characters; browsers read `/\evil.example` and `//evil` as other hosts). Judged after dot
 * segments are resolved, so `/.//evil.example` (which resolves to `//evil.example`) is refused
 * too. Anything else becomes `fallback`. Prevents open redirects.
 *
 * @example safeReturnTo('/billing?tab=card') // '/billing?tab=card'
 * @example safeReturnTo('https://evil.example/') // '/'
 * @example safeReturnTo('/.//evil.example') // '/'
 * @see OWASP ASVS 5 V3.7 (open redirects); CWE-601
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  // The one check, shared with @checkpoint/oidc's sso.start(): see localPath.
  return localPath(value) ?? fallback;
}
