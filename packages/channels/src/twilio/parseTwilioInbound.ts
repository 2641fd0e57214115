import { CheckpointError } from '@checkpoint/core';
import { param, type TwilioParams } from './twilioParams.js';

/** The carrier keywords an inbound SMS can carry. */
export type TwilioKeyword = 'STOP' | 'HELP' | 'START';

/** An inbound SMS, as {@link parseTwilioInbound} reads it. */
export interface TwilioInboundMessage {
  /** The sender, E.164. */
  from: string;
  /** The number or short code that received it. */
  to?: string;
  body: string;
  /** The carrier keyword the whole body is, if any. */
  keyword: TwilioKeyword | undefined;
  messageSid?: string;
}

/**
 * The standard opt-out, help and opt-in keywords (CTIA, as Twilio's default handling of
 * them). The body must be the keyword alone, in any case, surrounding spaces ignored.
 * @see https://help.twilio.com/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-
 */
export const TWILIO_KEYWORDS: Readonly<Record<string, TwilioKeyword>> = {
  STOP: 'STOP',
  STOPALL: 'STOP',
  UNSUBSCRIBE: 'STOP',
  CANCEL: 'STOP',
  END: 'STOP',
  QUIT: 'STOP',
  HELP: 'HELP',
  INFO: 'HELP',
  START: 'START',
  YES: 'START',
  UNSTOP: 'START',
};

/**
 * Reads Twilio's inbound-message webhook: sender, body and the carrier keyword (STOP, HELP,
 * START) the message is. When Twilio's Advanced Opt-Out already classified it (`OptOutType`),
 * that classification wins, so custom keywords configured at Twilio count too. Validate the
 * signature first. Throws `invalid_request` when `From` is missing.
 *
 * @example
 * const inbound = parseTwilioInbound(req.body);
 * if (inbound.keyword === 'STOP') await optOuts.add(tenantId, inbound.from);
 */
export function parseTwilioInbound(params: TwilioParams): TwilioInboundMessage {
  const from = param(params, 'From');
  if (from === undefined || from.length === 0) {
    throw new CheckpointError('invalid_request', 'not a Twilio inbound message: `From` is missing');
  }
  const body = param(params, 'Body') ?? '';
  const to = param(params, 'To');
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const optOutType = param(params, 'OptOutType')?.toUpperCase();
  const keyword =
    optOutType === 'STOP' || optOutType === 'HELP' || optOutType === 'START'
      ? optOutType
      : keywordOf(body);
  return {
    from,
    ...(to === undefined ? {} : { to }),
    body,
    keyword,
    ...(messageSid === undefined ? {} : { messageSid }),
  };
}

function keywordOf(body: string): TwilioKeyword | undefined {
  const word = body.trim().toUpperCase();
  return Object.hasOwn(TWILIO_KEYWORDS, word) ? TWILIO_KEYWORDS[word] : undefined;
}
