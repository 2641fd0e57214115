import { Webhook } from 'standardwebhooks';
import { secretList, type WebhookSecrets } from './secrets.js';

/** What {@link signWebhook} signs. */
export interface SignWebhookInput {
  /** The `webhook-id` header: no `.` (it delimits the signed content). */
  id: string;
  /** The `webhook-timestamp` header: integer Unix seconds of this attempt. */
  timestamp: number;
  /** The exact request body that will be sent. */
  body: string;
  /** Every secret signs: several while rotating. */
  secrets: WebhookSecrets;
}

/**
 * The `webhook-signature` header: one `v1,<base64 HMAC-SHA256>` per secret, space-separated,
 * computed by the `standardwebhooks` reference library over `${id}.${timestamp}.${body}`.
 *
 * @example
 * signWebhook({ id: 'msg_…', timestamp: 1614265330, body, secrets: 'whsec_…' }) // 'v1,g0hM9S…='
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
 */
export function signWebhook({ id, timestamp, body, secrets }: SignWebhookInput): string {
  if (typeof id !== 'string' || id.length === 0 || /[.\s]/.test(id)) {
    throw new TypeError('signWebhook: id must be a non-empty string without `.` or spaces');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('signWebhook: timestamp must be integer Unix seconds');
  }
  if (typeof body !== 'string') throw new TypeError('signWebhook: body must be a string');
  const at = new Date(timestamp * 1_000);
  return secretList(secrets, 'signWebhook')
    .map((secret) => new Webhook(secret).sign(id, at, body))
    .join(' ');
}
