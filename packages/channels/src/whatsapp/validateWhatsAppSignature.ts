import { createHmac, timingSafeEqual } from 'node:crypto';

/** Input of {@link whatsappSignature}. */
export interface WhatsAppSignatureInput {
  /** The Meta app's secret. */
  appSecret: string;
  /** The request body exactly as received: the bytes, or a string taken as UTF-8. */
  rawBody: Uint8Array | string;
}

/** Input of {@link validateWhatsAppSignature}. */
export interface ValidateWhatsAppSignatureInput extends WhatsAppSignatureInput {
  /** The `X-Hub-Signature-256` header. */
  header: string | readonly string[] | undefined;
}

const HEADER = /^sha256=([0-9a-f]{64})$/;

/**
 * The `X-Hub-Signature-256` header Meta sends with a webhook: `sha256=` and the lower-case hex
 * HMAC-SHA256 of the raw body, keyed with the app secret. Used by the fake WhatsApp.
 *
 * @example
 * whatsappSignature({ appSecret, rawBody }) // 'sha256=5f2b…'
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
 */
export function whatsappSignature({ appSecret, rawBody }: WhatsAppSignatureInput): string {
  return `sha256=${createHmac('sha256', appSecret).update(bytesOf(rawBody)).digest('hex')}`;
}

/**
 * Checks a WhatsApp webhook's `X-Hub-Signature-256` over the raw body, in constant time.
 * Anything but `sha256=` followed by 64 lower-case hex digits is false, never an exception.
 * Verify the bytes as received (`express.raw()`): Meta escapes non-ASCII characters, so JSON
 * parsed and serialised again no longer matches. A missing app secret throws (fail closed).
 *
 * @example
 * app.post('/hooks/whatsapp', express.raw({ type: 'application/json', limit: '100kb' }), (req, res) => {
 *   if (!validateWhatsAppSignature({ appSecret, rawBody: req.body, header: req.get('x-hub-signature-256') })) return res.sendStatus(401);
 *   // …
 * });
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
 */
export function validateWhatsAppSignature({
  appSecret,
  rawBody,
  header,
}: ValidateWhatsAppSignatureInput): boolean {
  if (typeof appSecret !== 'string' || appSecret.length === 0) {
    throw new TypeError("validateWhatsAppSignature requires the Meta app's `appSecret`");
  }
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError(
      'validateWhatsAppSignature needs the raw body bytes (express.raw()), not a parsed object',
    );
  }
  const match = typeof header === 'string' ? HEADER.exec(header) : null;
  if (match === null) return false;
  const expected = createHmac('sha256', appSecret).update(bytesOf(rawBody)).digest();
  return timingSafeEqual(expected, Buffer.from(match[1] as string, 'hex'));
}

function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
