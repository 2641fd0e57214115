/** Any origin: only the path, query and fragment a value leads to on it are kept. */
const PLACEHOLDER = 'http://app.invalid';

/**
 * The path on this app a `returnTo` leads to, normalised as a browser resolves it (dot segments,
 * `%2e` included, removed), or undefined when it could lead anywhere else. Judged after the
 * resolution: `/.//evil.example` resolves to `//evil.example`, which a browser reads as another
 * host, so it is refused although it starts with a single `/`. The answer is already normal:
 * resolving it again, in a `Location` header or here, gives it back unchanged.
 *
 * Refused: anything not starting with one `/` (`https://…`, `//host`, `/\host`), backslashes,
 * whitespace and control characters anywhere (browsers drop tabs and newlines from URLs and read
 * `\` as `/`), more than 2,048 characters, and any value whose resolved path starts with `//`.
 *
 * @example localPath('/a/../billing?tab=card') // '/billing?tab=card'
 * @example localPath('/.//evil.example') // undefined
 * @see https://url.spec.whatwg.org/#url-parsing (dot segments); OWASP ASVS 5 V3.7; CWE-601
 */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2_048) return undefined;
  if (!startsAsOnePath(value) || /[\\\s\p{Cc}]/u.test(value)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(value, PLACEHOLDER);
  } catch {
    return undefined;
  }
  if (resolved.origin !== PLACEHOLDER) return undefined;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return startsAsOnePath(path) ? path : undefined;
}

/** '/x', never '//host' or '/\host' (which browsers read as another host). */
function startsAsOnePath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
}
