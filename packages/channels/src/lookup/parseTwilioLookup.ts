import type { LineType, LookupProvider } from '@checkpoint/core';

/** What a LookupProvider may add to a lookup. */
export type ProviderFacts = Awaited<ReturnType<LookupProvider['lookup']>>;

/**
 * Twilio Line Type Intelligence `type` values, as Checkpoint's line types. `unknown` (and any
 * value Twilio adds later) maps to nothing: libphonenumber-js's answer then stands.
 * @see https://www.twilio.com/docs/lookup/v2-api/line-type-intelligence
 */
export const TWILIO_LINE_TYPES: Readonly<Record<string, LineType>> = Object.freeze({
  mobile: 'mobile',
  landline: 'fixed_line',
  fixedVoip: 'voip',
  nonFixedVoip: 'voip',
  personal: 'personal_number',
  tollFree: 'toll_free',
  premium: 'premium_rate',
  sharedCost: 'shared_cost',
  uan: 'uan',
  voicemail: 'voicemail',
  pager: 'pager',
});

/**
 * Reads a Twilio Lookup v2 `PhoneNumbers` resource into the facts a LookupProvider adds: line
 * type and carrier (Line Type Intelligence), age of the last SIM swap (SIM Swap). A package that
 * carries an `error_code`, or is absent, adds nothing; a number Twilio calls invalid adds nothing.
 *
 * SIM swap: with `last_sim_swap_date` the age is counted from it. Without a date, Twilio only
 * says whether the SIM changed within `swapped_period` (e.g. `PT48H`): `swapped_in_period: true`
 * becomes age 0 — the most recent it can be, so that any threshold treats it as recent — and
 * `false` adds nothing (the swap is older than the period, by how much is not known).
 *
 * @param now epoch milliseconds
 * @example parseTwilioLookup(await response.json(), Date.now()) // { lineType: 'mobile', carrier: 'Vodafone UK', simSwapAgeSeconds: 3600 }
 * @see https://www.twilio.com/docs/lookup/v2-api/sim-swap
 */
export function parseTwilioLookup(body: unknown, now: number): ProviderFacts {
  const resource = record(body);
  if (resource === undefined || resource.valid === false) return {};
  const facts: ProviderFacts = {};
  const lti = usable(resource.line_type_intelligence);
  const type = typeof lti?.type === 'string' ? TWILIO_LINE_TYPES[lti.type] : undefined;
  if (type !== undefined) facts.lineType = type;
  const swap = usable(resource.sim_swap);
  const carrier = text(lti?.carrier_name) ?? text(swap?.carrier_name);
  if (carrier !== undefined) facts.carrier = carrier;
  const last = record(swap?.last_sim_swap);
  const date = text(last?.last_sim_swap_date);
  const swappedAt = date === undefined ? Number.NaN : Date.parse(date);
  if (!Number.isNaN(swappedAt)) {
    facts.simSwapAgeSeconds = Math.max(0, Math.floor((now - swappedAt) / 1_000));
  } else if (last?.swapped_in_period === true) {
    facts.simSwapAgeSeconds = 0;
  }
  const reassigned = record(resource.reassigned_number);
  if (reassigned?.is_number_reassigned === 'yes') facts.reassigned = true;
  else if (reassigned?.is_number_reassigned === 'no') facts.reassigned = false;
  return facts;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A data package Twilio answered without an error. */
function usable(value: unknown): Record<string, unknown> | undefined {
  const data = record(value);
  return data === undefined || (data.error_code !== null && data.error_code !== undefined)
    ? undefined
    : data;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
