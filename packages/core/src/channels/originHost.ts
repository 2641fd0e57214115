import { isIP } from 'node:net';

/**
 * @internal
 * The host of an http(s) origin such as `'https://app.example.com'`, for the WebOTP line
 * `@host #code`; undefined when `value` is not exactly an origin (a path, a query, credentials)
 * or names an IP address rather than a domain. The port is dropped: the line carries no port.
 *
 * @example originHost('https://app.example.com:8443') // 'app.example.com'
 * @see https://wicg.github.io/sms-one-time-codes/ (the host is a domain, without scheme or port)
 */
export function originHost(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_ORIGIN) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // Exactly an origin, as `location.origin` gives it (one trailing slash tolerated): no path,
  // query or credentials that a reader could mistake for part of the host.
  if (!ORIGIN.test(value) || url.username !== '' || url.password !== '') return undefined;
  const host = url.hostname;
  if (host.startsWith('[') || isIP(host) !== 0) return undefined;
  return host;
}

const ORIGIN = /^https?:\/\/[^/?#\\]+\/?$/i;

/** Longer than any origin an app serves from; keeps URL parsing of hostile input bounded. */
const MAX_ORIGIN = 300;
