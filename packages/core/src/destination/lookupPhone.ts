import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CheckpointError } from '../errors/CheckpointError.js';

/** Line types as libphonenumber-js's metadata knows them, lower-cased; `unknown` when it cannot tell. */
export type LineType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'voip'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

/** What `lookup` knows of a number. Provider fields appear only when a LookupProvider supplied them. */
export interface LookupResult {
  e164: string;
  /** ISO 3166-1 alpha-2, or `undefined` for non-geographic numbers. */
  country: string | undefined;
  lineType: LineType;
  valid: boolean;
  carrier?: string;
  /** Age of the last SIM swap in seconds, when a provider reports one. */
  simSwapAgeSeconds?: number;
  reassigned?: boolean;
}

/** Adds carrier-level facts to a lookup (Twilio Lookup and the like). Configured by the app. */
export interface LookupProvider {
  lookup(
    e164: string,
  ): Promise<
    Partial<Pick<LookupResult, 'carrier' | 'simSwapAgeSeconds' | 'reassigned' | 'lineType'>>
  >;
}

/**
 * Looks a number up in libphonenumber-js's full ("max") metadata: E.164 form, country, line type,
 * validity. Nothing is invented: carrier and SIM-swap facts come only from a LookupProvider.
 * @example lookupPhone('+14155550100') // { e164: '+14155550100', country: 'US', lineType: 'fixed_line_or_mobile', valid: true }
 */
export function lookupPhone(input: unknown, defaultCountry?: string): LookupResult {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) {
    throw new CheckpointError(
      'invalid_number',
      'a phone number must be a string of 1 to 64 characters',
    );
  }
  const parsed = parsePhoneNumberFromString(input, {
    ...(defaultCountry === undefined ? {} : { defaultCountry: defaultCountry as never }),
    extract: false,
  });
  if (parsed === undefined) throw new CheckpointError('invalid_number', 'not a phone number');
  const valid = parsed.isValid();
  const type = valid ? parsed.getType() : undefined;
  return {
    e164: parsed.number,
    country: parsed.country,
    lineType: type === undefined ? 'unknown' : (type.toLowerCase() as LineType),
    valid,
  };
}
