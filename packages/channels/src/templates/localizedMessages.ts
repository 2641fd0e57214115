import type { MessageOptions, RenderContext } from '@checkpoint/core';
import { MESSAGE_TEMPLATES } from './messageTemplates.js';
import { fill, type TemplateOverrides, templatesFor } from './renderTemplate.js';

/** Options of {@link localizedMessages}. */
export interface LocalizedMessagesOptions {
  /** Product name in the text. @default 'Checkpoint' */
  appName?: string;
  /**
   * Host of the WebOTP line `@host #code` (no scheme, no port), e.g. `'console.acme.example'`.
   * @default the host of `createCheckpoint({ origin })` or of a per-send origin, when one is known
   */
  webOtpDomain?: string;
  /** `false` leaves the WebOTP line out even when an origin is known. @default true */
  webOtp?: boolean;
  /**
   * Android SMS Retriever hash of the app (11 characters), added whenever it is set: Android
   * reads the code only from messages that carry it. SMS bodies then stay within 140 bytes.
   */
  appHash?: string;
  /** Changes or adds locales. */
  templates?: TemplateOverrides;
}

/** The SMS Retriever API reads messages of at most this many bytes. */
export const SMS_RETRIEVER_MAX_BYTES = 140;

const APP_HASH = /^[A-Za-z0-9+/]{11}$/;
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LONGEST_CODE = '0'.repeat(10);

/**
 * Localized message text for core's `message` option. It supplies the body per locale (`en` and
 * `es` built in; unknown locales fall back to English); core's renderer then appends, to phone
 * messages, the Android app hash and, last, the WebOTP line `@host #code` — by default whenever
 * the app's origin is known (`createCheckpoint({ origin })`, or the request's host through
 * `otpRouter`), or for `webOtpDomain`.
 *
 * With an `appHash`, the whole SMS must fit the SMS Retriever's 140 bytes (UTF-8): a body that
 * would not fit is replaced by the locale's `smsShort`, and a `smsShort` that cannot fit even a
 * 10-digit code with the `webOtpDomain` line is refused here, at start-up, with a TypeError. The
 * host of an origin is known only at send time: it is measured then.
 *
 * @example
 * const checkpoint = createCheckpoint({
 *   secret, channels,
 *   message: localizedMessages({ appName: 'Acme', webOtpDomain: 'console.acme.example', appHash: 'FA+9qCX9VSu' }),
 * });
 * await checkpoint.send({ to, purpose: 'login', locale: 'es-MX' }); // "123456 es tu código de verificación de Acme. …"
 * @see https://wicg.github.io/sms-one-time-codes/ (origin-bound one-time codes)
 * @see https://developers.google.com/identity/sms-retriever/verify (SMS Retriever message format)
 */
export function localizedMessages({
  appName = 'Checkpoint',
  webOtpDomain,
  webOtp = true,
  appHash,
  templates = {},
}: LocalizedMessagesOptions = {}): MessageOptions {
  if (appHash !== undefined && !APP_HASH.test(appHash)) {
    throw new TypeError(
      'localizedMessages: `appHash` must be the 11-character SMS Retriever hash of the Android app',
    );
  }
  if (typeof webOtp !== 'boolean')
    throw new TypeError('localizedMessages: `webOtp` must be true or false');
  if (webOtpDomain !== undefined && !HOST.test(webOtpDomain)) {
    throw new TypeError(
      'localizedMessages: `webOtpDomain` must be a host name such as "console.acme.example" (no scheme, no port)',
    );
  }
  // Mirrors what core's renderer appends to phone messages, to measure the whole SMS.
  const trailer = (code: string, host: string | undefined): string =>
    (appHash === undefined ? '' : `\n\n${appHash}`) +
    (host === undefined ? '' : `\n\n@${host} #${code}`);
  const fits = (body: string, code: string, host: string | undefined): boolean =>
    Buffer.byteLength(body + trailer(code, host), 'utf8') <= SMS_RETRIEVER_MAX_BYTES;

  if (appHash !== undefined) {
    for (const locale of new Set([...Object.keys(MESSAGE_TEMPLATES), ...Object.keys(templates)])) {
      const t = templatesFor(locale, templates);
      if (
        !fits(
          fill(t.smsShort, { code: LONGEST_CODE, appName, minutes: 10 }, t.minute),
          LONGEST_CODE,
          webOtp ? webOtpDomain : undefined,
        )
      ) {
        throw new TypeError(
          `localizedMessages: with an appHash an SMS must fit ${SMS_RETRIEVER_MAX_BYTES} bytes, and the '${locale}' smsShort text does not; shorten it, the appName or the webOtpDomain`,
        );
      }
    }
  }

  const options: MessageOptions = {
    appName,
    render: (context: RenderContext): string => {
      const t = templatesFor(context.locale, templates);
      const values = {
        code: context.code,
        appName: context.appName,
        minutes: context.minutes,
        ...(context.approving === undefined ? {} : { approving: context.approving }),
      };
      const body = fill(context.approving === undefined ? t.sms : t.smsApproving, values, t.minute);
      if (
        context.kind !== 'phone' ||
        appHash === undefined ||
        fits(body, context.code, context.webOtpHost)
      )
        return body;
      return fill(t.smsShort, values, t.minute);
    },
  };
  if (webOtpDomain !== undefined) options.webOtpDomain = webOtpDomain;
  if (!webOtp) options.webOtp = false;
  if (appHash !== undefined) options.appHash = appHash;
  return options;
}
