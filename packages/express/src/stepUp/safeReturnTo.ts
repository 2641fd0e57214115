/**
 * A `returnTo` that can only lead back into this app: a path starting with one `/`, no scheme,
 * no host, no backslashes or control characters (browsers read `/\evil.example` and `//evil`
 * as other hosts). Anything else becomes `fallback`. Prevents open redirects.
 *
 * @example safeReturnTo('/billing?tab=card') // '/billing?tab=card'
 * @example safeReturnTo('https://evil.example/') // '/'
 * @see OWASP ASVS 5 V3.7 (open redirects); CWE-601
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2_048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Backslashes and control characters, by code point (a regex literal would need control escapes).
  if (
    [...value].some(
      (character) =>
        character === '\\' || character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f,
    )
  )
    return fallback;
  // Resolve against a placeholder origin: the result must stay on it.
  try {
    const resolved = new URL(value, 'http://app.invalid');
    if (resolved.origin !== 'http://app.invalid') return fallback;
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return fallback;
  }
}
