import { safeEqual } from '@checkpoint/core';

/** Input of {@link whatsappVerifyHandshake}. */
export interface WhatsAppHandshakeInput {
  /** The GET request's query: Express's `req.query`, or a `URLSearchParams`. */
  query: URLSearchParams | Readonly<Record<string, unknown>>;
  /** The verify token entered in the app dashboard. */
  verifyToken: string;
}

// Meta sends a number; anything else is not reflected back.
const CHALLENGE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The webhook subscription handshake: when `hub.mode` is `subscribe` and `hub.verify_token`
 * matches (constant time), the `hub.challenge` to answer with 200 as the whole body; undefined
 * otherwise (answer 403). A missing verify token throws (fail closed).
 *
 * @example
 * app.get('/hooks/whatsapp', (req, res) => {
 *   const challenge = whatsappVerifyHandshake({ query: req.query, verifyToken });
 *   if (challenge === undefined) return res.sendStatus(403);
 *   res.type('text/plain').send(challenge);
 * });
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 */
export function whatsappVerifyHandshake({
  query,
  verifyToken,
}: WhatsAppHandshakeInput): string | undefined {
  if (typeof verifyToken !== 'string' || verifyToken.length === 0) {
    throw new TypeError(
      'whatsappVerifyHandshake requires the `verifyToken` set in the app dashboard',
    );
  }
  const read = (name: string): unknown =>
    query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name];
  const mode = read('hub.mode');
  const token = read('hub.verify_token');
  const challenge = read('hub.challenge');
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string')
    return undefined;
  if (!safeEqual(token, verifyToken) || !CHALLENGE.test(challenge)) return undefined;
  return challenge;
}
