import { randomBytes } from 'node:crypto';
import type { FakeFault } from '../FakeFault.js';
import type { HttpReply } from '../startHttpServer.js';

/** A message the fake Twilio accepted (`POST …/Messages.json`). */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  validityPeriod?: number;
  /** Every form field, as posted. */
  form: URLSearchParams;
}

/** A call the fake Twilio accepted (`POST …/Calls.json`). */
export interface FakeTwilioCall {
  sid: string;
  to: string;
  from: string;
  twiml?: string;
  statusCallback?: string;
  statusCallbackEvents: string[];
  form: URLSearchParams;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** @internal Twilio's error body: `{ code, message, more_info, status }`. */
export function twilioError(
  status: number,
  code: number,
  message: string,
  detail?: string,
): HttpReply {
  return {
    status,
    body: {
      code,
      message,
      ...(detail === undefined ? {} : { detail }),
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    },
  };
}

/** @internal The answer Twilio gives for a named fault. */
export function twilioFault(fault: FakeFault): HttpReply | 'hang' {
  switch (fault) {
    case 'timeout':
      return 'hang';
    case 'server_error':
      return twilioError(500, 20500, 'Internal Server Error');
    case 'unavailable':
      return twilioError(503, 20503, 'Service Unavailable');
    case 'invalid_number':
      return twilioError(400, 21211, "Invalid 'To' Phone Number");
    case 'not_mobile':
      return twilioError(400, 21614, "'To' number is not a valid mobile number");
    case 'unauthorized':
      return twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.');
    case 'bad_request':
      return twilioError(
        400,
        21606,
        "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination.",
      );
    case 'rate_limited':
      return twilioError(429, 20429, 'Too Many Requests');
    default:
      return fault;
  }
}

/** @internal Creates a Message resource from a posted form, as the Messages API does. */
export function createMessage(
  accountSid: string,
  form: URLSearchParams,
): { reply: HttpReply; message?: FakeTwilioMessage } {
  const to = form.get('To');
  const from = form.get('From') ?? undefined;
  const service = form.get('MessagingServiceSid') ?? undefined;
  const body = form.get('Body');
  if (to === null || to === '') {
    return { reply: twilioError(400, 21604, "A 'To' phone number is required.") };
  }
  if (!E164.test(to)) return { reply: twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`) };
  if (from === undefined && service === undefined) {
    return { reply: twilioError(400, 21603, "A 'From' phone number is required.") };
  }
  if (body === null || body === '') {
    return { reply: twilioError(400, 21602, 'Message body is required.') };
  }
  const validity = form.get('ValidityPeriod');
  const callback = form.get('StatusCallback');
  const message: FakeTwilioMessage = {
    sid: `SM${randomBytes(16).toString('hex')}`,
    to,
    body,
    form,
    ...(from === undefined ? {} : { from }),
    ...(service === undefined ? {} : { messagingServiceSid: service }),
    ...(callback === null ? {} : { statusCallback: callback }),
    ...(validity === null ? {} : { validityPeriod: Number(validity) }),
  };
  const now = new Date().toUTCString();
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}`;
  return {
    message,
    reply: {
      status: 201,
      body: {
        account_sid: accountSid,
        api_version: '2010-04-01',
        body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid: message.sid,
        // A Messaging Service answers `accepted` and picks the sender later.
        status: service === undefined ? 'queued' : 'accepted',
        subresource_uris: { media: `${uri}/Media.json` },
        to,
        uri: `${uri}.json`,
      },
    },
  };
}

/** @internal Creates a Call resource from a posted form, as the Calls API does. */
export function createCall(
  accountSid: string,
  form: URLSearchParams,
): { reply: HttpReply; call?: FakeTwilioCall } {
  const to = form.get('To');
  const from = form.get('From');
  if (to === null || to === '')
    return { reply: twilioError(400, 21201, "No 'To' number is specified") };
  if (!E164.test(to)) {
    return { reply: twilioError(400, 21217, 'Phone number does not appear to be valid') };
  }
  if (from === null || from === '') {
    return { reply: twilioError(400, 21213, "No 'From' number is specified") };
  }
  if (!form.has('Twiml') && !form.has('Url') && !form.has('ApplicationSid')) {
    return { reply: twilioError(400, 21205, 'Url parameter is required.') };
  }
  const twiml = form.get('Twiml');
  const callback = form.get('StatusCallback');
  const call: FakeTwilioCall = {
    sid: `CA${randomBytes(16).toString('hex')}`,
    to,
    from,
    form,
    statusCallbackEvents: form.getAll('StatusCallbackEvent'),
    ...(twiml === null ? {} : { twiml }),
    ...(callback === null ? {} : { statusCallback: callback }),
  };
  return {
    call,
    reply: {
      status: 201,
      body: {
        account_sid: accountSid,
        annotation: null,
        answered_by: null,
        api_version: '2010-04-01',
        caller_name: null,
        date_created: null,
        date_updated: null,
        direction: 'outbound-api',
        duration: null,
        end_time: null,
        forwarded_from: null,
        from,
        from_formatted: from,
        group_sid: null,
        parent_call_sid: null,
        phone_number_sid: null,
        price: null,
        price_unit: 'USD',
        queue_time: '0',
        sid: call.sid,
        start_time: null,
        status: 'queued',
        subresource_uris: {},
        to,
        to_formatted: to,
        trunk_sid: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json`,
      },
    },
  };
}
