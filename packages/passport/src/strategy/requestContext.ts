import { isIP } from 'node:net';
import type { RequestContext } from '@checkpoint/core';
import type { Request } from 'express';

/** Core refuses a longer user agent as a malformed request; a browser's is never near this. */
const MAX_USER_AGENT = 1_024;

/**
 * The default request context: `{ ip: req.ip, userAgent }`, for velocity limits and the audit
 * trail. `req.ip` is only as trustworthy as Express's `trust proxy` setting: set it to the exact
 * number of proxy hops, or a client can choose its own address with `X-Forwarded-For`.
 *
 * @example
 * await checkpoint.send({ to: phone, purpose: 'login', context: requestContext(req) });
 * @see https://expressjs.com/en/guide/behind-proxies.html
 */
export function requestContext(req: Request): RequestContext {
  const context: RequestContext = {};
  if (typeof req.ip === 'string' && isIP(req.ip) !== 0) context.ip = req.ip;
  const userAgent = req.get('user-agent');
  if (userAgent !== undefined && userAgent !== '') {
    context.userAgent = userAgent.slice(0, MAX_USER_AGENT);
  }
  return context;
}
