import { lookupPhone } from '@checkpoint/core';
import type { HttpReply } from '../startHttpServer.js';
import { twilioError } from './twilioApi.js';

/** Line Type Intelligence `type` values. */
export type TwilioLineTypeName =
  | 'mobile'
  | 'landline'
  | 'fixedVoip'
  | 'nonFixedVoip'
  | 'personal'
  | 'tollFree'
  | 'premium'
  | 'sharedCost'
  | 'uan'
  | 'voicemail'
  | 'pager'
  | 'unknown';

/** What the fake Lookup knows of one number. Unlisted numbers are mobiles never swapped. */
export interface FakeLookupNumber {
  /** @default 'mobile' */
  lineType?: TwilioLineTypeName;
  /** @default 'Fake Mobile' */
  carrierName?: string;
  /**
   * The SIM Swap package: a swap date (ISO 8601), or only whether the SIM changed within a
   * period (`PT48H`), or a package error code (e.g. 60606, package not enabled / no coverage).
   * @default { lastSimSwapDate: null, swappedPeriod: 'PT48H', swappedInPeriod: false }
   */
  simSwap?:
    | { lastSimSwapDate?: string | null; swappedPeriod?: string; swappedInPeriod?: boolean }
    | { errorCode: number };
  /** Line Type Intelligence error code instead of an answer (e.g. 60600, unprovisioned). */
  lineTypeErrorCode?: number;
}

/** Lookup v2 data packages, as `Fields` names them. */
const PACKAGES = [
  'caller_name',
  'sim_swap',
  'call_forwarding',
  'line_status',
  'line_type_intelligence',
  'identity_match',
  'reassigned_number',
  'sms_pumping_risk',
  'phone_number_quality_score',
  'pre_fill',
  'validation',
] as const;

/**
 * @internal
 * The Lookup v2 `PhoneNumbers` resource for `e164` with the packages `fields` asks for, as
 * Twilio documents it: every package key present, `null` unless asked for.
 * @see https://www.twilio.com/docs/lookup/v2-api
 */
export function phoneNumberResource(
  e164: string,
  fields: readonly string[],
  facts: FakeLookupNumber,
): HttpReply {
  const unknown = fields.find((field) => !(PACKAGES as readonly string[]).includes(field));
  if (unknown !== undefined) {
    return twilioError(400, 60200, `Invalid parameter: Fields contains '${unknown}'`);
  }
  let found: ReturnType<typeof lookupPhone> | undefined;
  try {
    found = lookupPhone(e164);
  } catch {
    found = undefined;
  }
  const valid = found?.valid === true && found.e164 === e164;
  const body: Record<string, unknown> = {
    calling_country_code: null,
    country_code: valid ? (found?.country ?? null) : null,
    phone_number: e164,
    national_format: null,
    valid,
    validation_errors: valid ? [] : ['INVALID_BUT_POSSIBLE'],
    url: `https://lookups.twilio.com/v2/PhoneNumbers/${e164}`,
  };
  for (const name of PACKAGES) body[name] = null;
  if (!valid) return { status: 200, body };
  const carrier = facts.carrierName ?? 'Fake Mobile';
  const network = { mobile_country_code: '234', mobile_network_code: '10' };
  if (fields.includes('line_type_intelligence')) {
    body.line_type_intelligence =
      facts.lineTypeErrorCode === undefined
        ? { ...network, carrier_name: carrier, type: facts.lineType ?? 'mobile', error_code: null }
        : {
            ...nulls(network),
            carrier_name: null,
            type: null,
            error_code: facts.lineTypeErrorCode,
          };
  }
  if (fields.includes('sim_swap')) {
    const swap = facts.simSwap ?? {};
    body.sim_swap =
      'errorCode' in swap
        ? { last_sim_swap: null, carrier_name: null, ...nulls(network), error_code: swap.errorCode }
        : {
            last_sim_swap: {
              last_sim_swap_date: swap.lastSimSwapDate ?? null,
              swapped_period: swap.swappedPeriod ?? 'PT48H',
              swapped_in_period: swap.swappedInPeriod ?? false,
            },
            carrier_name: carrier,
            ...network,
            error_code: null,
          };
  }
  return { status: 200, body };
}

function nulls(value: Record<string, unknown>): Record<string, null> {
  return Object.fromEntries(Object.keys(value).map((key) => [key, null]));
}
