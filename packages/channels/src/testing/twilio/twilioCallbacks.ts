import { randomBytes } from 'node:crypto';
import type { FakeTwilioCall, FakeTwilioMessage } from './twilioApi.js';

type Params = Record<string, string>;

/** @internal The form of a message status callback, as Twilio posts it. */
export function messageStatusParams(
  accountSid: string,
  sid: string,
  status: string,
  message: FakeTwilioMessage | undefined,
): Params {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    MessageStatus: status,
    SmsSid: sid,
    SmsStatus: status,
    To: message?.to ?? '',
    ...(message?.from === undefined ? {} : { From: message.from }),
    ...(message?.messagingServiceSid === undefined
      ? {}
      : { MessagingServiceSid: message.messagingServiceSid }),
  };
}

/** @internal The form of a call progress callback, as Twilio posts it. */
export function callStatusParams(
  accountSid: string,
  call: FakeTwilioCall,
  status: string,
  sequenceNumber: number,
): Params {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: status,
    Called: call.to,
    Caller: call.from,
    Direction: 'outbound-api',
    From: call.from,
    To: call.to,
    Timestamp: new Date().toUTCString(),
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(sequenceNumber),
  };
}

/** @internal The form of an inbound SMS webhook, as Twilio posts it. */
export function inboundParams(accountSid: string, from: string, to: string, body: string): Params {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    Body: body,
    From: from,
    MessageSid: sid,
    NumMedia: '0',
    NumSegments: '1',
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    To: to,
  };
}
