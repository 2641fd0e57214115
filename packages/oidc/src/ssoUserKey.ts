/**
 * The app's key for an SSO user: the issuer and the `sub` together, so that two IdPs issuing the
 * same `sub` never map to one local user. Issuers carry no `#` (no fragment), so the key splits
 * unambiguously at its first `#`.
 *
 * @example ssoUserKey('https://login.acme.example', '248289761001'); // 'https://login.acme.example#248289761001'
 * @see OWASP ASVS 5 V6.8.1 (namespace users by IdP); OpenID Connect Core 1.0 §5.7 (iss + sub)
 */
export function ssoUserKey(issuer: string, sub: string): string {
  if (typeof issuer !== 'string' || issuer === '' || issuer.includes('#')) {
    throw new TypeError('ssoUserKey needs the issuer, a non-empty URL without fragment');
  }
  if (typeof sub !== 'string' || sub === '') {
    throw new TypeError("ssoUserKey needs the ID token's sub, a non-empty string");
  }
  return `${issuer}#${sub}`;
}
