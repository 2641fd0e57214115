import { randomBytes } from 'node:crypto';
import type { FakeFault } from '../FakeFault.js';
import { type RecordedRequest, startHttpServer } from '../startHttpServer.js';
import { type FakeLookupNumber, phoneNumberResource } from './lookupApi.js';
import { twilioError, twilioFault } from './twilioApi.js';

/** Options of {@link startFakeTwilioLookup}. */
export interface FakeTwilioLookupOptions {
  /** @default a random `AC…` */
  accountSid?: string;
  /** @default 32 random hex characters */
  authToken?: string;
  /** What the fake knows of particular numbers (E.164 keys). */
  numbers?: Readonly<Record<string, FakeLookupNumber>>;
}

/** A local stand-in for Twilio Lookup v2 (`GET /v2/PhoneNumbers/{PhoneNumber}`). */
export interface FakeTwilioLookup {
  /** Base URL for `twilioLookup({ baseUrl })`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Sets (or replaces) what the fake answers for a number. */
  setNumber(e164: string, facts: FakeLookupNumber): void;
  /** Scripts the answers of the next requests, one fault each, in order. */
  failNext(...faults: FakeFault[]): void;
  stop(): Promise<void>;
}

const ROUTE = /^\/v2\/PhoneNumbers\/([^/]+)$/;

/**
 * Starts a fake Twilio Lookup v2 on 127.0.0.1 and a free port. It checks Basic auth, answers
 * `GET /v2/PhoneNumbers/{PhoneNumber}?Fields=…` with the documented resource (Line Type
 * Intelligence and SIM Swap packages filled from `numbers`, other packages `null`, invalid
 * numbers `valid: false`), Twilio's error bodies for bad fields, bad credentials and scripted
 * faults, and records every request.
 *
 * @example
 * const lookup = await startFakeTwilioLookup({ numbers: { '+447400123456': { simSwap: { lastSimSwapDate: new Date().toISOString() } } } });
 * const provider = twilioLookup({ accountSid: lookup.accountSid, authToken: lookup.authToken, baseUrl: lookup.url });
 */
export async function startFakeTwilioLookup({
  accountSid = `AC${randomBytes(16).toString('hex')}`,
  authToken = randomBytes(16).toString('hex'),
  numbers = {},
}: FakeTwilioLookupOptions = {}): Promise<FakeTwilioLookup> {
  const known = new Map(Object.entries(numbers));
  const faults: FakeFault[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const server = await startHttpServer((request) => {
    const route = request.method === 'GET' ? ROUTE.exec(request.path) : null;
    if (route === null) return twilioError(404, 20404, 'The requested resource was not found');
    const fault = faults.shift();
    if (fault !== undefined) return twilioFault(fault);
    if (request.headers.authorization !== expectedAuth) {
      return twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.');
    }
    const e164 = decodeURIComponent(route[1] ?? '');
    const fields = (request.query.get('Fields') ?? '')
      .split(',')
      .map((field) => field.trim())
      .filter((field) => field.length > 0);
    return phoneNumberResource(e164, fields, known.get(e164) ?? {});
  });
  return {
    url: server.url,
    accountSid,
    authToken,
    requests: server.requests,
    setNumber(e164, facts) {
      known.set(e164, facts);
    },
    failNext(...next) {
      faults.push(...next);
    },
    stop: () => server.stop(),
  };
}
