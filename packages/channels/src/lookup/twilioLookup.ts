import { CheckpointError, type LookupProvider, maskPhone } from '@checkpoint/core';
import { objectOf } from '../http/channelErrors.js';
import { twilioAccount } from '../twilio/twilioAccount.js';
import { lookupRequest } from './lookupRequest.js';
import { parseTwilioLookup } from './parseTwilioLookup.js';

/** Lookup v2 data packages the adapter reads. */
export type TwilioLookupField = 'line_type_intelligence' | 'sim_swap';

/** Options of {@link twilioLookup}. */
export interface TwilioLookupOptions {
  /** `AC` followed by 32 hex characters. */
  accountSid: string;
  authToken: string;
  /** Paid data packages to ask for. @default ['line_type_intelligence', 'sim_swap'] */
  fields?: readonly TwilioLookupField[];
  /** @default 'https://lookups.twilio.com' */
  baseUrl?: string;
  /** Per attempt; a lookup holds up the send that asked for it. @default 3000 */
  timeoutMs?: number;
  /** Retries on 429, 5xx and network errors. @default 1 */
  retries?: number;
  /** @default Date.now */
  now?: () => number;
}

const FIELDS: readonly TwilioLookupField[] = ['line_type_intelligence', 'sim_swap'];

/**
 * A `LookupProvider` on Twilio Lookup v2: line type and carrier from Line Type Intelligence, the
 * age of the last SIM swap from SIM Swap. `createCheckpoint({ lookupProvider: twilioLookup(…) })`
 * then refuses or reroutes sends by the carrier's answer (a VoIP number gets no SMS; a SIM
 * swapped within `pumping.recentSimSwapSeconds` gets no SMS or call), and `checkpoint.lookup()`
 * returns it.
 *
 * Each lookup is billed by Twilio. A failure throws `channel_unavailable`; during a send core
 * logs it and goes on with libphonenumber-js's facts.
 *
 * @example
 * const checkpoint = createCheckpoint({
 *   secret, channels,
 *   lookupProvider: twilioLookup({ accountSid: process.env.TWILIO_ACCOUNT_SID, authToken: process.env.TWILIO_AUTH_TOKEN }),
 * });
 * @see https://www.twilio.com/docs/lookup/v2-api
 */
export function twilioLookup(options: TwilioLookupOptions): LookupProvider {
  const account = twilioAccount('twilioLookup', {
    ...options,
    baseUrl: options?.baseUrl ?? 'https://lookups.twilio.com',
    timeoutMs: options?.timeoutMs ?? 3_000,
    retries: options?.retries ?? 1,
  });
  const fields: readonly unknown[] = options.fields ?? FIELDS;
  if (
    !Array.isArray(fields) ||
    fields.length === 0 ||
    fields.some((field) => !(FIELDS as readonly unknown[]).includes(field))
  ) {
    throw new TypeError(`twilioLookup: \`fields\` must list some of ${FIELDS.join(', ')}`);
  }
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return {
    async lookup(e164) {
      const destination = maskPhone(e164);
      const response = await lookupRequest({
        label: 'Twilio Lookup',
        destination,
        url: `${account.baseUrl}/v2/PhoneNumbers/${encodeURIComponent(e164)}?Fields=${fields.join(',')}`,
        headers: { authorization, accept: 'application/json' },
        timeoutMs: account.timeoutMs,
        retries: account.retries,
      });
      if (response.status === 200) return parseTwilioLookup(response.json, account.now());
      const code = objectOf(response.json).code;
      throw new CheckpointError(
        'channel_unavailable',
        `Twilio Lookup could not look up ${destination} (HTTP ${response.status}${typeof code === 'number' ? `, Twilio error ${code}` : ''})`,
        {
          reasons: [
            ...(typeof code === 'number' ? [`twilio:${code}`] : []),
            `http:${response.status}`,
          ],
        },
      );
    },
  };
}
