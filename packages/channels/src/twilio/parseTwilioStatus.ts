import { CheckpointError, type DeliveryReceipt, type DeliveryStatus } from '@checkpoint/core';
import { param, type TwilioParams } from './twilioParams.js';

/**
 * Twilio `MessageStatus` -> core delivery status. `receiving`/`received` belong to inbound
 * messages and are no receipt. `partially_delivered` (some recipients of a group message) does
 * not prove this user got the code, so it counts as `sent` and fallback stays armed.
 * @see https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
export const TWILIO_MESSAGE_STATUS: Readonly<Record<string, DeliveryStatus>> = {
  queued: 'queued',
  accepted: 'queued',
  scheduled: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'canceled',
  partially_delivered: 'sent',
};

/**
 * Twilio `CallStatus` -> core delivery status. A call counts as delivered once it `completed`
 * (answered, code read, hung up); `in-progress` (just answered) is `sent`; `busy` and
 * `no-answer` are `undelivered`, so fallback escalates at once.
 * @see https://www.twilio.com/docs/voice/api/call-resource#call-status-values
 */
export const TWILIO_CALL_STATUS: Readonly<Record<string, DeliveryStatus>> = {
  queued: 'queued',
  initiated: 'sending',
  ringing: 'sending',
  'in-progress': 'sent',
  completed: 'delivered',
  busy: 'undelivered',
  'no-answer': 'undelivered',
  failed: 'failed',
  canceled: 'canceled',
};

/** Options of {@link parseTwilioStatus}. */
export interface ParseTwilioStatusOptions {
  /** The Checkpoint channel name of the receipt. @default 'sms' for messages, 'voice' for calls */
  channel?: string;
}

const SID = /^[A-Za-z]{2}[0-9a-fA-F]{32}$/;
const ERROR_CODE = /^\d{1,10}$/;

/**
 * Reads a Twilio status callback (Messages `StatusCallback` or Calls `StatusCallback`) as a core
 * delivery receipt for `checkpoint.recordDelivery`. Validate the signature first.
 *
 * Returns undefined for a status that is no delivery state of an outbound message (an inbound
 * `received`, an unknown value): acknowledge it and move on. Throws `invalid_request` when the
 * parameters are not a status callback at all.
 *
 * @example
 * const receipt = parseTwilioStatus(req.body);
 * if (receipt !== undefined) await checkpoint.recordDelivery(receipt);
 * res.sendStatus(204);
 * @see https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 */
export function parseTwilioStatus(
  params: TwilioParams,
  { channel }: ParseTwilioStatusOptions = {},
): DeliveryReceipt | undefined {
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const messageStatus = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  const callSid = param(params, 'CallSid');
  const callStatus = param(params, 'CallStatus');
  let sid: string;
  let status: DeliveryStatus | undefined;
  let name: string;
  if (messageSid !== undefined && messageStatus !== undefined) {
    sid = messageSid;
    status = lookup(TWILIO_MESSAGE_STATUS, messageStatus);
    name = channel ?? 'sms';
  } else if (callSid !== undefined && callStatus !== undefined) {
    sid = callSid;
    status = lookup(TWILIO_CALL_STATUS, callStatus);
    name = channel ?? 'voice';
  } else {
    throw new CheckpointError(
      'invalid_request',
      'not a Twilio status callback: MessageSid and MessageStatus, or CallSid and CallStatus, are required',
    );
  }
  if (!SID.test(sid)) throw new CheckpointError('invalid_request', 'malformed Twilio SID');
  if (status === undefined) return undefined;
  const errorCode = param(params, 'ErrorCode');
  return {
    channel: name,
    providerMessageId: sid,
    status,
    ...(errorCode !== undefined && ERROR_CODE.test(errorCode) ? { errorCode } : {}),
  };
}

/** @internal A status table entry; undefined for values it does not hold (prototype keys included). */
export function lookup(
  table: Readonly<Record<string, DeliveryStatus>>,
  value: string,
): DeliveryStatus | undefined {
  return Object.hasOwn(table, value) ? table[value] : undefined;
}
