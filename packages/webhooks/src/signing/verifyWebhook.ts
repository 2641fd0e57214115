import { createHmac } from 'node:crypto';
import { CheckpointError, safeEqual } from '@checkpoint/core';
import type { WebhookEvent } from '../events/WebhookEvent.js';
import { memoryReplayGuard, type ReplayGuard } from './ReplayGuard.js';
import { secretKey, secretList, type WebhookSecrets } from './secrets.js';

/** Request headers as Node (`req.headers`), Express or fetch (`Headers`) give them. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The endpoint's secret, or several while rotating (a signature by any one is accepted). */
  secrets: WebhookSecrets;
  headers: WebhookHeaders;
  /** The body exactly as received: verify before any JSON parsing or re-serialisation. */
  rawBody: string | Uint8Array;
  /** Epoch milliseconds. @default Date.now() */
  now?: number;
  /** Largest accepted distance of `webhook-timestamp` from `now`, either way. @default 300 */
  toleranceSeconds?: number;
  /**
   * Where accepted `webhook-id`s are remembered (2 × tolerance), or `false` to skip the check.
   * @default one memoryReplayGuard() shared by every call in this process
   */
  seen?: ReplayGuard | false;
}

const defaultGuard = memoryReplayGuard();
const TIMESTAMP = /^\d{1,15}$/;
const MAX_ID_LENGTH = 200;

/**
 * Verifies a Standard Webhooks request and returns its parsed JSON body. Rejects with a
 * `CheckpointError`:
 * - `invalid_request`: a missing, repeated or malformed `webhook-id`, `webhook-timestamp`
 *   (digits only: `1674087231abc` is refused, unlike the reference library) or
 *   `webhook-signature`; a body that is not JSON.
 * - `authentication_failed`: no `v1` signature matches (reasons `['signature']`); the timestamp
 *   is too old or too new (`['timestamp']`); the id was already accepted (`['replay']`).
 *
 * Unknown signature versions (`v1a,…`, `v2,…`) are skipped; comparisons are constant-time.
 * A replay is usually a sender's retry whose answer was lost: acknowledge it (2xx) without
 * acting on it again.
 *
 * @example
 * app.post('/hooks/checkpoint', express.raw({ type: 'application/json' }), async (req, res) => {
 *   const event = await verifyWebhook({ secrets: process.env.WEBHOOK_SECRET, headers: req.headers, rawBody: req.body });
 *   if (event.type === 'verification.approved') markVerified(event.data.verificationId);
 *   res.sendStatus(204);
 * });
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#verifying-webhook-authenticity
 */
export async function verifyWebhook<T = WebhookEvent>({
  secrets,
  headers,
  rawBody,
  now = Date.now(),
  toleranceSeconds = 300,
  seen = defaultGuard,
}: VerifyWebhookOptions): Promise<T> {
  if (typeof headers !== 'object' || headers === null) {
    throw new TypeError(
      'verifyWebhook: pass the request headers (req.headers or a Headers object)',
    );
  }
  const keys = secretList(secrets, 'verifyWebhook').map((secret) =>
    secretKey(secret, 'verifyWebhook'),
  );
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new TypeError('verifyWebhook: toleranceSeconds must be a number of seconds >= 0');
  }
  const body =
    typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : toBuffer(rawBody, 'rawBody');

  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (id.length > MAX_ID_LENGTH || /[.\s]/.test(id)) {
    throw new CheckpointError('invalid_request', 'webhook-id is malformed');
  }
  if (!TIMESTAMP.test(timestamp)) {
    throw new CheckpointError('invalid_request', 'webhook-timestamp must be integer Unix seconds');
  }
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor(now / 1_000);
  if (Math.abs(nowSeconds - seconds) > toleranceSeconds) {
    throw new CheckpointError(
      'authentication_failed',
      `webhook-timestamp is too ${seconds < nowSeconds ? 'old' : 'new'}`,
      { reasons: ['timestamp'] },
    );
  }

  const candidates = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3));
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]);
  let matched = false;
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(signed).digest('base64');
    // No early exit: every pair is compared, each in constant time.
    for (const candidate of candidates) if (safeEqual(candidate, expected)) matched = true;
  }
  if (!matched) {
    throw new CheckpointError('authentication_failed', 'no webhook signature matches', {
      reasons: ['signature'],
    });
  }

  let event: T;
  try {
    event = JSON.parse(body.toString('utf8')) as T;
  } catch (error) {
    throw new CheckpointError('invalid_request', 'the webhook body is not JSON', { cause: error });
  }
  // A message stays acceptable while its timestamp is within tolerance of the receiver's clock:
  // up to 2 × tolerance after it was first seen.
  if (seen !== false && !(await seen.firstSeen(id, toleranceSeconds * 2 + 1, now))) {
    throw new CheckpointError('authentication_failed', `webhook ${id} was already received`, {
      reasons: ['replay'],
    });
  }
  return event;
}

function header(headers: WebhookHeaders, name: string): string {
  let value: string | readonly string[] | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    value = record[name];
    if (value === undefined) {
      const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
      if (key !== undefined) value = record[key];
    }
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CheckpointError(
      'invalid_request',
      Array.isArray(value) ? `${name} is repeated` : `${name} header is missing`,
    );
  }
  return value.trim();
}

function toBuffer(value: unknown, name: string): Buffer {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`verifyWebhook: ${name} must be the raw body as a string or a Buffer`);
}
