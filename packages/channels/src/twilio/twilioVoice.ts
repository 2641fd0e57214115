import type { Channel, ChannelMessage, ChannelSendResult } from '@checkpoint/core';
import { minutesLeft, type TemplateOverrides } from '../templates/renderTemplate.js';
import { renderVoiceTwiml } from '../templates/renderVoiceTwiml.js';
import { createTwilioResource, type TwilioAccountOptions, twilioAccount } from './twilioAccount.js';
import { lookup, TWILIO_CALL_STATUS } from './parseTwilioStatus.js';

/** Options of {@link twilioVoice}. */
export interface TwilioVoiceOptions extends TwilioAccountOptions {
  /** Caller number (E.164), a Twilio number of the account. */
  from: string;
  /** @default 'voice' */
  name?: string;
  /** Product name the call says. @default 'Checkpoint' */
  appName?: string;
  /** Times the code is read. @default 3 */
  repeat?: number;
  /** TwiML `<Say voice>`, e.g. `'Polly.Joanna'`. @default Twilio's default voice */
  voice?: string;
  /** TwiML `<Say language>` per locale, e.g. `{ es: 'es-MX' }`. @default the templates' */
  languages?: Readonly<Record<string, string>>;
  /** Seconds to let the phone ring. @default 30 */
  ringSeconds?: number;
  /** Upper bound of the call's length, in seconds. @default 120 */
  maxCallSeconds?: number;
  templates?: TemplateOverrides;
}

/**
 * Voice calls through Twilio's Calls API, with inline TwiML that reads the code digit by digit,
 * slowly, and repeats it, in the message's locale. Status callbacks (`initiated`, `ringing`,
 * `answered`, `completed`) go to `statusCallbackUrl`; `parseTwilioStatus` maps them.
 *
 * @example
 * const voice = twilioVoice({ accountSid, authToken, from: '+14155550199', appName: 'Acme', statusCallbackUrl });
 * @see https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource
 */
export function twilioVoice(options: TwilioVoiceOptions): Channel {
  const account = twilioAccount('twilioVoice', options);
  const {
    from,
    name = 'voice',
    appName = 'Checkpoint',
    repeat = 3,
    voice,
    languages = {},
    ringSeconds = 30,
    maxCallSeconds = 120,
    templates,
  } = options;
  if (typeof from !== 'string' || from.length === 0) {
    throw new TypeError('twilioVoice requires `from`: a Twilio number of the account (E.164)');
  }
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 5) {
    throw new TypeError('twilioVoice: `repeat` must be a whole number from 1 to 5');
  }
  return {
    name,
    kind: 'phone',
    async send(message: ChannelMessage): Promise<ChannelSendResult> {
      const pick = (key: string) => (Object.hasOwn(languages, key) ? languages[key] : undefined);
      const language = pick(message.locale) ?? pick(message.locale.split('-')[0] ?? '');
      const twiml = renderVoiceTwiml({
        code: message.code,
        locale: message.locale,
        appName,
        minutes: minutesLeft(message.expiresAt, account.now()),
        repeat,
        ...(voice === undefined ? {} : { voice }),
        ...(language === undefined ? {} : { language }),
        ...(templates === undefined ? {} : { templates }),
      });
      const form = new URLSearchParams({
        To: message.to,
        From: from,
        Twiml: twiml,
        Timeout: String(ringSeconds),
        TimeLimit: String(maxCallSeconds),
      });
      if (account.statusCallbackUrl !== undefined) {
        form.set('StatusCallback', account.statusCallbackUrl);
        form.set('StatusCallbackMethod', 'POST');
        for (const event of ['initiated', 'ringing', 'answered', 'completed']) {
          form.append('StatusCallbackEvent', event);
        }
      }
      const { sid, status } = await createTwilioResource(account, {
        label: 'Twilio Voice',
        resource: 'Calls.json',
        to: message.to,
        form,
      });
      const mapped = status === undefined ? undefined : lookup(TWILIO_CALL_STATUS, status);
      return { providerMessageId: sid, status: mapped ?? 'queued' };
    },
  };
}
