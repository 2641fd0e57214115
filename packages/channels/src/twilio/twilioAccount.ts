import { CheckpointError, maskPhone } from '@checkpoint/core';
import { httpSettings, httpUrl, requiredString } from '../http/channelOptions.js';
import { objectOf, reasonsOf, unavailableFromResponse } from '../http/channelErrors.js';
import { providerRequest } from '../http/providerRequest.js';

/** Options every Twilio channel takes. */
export interface TwilioAccountOptions {
  /** `AC` followed by 32 hex characters. */
  accountSid: string;
  authToken: string;
  /** Where Twilio POSTs status callbacks (signed); see `parseTwilioStatus`. */
  statusCallbackUrl?: string;
  /** @default 'https://api.twilio.com' */
  baseUrl?: string;
  /** Per request attempt. @default 10000 */
  timeoutMs?: number;
  /** Retries on 429, 5xx and network errors. @default 2 */
  retries?: number;
  /** @default Date.now */
  now?: () => number;
}

/** @internal A checked Twilio account. */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  statusCallbackUrl?: string;
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  now: () => number;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/**
 * Twilio error codes that say the number itself is wrong: not a phone number, or not one that
 * can receive SMS. Everything else means the channel cannot deliver right now.
 * @see https://www.twilio.com/docs/api/errors
 */
const INVALID_NUMBER: ReadonlyMap<number, string> = new Map([
  [21211, 'is not a valid phone number'],
  [21217, 'is not a valid phone number'],
  [21401, 'is not a valid phone number'],
  [13224, 'is not a valid phone number'],
  [21614, 'is not a mobile number'],
]);

/** @internal Checks the options shared by the Twilio factories. */
export function twilioAccount(factory: string, options: TwilioAccountOptions): TwilioAccount {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${factory} requires an options object: { accountSid, authToken, … }`);
  }
  const accountSid = requiredString(
    factory,
    'accountSid',
    options.accountSid,
    'AC followed by 32 hex characters',
  );
  if (!ACCOUNT_SID.test(accountSid)) {
    throw new TypeError(`${factory}: \`accountSid\` must be AC followed by 32 hex characters`);
  }
  const account: TwilioAccount = {
    accountSid,
    authToken: requiredString(factory, 'authToken', options.authToken),
    ...httpSettings(factory, {
      baseUrl: options.baseUrl ?? 'https://api.twilio.com',
      timeoutMs: options.timeoutMs,
      retries: options.retries,
    }),
    now: options.now ?? Date.now,
  };
  if (options.statusCallbackUrl !== undefined) {
    account.statusCallbackUrl = httpUrl(factory, 'statusCallbackUrl', options.statusCallbackUrl);
  }
  return account;
}

/**
 * @internal
 * POSTs a form to a resource of the account's REST API (`Messages.json`, `Calls.json`) and
 * returns the created resource's SID and status. Maps every failure to a CheckpointError.
 */
export async function createTwilioResource(
  account: TwilioAccount,
  {
    label,
    resource,
    to,
    form,
  }: { label: string; resource: string; to: string; form: URLSearchParams },
): Promise<{ sid: string; status: string | undefined }> {
  const destination = maskPhone(to);
  const response = await providerRequest({
    label,
    reasonPrefix: 'twilio',
    destination,
    url: `${account.baseUrl}/2010-04-01/Accounts/${account.accountSid}/${resource}`,
    headers: {
      authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
    timeoutMs: account.timeoutMs,
    retries: account.retries,
  });
  const body = objectOf(response.json);
  const sid = body.sid;
  if (
    response.status >= 200 &&
    response.status < 300 &&
    typeof sid === 'string' &&
    sid.length > 0
  ) {
    return { sid, status: typeof body.status === 'string' ? body.status : undefined };
  }
  const fault = typeof body.code === 'number' ? { code: body.code } : {};
  const invalid = fault.code === undefined ? undefined : INVALID_NUMBER.get(fault.code);
  if (invalid !== undefined && response.status >= 400 && response.status < 500) {
    throw new CheckpointError(
      'invalid_number',
      `${label}: ${destination} ${invalid} (Twilio error ${fault.code})`,
      { reasons: reasonsOf('twilio', response, fault) },
    );
  }
  throw unavailableFromResponse(
    label,
    { name: 'Twilio', reasonPrefix: 'twilio' },
    destination,
    response,
    fault,
  );
}
