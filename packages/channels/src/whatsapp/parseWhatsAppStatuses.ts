import { CheckpointError, type DeliveryReceipt, type DeliveryStatus } from '@checkpoint/core';

/** A WhatsApp status, as a core delivery receipt plus what Meta adds. */
export interface WhatsAppReceipt extends DeliveryReceipt {
  /** `biz_opaque_callback_data`: the verification id `whatsappCloud` set at send. */
  verificationId?: string;
  /** The recipient's WhatsApp id (their number's digits). */
  recipientId?: string;
  /** Unix seconds at which Meta recorded the status. */
  timestamp?: number;
}

/** Options of {@link parseWhatsAppStatuses}. */
export interface ParseWhatsAppStatusesOptions {
  /** The Checkpoint channel name of the receipts. @default 'whatsapp' */
  channel?: string;
}

const STATUS: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/**
 * Every message status in a WhatsApp webhook notification, as delivery receipts for
 * `checkpoint.recordDelivery`. Notifications are batched (entries × changes × statuses) and
 * arrive out of order and more than once; core's state machine sorts that out. Changes that
 * carry no statuses (inbound messages) give nothing; statuses Checkpoint has no state for are
 * skipped. Validate the signature first. Throws `invalid_request` when the payload is not a
 * WhatsApp Business Account notification.
 *
 * @example
 * for (const receipt of parseWhatsAppStatuses(JSON.parse(rawBody.toString('utf8')))) {
 *   await checkpoint.recordDelivery(receipt);
 * }
 * @see https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
 */
export function parseWhatsAppStatuses(
  payload: unknown,
  { channel = 'whatsapp' }: ParseWhatsAppStatusesOptions = {},
): WhatsAppReceipt[] {
  const root = record(payload);
  if (root?.object !== 'whatsapp_business_account') {
    throw new CheckpointError(
      'invalid_request',
      'not a WhatsApp Business Account webhook notification',
    );
  }
  const receipts: WhatsAppReceipt[] = [];
  for (const entry of list(root.entry)) {
    for (const change of list(record(entry)?.changes)) {
      const value = record(record(change)?.value);
      for (const item of list(value?.statuses)) {
        const receipt = receiptOf(record(item), channel);
        if (receipt !== undefined) receipts.push(receipt);
      }
    }
  }
  return receipts;
}

function receiptOf(
  status: Record<string, unknown> | undefined,
  channel: string,
): WhatsAppReceipt | undefined {
  const id = status?.id;
  const state = status?.status;
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) return undefined;
  if (typeof state !== 'string' || !Object.hasOwn(STATUS, state)) return undefined;
  const receipt: WhatsAppReceipt = {
    channel,
    providerMessageId: id,
    status: STATUS[state] as DeliveryStatus,
  };
  const code = record(list(status?.errors)[0])?.code;
  if (typeof code === 'number' && Number.isInteger(code)) receipt.errorCode = String(code);
  const opaque = status?.biz_opaque_callback_data;
  if (typeof opaque === 'string' && opaque.length > 0) receipt.verificationId = opaque;
  const recipient = status?.recipient_id;
  if (typeof recipient === 'string' && recipient.length > 0) receipt.recipientId = recipient;
  const timestamp = status?.timestamp;
  if (typeof timestamp === 'string' && /^\d{1,12}$/.test(timestamp))
    receipt.timestamp = Number(timestamp);
  return receipt;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
