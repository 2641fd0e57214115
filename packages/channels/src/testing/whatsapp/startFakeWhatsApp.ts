import { randomBytes, randomInt } from 'node:crypto';
import { whatsappSignature } from '../../whatsapp/validateWhatsAppSignature.js';
import type { FakeFault } from '../FakeFault.js';
import { type CallbackResponse, postCallback } from '../postCallback.js';
import { type RecordedRequest, startHttpServer } from '../startHttpServer.js';
import { createMessage, type FakeWhatsAppMessage, metaError, metaFault } from './metaApi.js';
import { type FakeWhatsAppStatus, metaJson, statusNotification } from './metaWebhooks.js';

/** Options of {@link startFakeWhatsApp}. */
export interface FakeWhatsAppOptions {
  /** @default 15 random digits */
  phoneNumberId?: string;
  /** @default a random token */
  accessToken?: string;
  /** Signs the webhooks. @default a random secret */
  appSecret?: string;
  /** Where webhooks go unless a call names a URL (the app dashboard's callback URL). */
  webhookUrl?: string;
}

/** Input of {@link FakeWhatsApp.postSigned}: what to post, and how to (mis)sign it. */
export interface WhatsAppCallbackInput {
  /** @default the fake's webhookUrl */
  url?: string;
  /** Raw body as a string (sent as is), or a value serialised as Meta does. */
  body: string | object;
  /** Sign with this secret instead of the app's. */
  appSecret?: string;
  /** Send this header value instead of a computed one; `null` sends none. */
  signature?: string | null;
}

/** A local stand-in for the WhatsApp Cloud API's messages endpoint and its webhooks. */
export interface FakeWhatsApp {
  /** Base URL for `whatsappCloud({ baseUrl })`. */
  readonly url: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  /** The WhatsApp Business Account id put in webhooks. */
  readonly wabaId: string;
  /** Where webhooks go by default. */
  webhookUrl: string | undefined;
  readonly requests: readonly RecordedRequest[];
  readonly messages: readonly FakeWhatsAppMessage[];
  /** Scripts the answers of the next API requests, one fault each, in order. */
  failNext(...faults: FakeFault[]): void;
  /**
   * Sends one signed notification carrying these statuses, spread round-robin over `entries`
   * entries (1 by default: every status in one change).
   */
  sendStatuses(
    statuses: readonly FakeWhatsAppStatus[],
    options?: { url?: string; entries?: number },
  ): Promise<CallbackResponse>;
  /** Posts any body, signed with `X-Hub-Signature-256` as Meta does, or deliberately not. */
  postSigned(input: WhatsAppCallbackInput): Promise<CallbackResponse>;
  /** The subscription handshake: `GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`. */
  verifyWebhook(input: {
    verifyToken: string;
    challenge?: string;
    url?: string;
  }): Promise<CallbackResponse>;
  /** Closes the server and every connection, hanging ones included. */
  stop(): Promise<void>;
}

const ROUTE = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;
const digits = (count: number) =>
  Array.from({ length: count }, (_, index) => String(randomInt(index === 0 ? 1 : 0, 10))).join('');

/**
 * Starts a fake WhatsApp Cloud API on 127.0.0.1 and a free port. It checks the Bearer token,
 * the phone number id and the template message body (the authentication template's body and
 * copy-code button parameters), answers with `wamid`s or Meta's error bodies, records every
 * request, plays scripted faults, and sends status webhooks signed and escaped as Meta does.
 *
 * @example
 * const meta = await startFakeWhatsApp({ webhookUrl: `${app}/hooks/whatsapp` });
 * const whatsapp = whatsappCloud({ phoneNumberId: meta.phoneNumberId, accessToken: meta.accessToken, template: 'login_code', baseUrl: meta.url });
 * await meta.sendStatuses([{ id: meta.messages[0].id, status: 'delivered' }]);
 */
export async function startFakeWhatsApp({
  phoneNumberId = digits(15),
  accessToken = `EAAG${randomBytes(24).toString('base64url')}`,
  appSecret = randomBytes(16).toString('hex'),
  webhookUrl,
}: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const faults: FakeFault[] = [];
  const messages: FakeWhatsAppMessage[] = [];
  const wabaId = digits(15);

  const server = await startHttpServer((request) => {
    const route = request.method === 'POST' ? ROUTE.exec(request.path) : null;
    if (route === null) return metaError(400, 100, 'Unknown path components', { subcode: 2500 });
    const fault = faults.shift();
    if (fault !== undefined) return metaFault(fault);
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return metaError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    if (route[2] !== phoneNumberId) {
      return metaError(
        400,
        100,
        `Unsupported post request. Object with ID '${route[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { type: 'GraphMethodException', subcode: 33 },
      );
    }
    const { reply, message } = createMessage(request.body);
    if (message !== undefined) messages.push(message);
    return reply;
  });

  const target = (url: string | undefined): string => {
    const address = url ?? fake.webhookUrl;
    if (address === undefined) throw new TypeError('fake WhatsApp: pass `url` or set `webhookUrl`');
    return address;
  };

  const fake: FakeWhatsApp = {
    url: server.url,
    phoneNumberId,
    accessToken,
    appSecret,
    wabaId,
    webhookUrl,
    requests: server.requests,
    messages,
    failNext(...next) {
      faults.push(...next);
    },
    async sendStatuses(statuses, { url, entries = 1 } = {}) {
      const body = statusNotification({ wabaId, phoneNumberId }, statuses, messages, entries);
      return fake.postSigned({ body, url: target(url) });
    },
    async postSigned({ url, body, appSecret: secret, signature }) {
      const raw = typeof body === 'string' ? body : metaJson(body);
      const header =
        signature === undefined
          ? whatsappSignature({ appSecret: secret ?? appSecret, rawBody: raw })
          : signature;
      return postCallback(
        target(url),
        {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          ...(header === null ? {} : { 'x-hub-signature-256': header }),
        },
        raw,
      );
    },
    async verifyWebhook({ verifyToken, challenge = String(randomInt(1, 2 ** 31 - 1)), url }) {
      const address = new URL(target(url));
      address.searchParams.set('hub.mode', 'subscribe');
      address.searchParams.set('hub.challenge', challenge);
      address.searchParams.set('hub.verify_token', verifyToken);
      return postCallback(address.toString(), { 'user-agent': 'facebookplatform/1.0' }, '', 'GET');
    },
    stop: () => server.stop(),
  };
  return fake;
}
