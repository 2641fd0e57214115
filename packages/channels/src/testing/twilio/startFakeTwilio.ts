import { randomBytes } from 'node:crypto';
import { twilioSignature } from '../../twilio/validateTwilioSignature.js';
import type { FakeFault } from '../FakeFault.js';
import { type CallbackResponse, postCallback } from '../postCallback.js';
import { type RecordedRequest, startHttpServer } from '../startHttpServer.js';
import {
  createCall,
  createMessage,
  type FakeTwilioCall,
  type FakeTwilioMessage,
  twilioError,
  twilioFault,
} from './twilioApi.js';
import { callStatusParams, inboundParams, messageStatusParams } from './twilioCallbacks.js';

/** Options of {@link startFakeTwilio}. */
export interface FakeTwilioOptions {
  /** @default a random `AC…` */
  accountSid?: string;
  /** @default 32 random hex characters */
  authToken?: string;
}

/** Input of {@link FakeTwilio.postSigned}: what to post, and how to (mis)sign it. */
export interface TwilioCallbackInput {
  url: string;
  params: Readonly<Record<string, string | readonly string[]>>;
  /** Sign this URL instead of `url` (a wrong host or path). */
  signUrl?: string;
  /** Sign with this token instead of the account's. */
  authToken?: string;
  /** Send this header value instead of a computed signature; `null` sends none. */
  signature?: string | null;
}

/** A local stand-in for Twilio's REST API (Messages and Calls) and its webhooks. */
export interface FakeTwilio {
  /** Base URL for `twilioSms({ baseUrl })` / `twilioVoice({ baseUrl })`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  readonly messages: readonly FakeTwilioMessage[];
  readonly calls: readonly FakeTwilioCall[];
  /** Scripts the answers of the next API requests, one fault each, in order. */
  failNext(...faults: FakeFault[]): void;
  /**
   * Sends a signed status callback for a message or call this fake created, to its
   * `StatusCallback` (or `url`), as Twilio would: form-encoded, `X-Twilio-Signature`.
   */
  sendStatus(input: {
    sid: string;
    status: string;
    errorCode?: string;
    url?: string;
  }): Promise<CallbackResponse>;
  /** Sends a signed inbound SMS webhook (for STOP / HELP / START handling). */
  sendInbound(input: {
    url: string;
    from: string;
    body: string;
    /** @default '+15005550006' */
    to?: string;
  }): Promise<CallbackResponse>;
  /** Posts any form, signed as Twilio would, or deliberately not. */
  postSigned(input: TwilioCallbackInput): Promise<CallbackResponse>;
  /** Closes the server and every connection, hanging ones included. */
  stop(): Promise<void>;
}

const API = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

/**
 * Starts a fake Twilio on 127.0.0.1 and a free port. It checks Basic auth and the form fields
 * of the Messages and Calls APIs, answers with Twilio's JSON resources (`SM…` / `CA…` SIDs) or
 * its error bodies (`{ code, message, more_info, status }`), records every request, plays
 * scripted faults, and signs the callbacks it sends back.
 *
 * @example
 * const twilio = await startFakeTwilio();
 * const sms = twilioSms({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', baseUrl: twilio.url, statusCallbackUrl });
 * twilio.failNext('server_error'); // the next send gets a 500, its retry succeeds
 * await twilio.sendStatus({ sid: twilio.messages[0].sid, status: 'delivered' });
 * await twilio.stop();
 */
export async function startFakeTwilio({
  accountSid = `AC${randomBytes(16).toString('hex')}`,
  authToken = randomBytes(16).toString('hex'),
}: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const faults: FakeFault[] = [];
  const messages: FakeTwilioMessage[] = [];
  const calls: FakeTwilioCall[] = [];
  const sequence = new Map<string, number>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const server = await startHttpServer((request) => {
    const route = request.method === 'POST' ? API.exec(request.path) : null;
    if (route === null) return twilioError(404, 20404, 'The requested resource was not found');
    const fault = faults.shift();
    if (fault !== undefined) return twilioFault(fault);
    if (request.headers.authorization !== expectedAuth || route[1] !== accountSid) {
      return twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.');
    }
    const form = new URLSearchParams(request.body.toString('utf8'));
    if (route[2] === 'Messages') {
      const { reply, message } = createMessage(accountSid, form);
      if (message !== undefined) messages.push(message);
      return reply;
    }
    const { reply, call } = createCall(accountSid, form);
    if (call !== undefined) calls.push(call);
    return reply;
  });

  async function postSigned({
    url,
    params,
    signUrl,
    authToken: token,
    signature,
  }: TwilioCallbackInput): Promise<CallbackResponse> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
    }
    const header =
      signature === undefined
        ? twilioSignature({ authToken: token ?? authToken, url: signUrl ?? url, params: form })
        : signature;
    return postCallback(
      url,
      {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'user-agent': 'TwilioProxy/1.1',
        'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        ...(header === null ? {} : { 'x-twilio-signature': header }),
      },
      form.toString(),
    );
  }

  return {
    url: server.url,
    accountSid,
    authToken,
    requests: server.requests,
    messages,
    calls,
    failNext(...next) {
      faults.push(...next);
    },
    async sendStatus({ sid, status, errorCode, url }) {
      const message = messages.find((item) => item.sid === sid);
      const call = calls.find((item) => item.sid === sid);
      const target = url ?? message?.statusCallback ?? call?.statusCallback;
      if (target === undefined) {
        throw new TypeError(
          `fake Twilio: no message or call ${sid} with a StatusCallback; pass \`url\``,
        );
      }
      const error = errorCode === undefined ? {} : { ErrorCode: errorCode };
      if (call !== undefined) {
        const next = (sequence.get(sid) ?? -1) + 1;
        sequence.set(sid, next);
        return postSigned({
          url: target,
          params: { ...callStatusParams(accountSid, call, status, next), ...error },
        });
      }
      return postSigned({
        url: target,
        params: { ...messageStatusParams(accountSid, sid, status, message), ...error },
      });
    },
    async sendInbound({ url, from, body, to = '+15005550006' }) {
      return postSigned({ url, params: inboundParams(accountSid, from, to, body) });
    },
    postSigned,
    stop: () => server.stop(),
  };
}
