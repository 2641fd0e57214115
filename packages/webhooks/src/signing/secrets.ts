import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_BYTES = 24;
const MAX_BYTES = 64;

/** One `whsec_` secret, or several while rotating (every one signs; any one verifies). */
export type WebhookSecrets = string | readonly string[];

/**
 * A new endpoint secret: `whsec_` + base64 of 32 random bytes (the spec allows 24 to 64).
 *
 * @example
 * const secret = generateWebhookSecret(); // 'whsec_…', store it beside the endpoint URL
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#symmetric-signatures
 */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_BYTES || bytes > MAX_BYTES) {
    throw new TypeError(
      `generateWebhookSecret: bytes must be an integer from ${MIN_BYTES} to ${MAX_BYTES}`,
    );
  }
  return `${PREFIX}${randomBytes(bytes).toString('base64')}`;
}

/**
 * @internal
 * Checks `secrets` and returns them as a non-empty list. Throws a `TypeError` that says what to
 * pass: a secret is `whsec_` + base64 of 24 to 64 bytes.
 */
export function secretList(secrets: unknown, where: string): string[] {
  const list: unknown[] = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0) throw new TypeError(`${where}: pass at least one 'whsec_…' secret`);
  return list.map((secret) => {
    secretKey(secret, where);
    return secret as string;
  });
}

/** @internal The HMAC key of one `whsec_` secret; throws a `TypeError` for anything else. */
export function secretKey(secret: unknown, where: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(PREFIX)) {
    throw new TypeError(
      `${where}: a webhook secret is a string 'whsec_' + base64 (see generateWebhookSecret())`,
    );
  }
  const encoded = secret.slice(PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  if (!BASE64.test(encoded) || key.length < MIN_BYTES || key.length > MAX_BYTES) {
    throw new TypeError(
      `${where}: a webhook secret must be 'whsec_' + base64 of ${MIN_BYTES} to ${MAX_BYTES} bytes`,
    );
  }
  return key;
}
