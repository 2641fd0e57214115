import type { Destination } from '../destination/normalizeDestination.js';

/** @internal Where a number sits, for the prefix and country counters. */
export interface NumberScopes {
  /** The number without its last `prefixDigits` digits, e.g. `+4479111` (a block of 10,000 numbers). */
  prefix: string;
  /** ISO 3166-1 alpha-2, or `+<calling code>` for non-geographic numbers (`+882`). */
  country: string;
}

/**
 * @internal
 * The prefix block and country of a phone destination. Sequential-number attacks walk one block;
 * pumping partners own whole ranges, so blocks are where their traffic shows.
 */
export function scopesOf(
  phone: NonNullable<Destination['phone']>,
  prefixDigits: number,
): NumberScopes {
  const digits = phone.e164.length - 1;
  const keep = Math.max(phone.callingCode.length + 1, digits - prefixDigits);
  return {
    prefix: phone.e164.slice(0, 1 + Math.min(digits, keep)),
    country: phone.country ?? `+${phone.callingCode}`,
  };
}
