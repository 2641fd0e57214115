import {
  type Channel,
  type ChannelMessage,
  type ChannelSendResult,
  CheckpointError,
  maskPhone,
} from '@checkpoint/core';
import { objectOf, reasonsOf, unavailableFromResponse } from '../http/channelErrors.js';
import { httpSettings, requiredString } from '../http/channelOptions.js';
import { providerRequest } from '../http/providerRequest.js';

/** Options of {@link whatsappCloud}. */
export interface WhatsAppCloudOptions {
  /** The sending number's id in the WhatsApp Cloud API (not the number itself). */
  phoneNumberId: string;
  /** A system-user access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** Name of an approved authentication template with a copy-code button. */
  template: string;
  /**
   * The template language: one code for every locale, or per locale (`{ en: 'en_US', es: 'es_MX' }`,
   * looked up by locale, then its language, then `en`). @default 'en_US'
   */
  language?: string | Readonly<Record<string, string>>;
  /** @default 'https://graph.facebook.com' */
  baseUrl?: string;
  /** Graph API version. @default 'v23.0' */
  apiVersion?: string;
  /** Per request attempt. @default 10000 */
  timeoutMs?: number;
  /** Retries on 429, 5xx and network errors. @default 2 */
  retries?: number;
  /** @default 'whatsapp' */
  name?: string;
}

/**
 * Meta error codes that say this recipient cannot get the message: not on WhatsApp (or an
 * outdated client, or terms not accepted), or the sender itself.
 * @see https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/
 */
const INVALID_RECIPIENT: ReadonlyMap<number, string> = new Map([
  [131026, 'cannot receive WhatsApp messages'],
  [131021, 'is the sending number itself'],
]);

// Meta refuses one-time passwords longer than this in authentication templates.
const MAX_CODE_LENGTH = 15;
const API_VERSION = /^v\d+\.\d+$/;
const PHONE_NUMBER_ID = /^\d{1,32}$/;

/**
 * WhatsApp through the Cloud API, with an authentication template whose copy-code button
 * carries the code: the code goes in the body parameter and in the URL button parameter, and
 * the verification id in `biz_opaque_callback_data`, so status webhooks name the verification.
 *
 * The template's `message_send_ttl_seconds` (set when the template is created) should be no
 * longer than the code's TTL, so that a stale code is never delivered.
 *
 * @example
 * const whatsapp = whatsappCloud({ phoneNumberId: '106540352242922', accessToken: process.env.WA_TOKEN, template: 'acme_login_code', language: { en: 'en_US', es: 'es' } });
 * @see https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates/copy-code-button-authentication-templates
 */
export function whatsappCloud(options: WhatsAppCloudOptions): Channel {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'whatsappCloud requires an options object: { phoneNumberId, accessToken, template }',
    );
  }
  const phoneNumberId = requiredString('whatsappCloud', 'phoneNumberId', options.phoneNumberId);
  if (!PHONE_NUMBER_ID.test(phoneNumberId)) {
    throw new TypeError('whatsappCloud: `phoneNumberId` is the numeric id of the sending number');
  }
  const accessToken = requiredString('whatsappCloud', 'accessToken', options.accessToken);
  const template = requiredString(
    'whatsappCloud',
    'template',
    options.template,
    'the name of an approved authentication template',
  );
  const { language = 'en_US', apiVersion = 'v23.0', name = 'whatsapp' } = options;
  if (!API_VERSION.test(apiVersion)) {
    throw new TypeError('whatsappCloud: `apiVersion` must look like "v23.0"');
  }
  const http = httpSettings('whatsappCloud', {
    baseUrl: options.baseUrl ?? 'https://graph.facebook.com',
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  });
  const url = `${http.baseUrl}/${apiVersion}/${phoneNumberId}/messages`;

  return {
    name,
    kind: 'phone',
    async send(message: ChannelMessage): Promise<ChannelSendResult> {
      const destination = maskPhone(message.to);
      if (message.code.length > MAX_CODE_LENGTH) {
        throw new CheckpointError(
          'invalid_request',
          `WhatsApp codes are at most ${MAX_CODE_LENGTH} characters`,
        );
      }
      const code = [{ type: 'text', text: message.code }];
      const response = await providerRequest({
        label: 'WhatsApp',
        reasonPrefix: 'whatsapp',
        destination,
        url,
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: message.to.replace(/^\+/, ''),
          type: 'template',
          biz_opaque_callback_data: message.verificationId,
          template: {
            name: template,
            language: { code: languageFor(language, message.locale) },
            components: [
              { type: 'body', parameters: code },
              { type: 'button', sub_type: 'url', index: '0', parameters: code },
            ],
          },
        }),
        timeoutMs: http.timeoutMs,
        retries: http.retries,
      });
      const body = objectOf(response.json);
      const first = objectOf(
        Array.isArray(body.messages) ? (body.messages[0] as unknown) : undefined,
      );
      if (
        response.status >= 200 &&
        response.status < 300 &&
        typeof first.id === 'string' &&
        first.id.length > 0
      ) {
        return { providerMessageId: first.id, status: 'queued' };
      }
      const error = objectOf(body.error);
      const fault = typeof error.code === 'number' ? { code: error.code } : {};
      const invalid = fault.code === undefined ? undefined : INVALID_RECIPIENT.get(fault.code);
      if (invalid !== undefined && response.status >= 400 && response.status < 500) {
        throw new CheckpointError(
          'invalid_number',
          `WhatsApp: ${destination} ${invalid} (WhatsApp error ${fault.code})`,
          { reasons: reasonsOf('whatsapp', response, fault) },
        );
      }
      throw unavailableFromResponse(
        'WhatsApp',
        { name: 'WhatsApp', reasonPrefix: 'whatsapp' },
        destination,
        response,
        fault,
      );
    },
  };
}

function languageFor(language: string | Readonly<Record<string, string>>, locale: string): string {
  if (typeof language === 'string') return language;
  const has = (key: string) => (Object.hasOwn(language, key) ? language[key] : undefined);
  return has(locale) ?? has(locale.split('-')[0] ?? '') ?? has('en') ?? 'en_US';
}
