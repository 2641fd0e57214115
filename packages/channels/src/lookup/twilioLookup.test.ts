import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTwilioLookup, startFakeTwilioLookup } from '../testing/index.js';
import type { FakeLookupNumber } from '../testing/twilio/lookupApi.js';
import { twilioLookup } from './twilioLookup.js';

const SECRET = 'channels-lookup-tests-secret-0123456789abc';
const MOBILE = '+447400123456';
const NOW = Date.parse('2026-11-22T12:00:00Z');

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function fakeLookup(
  numbers: Record<string, FakeLookupNumber> = {},
): Promise<FakeTwilioLookup> {
  const lookup = await startFakeTwilioLookup({ numbers });
  stops.push(() => lookup.stop());
  return lookup;
}

function provider(lookup: FakeTwilioLookup, extra: { timeoutMs?: number; retries?: number } = {}) {
  return twilioLookup({
    accountSid: lookup.accountSid,
    authToken: lookup.authToken,
    baseUrl: lookup.url,
    now: () => NOW,
    ...extra,
  });
}

describe('twilioLookup', () => {
  it('asks Lookup v2 for line type intelligence and SIM swap, with Basic auth', async () => {
    const lookup = await fakeLookup({
      [MOBILE]: {
        carrierName: 'EE',
        simSwap: { lastSimSwapDate: new Date(NOW - 3_600_000).toISOString() },
      },
    });
    expect(await provider(lookup).lookup(MOBILE)).toEqual({
      lineType: 'mobile',
      carrier: 'EE',
      simSwapAgeSeconds: 3_600,
    });
    const [request] = lookup.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/v2/PhoneNumbers/${encodeURIComponent(MOBILE)}`);
    expect(request?.query.get('Fields')).toBe('line_type_intelligence,sim_swap');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${lookup.accountSid}:${lookup.authToken}`).toString('base64')}`,
    );
  });

  it('reports landlines and VoIP numbers, and only what Twilio says', async () => {
    const lookup = await fakeLookup({
      '+442030123456': { lineType: 'landline', carrierName: 'BT' },
      '+14155550100': { lineType: 'nonFixedVoip', carrierName: 'Google Voice' },
    });
    const twilio = provider(lookup);
    expect(await twilio.lookup('+442030123456')).toEqual({ lineType: 'fixed_line', carrier: 'BT' });
    expect(await twilio.lookup('+14155550100')).toEqual({
      lineType: 'voip',
      carrier: 'Google Voice',
    });
  });

  it('asks only for the packages it is told to', async () => {
    const lookup = await fakeLookup({ [MOBILE]: { simSwap: { swappedInPeriod: true } } });
    const lineOnly = twilioLookup({
      accountSid: lookup.accountSid,
      authToken: lookup.authToken,
      baseUrl: lookup.url,
      fields: ['line_type_intelligence'],
    });
    expect(await lineOnly.lookup(MOBILE)).toEqual({ lineType: 'mobile', carrier: 'Fake Mobile' });
    expect(lookup.requests[0]?.query.get('Fields')).toBe('line_type_intelligence');
  });

  it('throws channel_unavailable on refused credentials, after retrying a 500, and on a timeout', async () => {
    const lookup = await fakeLookup();
    const wrong = twilioLookup({
      accountSid: lookup.accountSid,
      authToken: 'not-the-token',
      baseUrl: lookup.url,
    });
    await expect(wrong.lookup(MOBILE)).rejects.toMatchObject({
      code: 'channel_unavailable',
      reasons: ['twilio:20003', 'http:401'],
    });

    lookup.failNext('server_error');
    await expect(provider(lookup).lookup(MOBILE)).resolves.toMatchObject({ lineType: 'mobile' });

    lookup.failNext('timeout');
    await expect(provider(lookup, { timeoutMs: 200 }).lookup(MOBILE)).rejects.toMatchObject({
      code: 'channel_unavailable',
      reasons: ['twilio:timeout'],
    });
  });

  it('refuses bad options at construction', () => {
    const base = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token' };
    expect(() => twilioLookup({ ...base, accountSid: 'nope' })).toThrow(TypeError);
    expect(() => twilioLookup({ ...base, fields: [] })).toThrow(TypeError);
    expect(() => twilioLookup({ ...base, fields: ['caller_name' as never] })).toThrow(TypeError);
  });
});

describe('twilioLookup as the LookupProvider of a checkpoint', () => {
  function setup(lookup: FakeTwilioLookup) {
    const sms = outboxChannel({ name: 'sms' });
    const voice = outboxChannel({ name: 'voice' });
    const email = outboxChannel({ name: 'email', kind: 'email' });
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms, voice, email],
      lookupProvider: provider(lookup),
    });
    return { checkpoint, sms, voice, email };
  }

  it('adds carrier facts to lookup() and sends a recently swapped number no SMS and no call', async () => {
    const lookup = await fakeLookup({
      [MOBILE]: { carrierName: 'EE', simSwap: { swappedPeriod: 'PT24H', swappedInPeriod: true } },
    });
    const { checkpoint, sms, voice } = setup(lookup);
    expect(await checkpoint.lookup(MOBILE)).toEqual({
      e164: MOBILE,
      country: 'GB',
      lineType: 'mobile',
      valid: true,
      carrier: 'EE',
      simSwapAgeSeconds: 0,
    });
    const sent = await checkpoint.send({
      to: { phone: MOBILE, email: 'ada@example.com' },
      purpose: 'password_reset',
    });
    expect(sent.channel).toBe('email');
    expect(sms.messages).toHaveLength(0);
    expect(voice.messages).toHaveLength(0);
    await expect(checkpoint.send({ to: MOBILE, purpose: 'login' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['sim_swap:recent'],
    });
  });

  it('calls a number Twilio says is VoIP instead of texting it', async () => {
    const lookup = await fakeLookup({ '+14155550100': { lineType: 'nonFixedVoip' } });
    const { checkpoint } = setup(lookup);
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'login' })).resolves.toMatchObject({
      channel: 'voice',
    });
  });

  it('texts as usual when Lookup is down: the send goes on with libphonenumber-js facts', async () => {
    const lookup = await fakeLookup();
    const { checkpoint } = setup(lookup);
    lookup.failNext('unavailable', 'unavailable');
    await expect(checkpoint.send({ to: MOBILE, purpose: 'login' })).resolves.toMatchObject({
      channel: 'sms',
    });
  });
});
