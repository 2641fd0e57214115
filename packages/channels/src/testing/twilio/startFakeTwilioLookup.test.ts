import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTwilioLookup, startFakeTwilioLookup } from './startFakeTwilioLookup.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function fake(): Promise<FakeTwilioLookup> {
  const lookup = await startFakeTwilioLookup();
  stops.push(() => lookup.stop());
  return lookup;
}

async function get(lookup: FakeTwilioLookup, path: string) {
  const response = await fetch(`${lookup.url}${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${lookup.accountSid}:${lookup.authToken}`).toString('base64')}`,
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('startFakeTwilioLookup', () => {
  it('answers an unlisted valid number as a mobile never swapped, other packages null', async () => {
    const lookup = await fake();
    const { status, body } = await get(
      lookup,
      '/v2/PhoneNumbers/%2B447400123456?Fields=line_type_intelligence,sim_swap',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      phone_number: '+447400123456',
      country_code: 'GB',
      valid: true,
      caller_name: null,
      sms_pumping_risk: null,
      line_type_intelligence: { type: 'mobile', error_code: null },
      sim_swap: {
        last_sim_swap: {
          last_sim_swap_date: null,
          swapped_period: 'PT48H',
          swapped_in_period: false,
        },
        error_code: null,
      },
    });
  });

  it('answers an invalid number with valid: false and no packages', async () => {
    const lookup = await fake();
    const { body } = await get(lookup, '/v2/PhoneNumbers/%2B15555555555?Fields=sim_swap');
    expect(body).toMatchObject({ valid: false, sim_swap: null, line_type_intelligence: null });
  });

  it("answers Twilio's errors for an unknown package, a wrong path and wrong credentials", async () => {
    const lookup = await fake();
    expect(await get(lookup, '/v2/PhoneNumbers/%2B447400123456?Fields=horoscope')).toMatchObject({
      status: 400,
      body: { code: 60200 },
    });
    expect(await get(lookup, '/v1/PhoneNumbers/%2B447400123456')).toMatchObject({
      status: 404,
      body: { code: 20404 },
    });
    const anonymous = await fetch(`${lookup.url}/v2/PhoneNumbers/%2B447400123456`);
    expect(anonymous.status).toBe(401);
  });
});
