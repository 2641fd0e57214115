import { isIP } from 'node:net';
import type { RequestContext } from '@checkpoint/core';
import type { Request } from 'express';

/** Core refuses longer user agents; a long one is informational, not an error. */
const MAX_USER_AGENT = 1_024;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The request facts Checkpoint records and rate-limits on: `{ ip, userAgent }`.
 *
 * The IP is `req.ip`, which Express derives from its `trust proxy` setting, and nothing else:
 * this function never reads `X-Forwarded-For` itself, so a client cannot choose the address its
 * requests are counted under. Behind a proxy, set `trust proxy` to exactly the hops you run
 * (`app.set('trust proxy', 1)` or `'loopback'`), never to `true`. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is reported as the IPv4 address, so one client has one key on a
 * dual-stack socket. The user agent is cut to 1,024 characters.
 *
 * @example
 * app.set('trust proxy', 'loopback'); // the app sits behind a reverse proxy on this host
 * await checkpoint.send({ to, purpose: 'login', context: clientContext(req) });
 * @see OWASP ASVS 5.0 V4.1.3 (proxy-set headers cannot be overridden by the client)
 * @see https://expressjs.com/en/guide/behind-proxies.html
 */
export function clientContext(req: Request): RequestContext {
  const context: RequestContext = {};
  const ip = trustsNoProxy(req) ? req.socket.remoteAddress : req.ip;
  if (typeof ip === 'string' && isIP(ip) !== 0) context.ip = ip.replace(IPV4_MAPPED, '$1');
  const userAgent = req.get('user-agent');
  if (userAgent !== undefined && userAgent !== '') {
    context.userAgent = userAgent.slice(0, MAX_USER_AGENT);
  }
  return context;
}

/**
 * Whether the app trusts no proxy (`trust proxy` unset or false, Express's default). Then `req.ip`
 * is the socket's address, read here directly: Express would first parse `X-Forwarded-For` only
 * to drop every entry of it.
 */
function trustsNoProxy(req: Request): boolean {
  const setting: unknown = req.app?.get('trust proxy');
  return setting === false || setting === undefined;
}
