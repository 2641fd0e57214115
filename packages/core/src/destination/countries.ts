/**
 * Countries refused by default: those under comprehensive US (OFAC) embargo programmes that
 * cover telecommunications services — Cuba, Iran and North Korea. Syria's programme was ended
 * in 2025 and is not listed. Regions (Crimea, so-called DNR/LNR) share Ukraine's calling code
 * and cannot be told apart by number. Review with counsel; override with
 * `configure(tenantId, { countries: { sanctioned: [...] } })`.
 */
export const DEFAULT_SANCTIONED_COUNTRIES: readonly string[] = Object.freeze(['CU', 'IR', 'KP']);

/** A tenant's country policy for phone destinations. ISO 3166-1 alpha-2 codes. */
export interface CountryPolicy {
  /** When set, only these countries are served. */
  allow?: readonly string[];
  /** Always refused (checked before `allow`). */
  deny?: readonly string[];
  /** Refused unless listed in `allow`; defaults to {@link DEFAULT_SANCTIONED_COUNTRIES}. */
  sanctioned?: readonly string[];
}

/**
 * @internal
 * Why a country is refused, or `undefined` when it may be served.
 * Order: explicit deny, then the allowlist, then the sanctions list (an explicit allow wins over it).
 */
export function countryRefusal(
  country: string | undefined,
  policy: CountryPolicy,
): string | undefined {
  const code = country ?? 'ZZ';
  if (policy.deny?.includes(code)) return `country:denied:${code}`;
  if (policy.allow !== undefined) {
    return policy.allow.includes(code) ? undefined : `country:not_allowed:${code}`;
  }
  const sanctioned = policy.sanctioned ?? DEFAULT_SANCTIONED_COUNTRIES;
  if (sanctioned.includes(code)) return `country:sanctioned:${code}`;
  return undefined;
}
