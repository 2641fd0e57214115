import { escapeMarkup } from './escape.js';
import { fill, type TemplateOverrides, templatesFor } from './renderTemplate.js';

/** Input of {@link renderVoiceTwiml}. */
export interface VoiceTwimlInput {
  code: string;
  locale: string;
  appName: string;
  minutes: number;
  /** How many times the code is read. @default 3 */
  repeat?: number;
  /** TwiML `<Say voice>`, e.g. `'Polly.Joanna'`; Twilio's default voice when omitted. */
  voice?: string;
  /** TwiML `<Say language>`; the locale template's when omitted. */
  language?: string;
  templates?: TemplateOverrides;
}

/**
 * TwiML that reads a code digit by digit, slowly (each digit its own sentence, pauses between
 * the parts), several times. Every text and attribute is XML-escaped.
 *
 * @example
 * renderVoiceTwiml({ code: '123456', locale: 'en', appName: 'Acme', minutes: 10 })
 * // <Response><Say language="en-US">Your Acme verification code is</Say><Pause length="1"/><Say …>1. 2. 3. 4. 5. 6.</Say>…
 * @see https://www.twilio.com/docs/voice/twiml/say
 */
export function renderVoiceTwiml({
  code,
  locale,
  appName,
  minutes,
  repeat = 3,
  voice,
  language,
  templates,
}: VoiceTwimlInput): string {
  const t = templatesFor(locale, templates);
  const attributes =
    ` language="${escapeMarkup(language ?? t.voice.language)}"` +
    (voice === undefined ? '' : ` voice="${escapeMarkup(voice)}"`);
  const say = (text: string) => `<Say${attributes}>${escapeMarkup(text)}</Say>`;
  const values = { code, appName, minutes };
  // "1. 2. 3." makes text-to-speech voices stop after every digit.
  const digits = [...code].join('. ') + '.';
  const parts = [say(fill(t.voice.intro, values, t.minute)), '<Pause length="1"/>', say(digits)];
  for (let time = 1; time < repeat; time += 1) {
    parts.push('<Pause length="2"/>', say(fill(t.voice.again, values, t.minute)));
    parts.push('<Pause length="1"/>', say(digits));
  }
  parts.push('<Pause length="1"/>', say(fill(t.voice.outro, values, t.minute)));
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${parts.join('')}</Response>`;
}
