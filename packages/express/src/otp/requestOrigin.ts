import { isIP } from 'node:net';
import type { Logger } from '@checkpoint/core';
import type { Request } from 'express';

/**
 * @internal
 * The per-send origin `otpRouter` gives core for the WebOTP line (`@host #code`) when the
 * checkpoint has no `origin` of its own: `${req.protocol}://${req.hostname}`.
 *
 * The Host header is chosen by the client (Host-header injection, as in password-reset
 * poisoning), so the host is taken only when it reads as a DNS name — letters, digits and
 * hyphens in dot-separated labels, at least one dot, not an IP address and not `localhost` —
 * and anything else is refused, never cleaned up. `req.hostname` honours Express `trust proxy`.
 * A well-formed forged host still binds the code to that host, whose pages a browser would then
 * offer to fill it on: an app reachable with any Host (directly, or through a proxy that forwards
 * it) should pass `createCheckpoint({ origin })`, and in production the first use is logged.
 */
export class RequestOrigin {
  private warned = false;

  constructor(
    private readonly logger: Logger | undefined,
    private readonly production: boolean,
  ) {}

  /** `{ origin }` for a send or resend of `req`, or nothing when its host does not qualify. */
  of(req: Request): { origin?: string } {
    const host = dnsHostname(req.hostname);
    // Also a host URL parsing keeps as it is (not, say, malformed punycode): core would refuse
    // the origin, and a real send would then fail where a decoy succeeds.
    if (host === undefined || !parsesAs(host)) return {};
    if (this.production && !this.warned) {
      this.warned = true;
      this.logger?.warn(
        { host },
        'otpRouter: the WebOTP line names the request host; pass createCheckpoint({ origin }) unless every request reaches the app through a proxy that sets Host',
      );
    }
    return { origin: `${req.protocol === 'https' ? 'https' : 'http'}://${host}` };
  }
}

/**
 * @internal
 * `value` lower-cased when it is a DNS host name with at least one dot (RFC 1123 labels), not an
 * IP address and not under `localhost`; otherwise undefined.
 */
export function dnsHostname(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 253 || !DNS_NAME.test(value)) return undefined;
  const host = value.toLowerCase();
  // A dotted quad passes the label rule; a top-level label is never all digits.
  if (isIP(host) !== 0 || /\.[0-9]+$/.test(host)) return undefined;
  if (host.endsWith('.localhost')) return undefined;
  return host;
}

function parsesAs(host: string): boolean {
  try {
    return new URL(`https://${host}`).hostname === host;
  } catch {
    return false;
  }
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`);
