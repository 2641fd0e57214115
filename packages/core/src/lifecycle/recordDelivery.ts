import { CheckpointError } from '../errors/CheckpointError.js';
import { DELIVERY_STATUSES } from '../store/deliveryState.js';
import type { DeliveryStatus } from '../store/Store.js';
import { fallbackJobKey, recordVerificationEvent } from './dispatch.js';
import { escalate } from './fallback.js';
import { asObject, parseChannelName } from './parseInput.js';
import { type Runtime, storeCall, timers } from './runtime.js';

/** A delivery receipt, as parsed from a provider's status callback. */
export interface DeliveryReceipt {
  /** The channel that sent the message (its `name`). */
  channel: string;
  providerMessageId: string;
  status: DeliveryStatus;
  /** Provider error code for failed deliveries, e.g. Twilio's `30003`. */
  errorCode?: string;
}

/** What `recordDelivery` did with a receipt. */
export interface DeliveryReceiptResult {
  /** False for a message id Checkpoint does not know (acknowledge it anyway). */
  found: boolean;
  verificationId?: string;
  /** False for a duplicate or a receipt that would move the state backwards. */
  applied: boolean;
  /** The message's status after this receipt. */
  status?: DeliveryStatus;
}

/**
 * @internal
 * Applies a receipt: `delivered` stops the fallback timer; `failed`/`undelivered` on the current
 * channel escalates at once. Duplicates and late receipts change nothing.
 */
export async function recordDelivery(
  runtime: Runtime,
  raw: unknown,
): Promise<DeliveryReceiptResult> {
  const receipt = parseReceipt(raw);
  const now = runtime.clock.now();
  const update = await storeCall(runtime, 'recordDelivery', () =>
    runtime.store.recordDelivery({ ...receipt, now }),
  );
  if (update === null) {
    runtime.logger.debug(
      { channel: receipt.channel, status: receipt.status },
      'checkpoint receipt for an unknown message',
    );
    return { found: false, applied: false };
  }
  const { record, delivery, applied, isCurrent } = update;
  const result: DeliveryReceiptResult = {
    found: true,
    verificationId: record.id,
    applied,
    status: delivery.status,
  };
  if (!applied) return result;
  await recordVerificationEvent(runtime, record, {
    type: 'delivery.receipt',
    channel: receipt.channel,
    result: receipt.status,
    latencyMs: Math.max(0, now - delivery.sentAt),
    ...(receipt.errorCode === undefined ? {} : { data: { errorCode: receipt.errorCode } }),
  });
  if (!isCurrent || record.status !== 'pending') return result;
  if (receipt.status === 'delivered' || receipt.status === 'read') {
    await timers(runtime, 'cancel', (scheduler) => scheduler.cancel(fallbackJobKey(record.id)));
  } else if (receipt.status === 'failed' || receipt.status === 'undelivered') {
    await escalate(runtime, record.id, receipt.channel, `receipt_${receipt.status}`);
  }
  return result;
}

function parseReceipt(raw: unknown): DeliveryReceipt {
  const input = asObject(raw, 'a delivery receipt');
  const channel = parseChannelName(input.channel);
  const { providerMessageId, status, errorCode } = input;
  if (
    typeof providerMessageId !== 'string' ||
    providerMessageId.length === 0 ||
    providerMessageId.length > 256
  ) {
    throw new CheckpointError(
      'invalid_request',
      '`providerMessageId` must be a string of 1 to 256 characters',
    );
  }
  if (typeof status !== 'string' || !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
    throw new CheckpointError(
      'invalid_request',
      `\`status\` must be one of ${DELIVERY_STATUSES.join(', ')}`,
    );
  }
  if (errorCode !== undefined && (typeof errorCode !== 'string' || errorCode.length > 64)) {
    throw new CheckpointError(
      'invalid_request',
      '`errorCode` must be a string of at most 64 characters',
    );
  }
  return {
    channel,
    providerMessageId,
    status: status as DeliveryStatus,
    ...(errorCode === undefined ? {} : { errorCode }),
  };
}
