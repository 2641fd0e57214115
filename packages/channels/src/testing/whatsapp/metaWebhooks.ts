import { randomBytes } from 'node:crypto';
import type { FakeWhatsAppMessage } from './metaApi.js';

/** One status for {@link FakeWhatsApp.sendStatuses}. */
export interface FakeWhatsAppStatus {
  /** A `wamid` this fake created (or any id, to test unknown messages). */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  /** Meta error code of a failed message. @default 131026 when status is failed */
  errorCode?: number;
}

/**
 * @internal
 * A status notification as Meta posts it: the statuses spread round-robin over `entries`
 * entries of one `messages` change each.
 */
export function statusNotification(
  { wabaId, phoneNumberId }: { wabaId: string; phoneNumberId: string },
  statuses: readonly FakeWhatsAppStatus[],
  messages: readonly FakeWhatsAppMessage[],
  entries: number,
): Record<string, unknown> {
  const count = Math.max(1, entries);
  const timestamp = String(Math.floor(Date.now() / 1_000));
  const items = statuses.map((item) =>
    statusItem(
      item,
      timestamp,
      messages.find((message) => message.id === item.id),
    ),
  );
  return {
    object: 'whatsapp_business_account',
    entry: Array.from({ length: count }, (_, index) => ({
      id: wabaId,
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001234', phone_number_id: phoneNumberId },
            statuses: items.filter((_item, position) => position % count === index),
          },
          field: 'messages',
        },
      ],
    })),
  };
}

function statusItem(
  { id, status, errorCode }: FakeWhatsAppStatus,
  timestamp: string,
  message: FakeWhatsAppMessage | undefined,
): Record<string, unknown> {
  const code = errorCode ?? (status === 'failed' ? 131026 : undefined);
  const billed = status === 'sent' || status === 'delivered';
  return {
    id,
    status,
    timestamp,
    recipient_id: message?.to.replace(/^\+/, '') ?? '0',
    ...(message?.bizOpaqueCallbackData === undefined
      ? {}
      : { biz_opaque_callback_data: message.bizOpaqueCallbackData }),
    ...(billed
      ? {
          conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'authentication' } },
          pricing: {
            billable: true,
            pricing_model: 'PMP',
            category: 'authentication',
            type: 'regular',
          },
        }
      : {}),
    ...(code === undefined
      ? {}
      : {
          errors: [
            {
              code,
              title: 'Message undeliverable',
              message: 'Message undeliverable',
              error_data: { details: 'Message Undeliverable.' },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }),
  };
}

/** @internal JSON as Meta serialises webhooks: non-ASCII characters and `/` escaped. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}
