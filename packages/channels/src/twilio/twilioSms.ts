import type { Channel, ChannelMessage, ChannelSendResult } from '@checkpoint/core';
import { createTwilioResource, type TwilioAccountOptions, twilioAccount } from './twilioAccount.js';
import { lookup, TWILIO_MESSAGE_STATUS } from './parseTwilioStatus.js';

/** Options of {@link twilioSms}. Pass `from`, `messagingServiceSid`, or both. */
export interface TwilioSmsOptions extends TwilioAccountOptions {
  /** Sender number (E.164) or alphanumeric sender id. */
  from?: string | undefined;
  /** A Messaging Service (`MG…`): Twilio picks the sender from its pool. */
  messagingServiceSid?: string | undefined;
  /** @default 'sms' */
  name?: string;
}

// Twilio keeps a queued message for at most 36000 s.
const MAX_VALIDITY_SECONDS = 36_000;

/**
 * SMS through Twilio's Messages API. Sends core's rendered text (WebOTP line and app hash
 * included), asks Twilio to drop the message if it is still queued when the code expires
 * (`ValidityPeriod`), and asks for status callbacks at `statusCallbackUrl`.
 *
 * Throws `invalid_number` when Twilio says the number is invalid or not mobile (21211, 21614, …),
 * `channel_unavailable` otherwise (credentials, rate limits, outages, timeouts).
 *
 * @example
 * const sms = twilioSms({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID, authToken: process.env.TWILIO_AUTH_TOKEN,
 *   messagingServiceSid: 'MG…', statusCallbackUrl: 'https://console.acme.example/hooks/twilio/status',
 * });
 * @see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
export function twilioSms(options: TwilioSmsOptions): Channel {
  const account = twilioAccount('twilioSms', options);
  const { from, messagingServiceSid, name = 'sms' } = options;
  if (from === undefined && messagingServiceSid === undefined) {
    throw new TypeError('twilioSms requires `from` (a sender number) or `messagingServiceSid`');
  }
  if (from !== undefined && (typeof from !== 'string' || from.length === 0)) {
    throw new TypeError('twilioSms: `from` must be a sender number or id');
  }
  if (messagingServiceSid !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    throw new TypeError(
      'twilioSms: `messagingServiceSid` must be MG followed by 32 hex characters',
    );
  }
  return {
    name,
    kind: 'phone',
    async send(message: ChannelMessage): Promise<ChannelSendResult> {
      const validity = Math.floor((message.expiresAt - account.now()) / 1_000);
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (from !== undefined) form.set('From', from);
      if (messagingServiceSid !== undefined) form.set('MessagingServiceSid', messagingServiceSid);
      form.set('ValidityPeriod', String(Math.min(MAX_VALIDITY_SECONDS, Math.max(1, validity))));
      if (account.statusCallbackUrl !== undefined)
        form.set('StatusCallback', account.statusCallbackUrl);
      const { sid, status } = await createTwilioResource(account, {
        label: 'Twilio SMS',
        resource: 'Messages.json',
        to: message.to,
        form,
      });
      const mapped = status === undefined ? undefined : lookup(TWILIO_MESSAGE_STATUS, status);
      return { providerMessageId: sid, status: mapped ?? 'queued' };
    },
  };
}
