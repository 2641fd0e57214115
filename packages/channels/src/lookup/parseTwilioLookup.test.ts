import { describe, expect, it } from 'vitest';
import { parseTwilioLookup } from './parseTwilioLookup.js';

const NOW = Date.parse('2020-06-01T00:00:00Z');

/** The shape of Twilio's documented Lookup v2 example, with both packages asked for. */
function resource(overrides: Record<string, unknown> = {}) {
  return {
    calling_country_code: '44',
    country_code: 'GB',
    phone_number: '+447772000001',
    national_format: '07772 000001',
    valid: true,
    validation_errors: [],
    caller_name: null,
    sim_swap: {
      last_sim_swap: {
        last_sim_swap_date: '2020-04-27T10:18:50Z',
        swapped_period: 'PT15282H33M44S',
        swapped_in_period: true,
      },
      carrier_name: 'Vodafone UK',
      mobile_country_code: '276',
      mobile_network_code: '02',
      error_code: null,
    },
    call_forwarding: null,
    line_status: null,
    line_type_intelligence: {
      error_code: null,
      mobile_country_code: '234',
      mobile_network_code: '15',
      carrier_name: 'Vodafone UK',
      type: 'mobile',
    },
    identity_match: null,
    reassigned_number: null,
    sms_pumping_risk: null,
    phone_number_quality_score: null,
    pre_fill: null,
    url: 'https://lookups.twilio.com/v2/PhoneNumbers/+447772000001',
    ...overrides,
  };
}

describe('parseTwilioLookup', () => {
  it('reads line type, carrier and the age of the last SIM swap', () => {
    expect(parseTwilioLookup(resource(), NOW)).toEqual({
      lineType: 'mobile',
      carrier: 'Vodafone UK',
      simSwapAgeSeconds: Math.floor((NOW - Date.parse('2020-04-27T10:18:50Z')) / 1_000),
    });
  });

  it.each([
    ['landline', 'fixed_line'],
    ['fixedVoip', 'voip'],
    ['nonFixedVoip', 'voip'],
    ['tollFree', 'toll_free'],
    ['premium', 'premium_rate'],
    ['sharedCost', 'shared_cost'],
    ['personal', 'personal_number'],
  ])("maps Twilio's %s to %s", (type, lineType) => {
    const body = resource({
      sim_swap: null,
      line_type_intelligence: { error_code: null, carrier_name: 'X', type },
    });
    expect(parseTwilioLookup(body, NOW)).toEqual({ lineType, carrier: 'X' });
  });

  it('adds no line type for unknown, and nothing from a package with an error code', () => {
    expect(
      parseTwilioLookup(
        resource({
          line_type_intelligence: { error_code: null, carrier_name: null, type: 'unknown' },
          sim_swap: { last_sim_swap: null, carrier_name: null, error_code: 60606 },
        }),
        NOW,
      ),
    ).toEqual({});
  });

  it('reads "swapped within the period" without a date as the most recent possible swap', () => {
    const swap = (swapped: boolean) =>
      resource({
        line_type_intelligence: null,
        sim_swap: {
          last_sim_swap: {
            last_sim_swap_date: null,
            swapped_period: 'PT48H',
            swapped_in_period: swapped,
          },
          carrier_name: 'EE',
          error_code: null,
        },
      });
    expect(parseTwilioLookup(swap(true), NOW)).toEqual({ carrier: 'EE', simSwapAgeSeconds: 0 });
    expect(parseTwilioLookup(swap(false), NOW)).toEqual({ carrier: 'EE' });
  });

  it('adds nothing for a number Twilio calls invalid, or for a body that is not a resource', () => {
    expect(parseTwilioLookup(resource({ valid: false }), NOW)).toEqual({});
    expect(parseTwilioLookup('<html>', NOW)).toEqual({});
    expect(parseTwilioLookup(null, NOW)).toEqual({});
  });
});
