import { createHmac } from 'node:crypto';
import { safeEqual } from '@checkpoint/core';
import { paramEntries, type TwilioParams } from './twilioParams.js';

/** Input of {@link twilioSignature}. */
export interface TwilioSignatureInput {
  authToken: string;
  /** The full URL Twilio requested, query string included, exactly as configured at Twilio. */
  url: string;
  /** The POST parameters (none for a GET). */
  params?: TwilioParams;
}

/** Input of {@link validateTwilioSignature}. */
export interface ValidateTwilioSignatureInput extends TwilioSignatureInput {
  /** The `X-Twilio-Signature` header. */
  signature: string | readonly string[] | undefined;
}

/**
 * The `X-Twilio-Signature` of a request: base64 HMAC-SHA1, keyed with the auth token, over the
 * URL followed by each POST parameter, sorted by name, as `name + value` (repeated parameters:
 * each distinct value, sorted). Used by the fake Twilio to sign callbacks.
 *
 * @example
 * const signature = twilioSignature({ authToken, url: 'https://app.example/twilio/status', params: { MessageSid, MessageStatus: 'delivered' } });
 * @see https://www.twilio.com/docs/usage/security#validating-requests
 */
export function twilioSignature({ authToken, url, params = {} }: TwilioSignatureInput): string {
  const entries = paramEntries(params);
  if (entries === undefined) {
    throw new TypeError('twilioSignature: parameter values must be strings or arrays of strings');
  }
  return sign(authToken, url, entries);
}

/**
 * Checks a request's `X-Twilio-Signature`, in constant time. Accepts the signature computed over
 * the URL with and without its port (`:443` / `:80` added when absent, removed when present),
 * as twilio-node does, because Twilio signs either form. A missing or malformed signature, or
 * parameters that are not strings, give false; a missing auth token throws (fail closed).
 *
 * Give the URL as Twilio requested it (the public URL configured at Twilio), not one rebuilt
 * from the `Host` header behind a proxy.
 *
 * @example
 * app.post('/twilio/status', express.urlencoded({ extended: false }), (req, res) => {
 *   const ok = validateTwilioSignature({ authToken, url: `https://app.example${req.originalUrl}`, params: req.body, signature: req.get('x-twilio-signature') });
 *   if (!ok) return res.sendStatus(403);
 *   // …
 * });
 * @see https://www.twilio.com/docs/usage/security#validating-requests
 */
export function validateTwilioSignature({
  authToken,
  url,
  params = {},
  signature,
}: ValidateTwilioSignatureInput): boolean {
  if (typeof authToken !== 'string' || authToken.length === 0) {
    throw new TypeError('validateTwilioSignature requires the `authToken` that signs the requests');
  }
  if (typeof signature !== 'string' || signature.length === 0 || typeof url !== 'string')
    return false;
  const entries = paramEntries(params);
  if (entries === undefined) return false;
  let valid = false;
  // Every variant is computed and compared, whichever matches.
  for (const variant of urlVariants(url)) {
    if (safeEqual(sign(authToken, variant, entries), signature)) valid = true;
  }
  return valid;
}

function sign(authToken: string, url: string, entries: Array<[string, string[]]>): string {
  const data = entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .reduce(
      (acc, [name, values]) =>
        acc + [...new Set(values)].sort().reduce((part, value) => part + name + value, ''),
      url,
    );
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s;
const HOST_PORT = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/;

/** @internal The URL with its port (the scheme's default when absent) and without any port. */
export function urlVariants(url: string): string[] {
  const parts = URL_PARTS.exec(url);
  if (parts === null) return [url];
  const [, scheme = '', authority = '', rest = ''] = parts;
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostPort = HOST_PORT.exec(authority.slice(at + 1));
  if (hostPort === null) return [url];
  const [, host = '', port] = hostPort;
  const lower = scheme.toLowerCase();
  const standard = lower === 'https://' ? '443' : lower === 'http://' ? '80' : undefined;
  const withPort =
    port !== undefined && port !== ''
      ? url
      : standard === undefined
        ? url
        : `${scheme}${userinfo}${host}:${standard}${rest}`;
  const withoutPort = `${scheme}${userinfo}${host}${rest}`;
  return withPort === withoutPort ? [withPort] : [withPort, withoutPort];
}
