import type { Aal, Factor, FactorEvidence } from './Factor.js';
import type { TenantPolicy } from './TenantPolicy.js';
import {
  type AmrCondition,
  minimalAmrSets,
  provesHardwareKeyWithUv,
  type TrustedIdp,
} from './TrustedIdp.js';

/**
 * True when the `amr` claim meets `condition`: it holds every value of `allOf` and at least one
 * of `anyOf`. Anything but an array of strings meets nothing.
 *
 * @example amrMeets(['pwd', 'hwk', 'pin'], { allOf: ['hwk'], anyOf: ['pin', 'fpt'] }); // true
 * @see RFC 8176 §2
 */
export function amrMeets(amr: unknown, condition: AmrCondition): boolean {
  if (!Array.isArray(amr)) return false;
  const held = new Set(amr.filter((value): value is string => typeof value === 'string'));
  const { allOf = [], anyOf } = condition;
  return allOf.every((value) => held.has(value)) && (anyOf?.some((v) => held.has(v)) ?? true);
}

/** @internal What a tenant's trust makes of an IdP login: 0 when nothing it says is trusted. */
export interface SsoTrust {
  aal: 0 | Aal;
  phishingResistant: boolean;
}

const UNTRUSTED: SsoTrust = { aal: 0, phishingResistant: false };

// OpenID EAP ACR Values 1.0: the only acr values that say "phishing-resistant" by themselves.
const PHISHING_RESISTANT_ACR = new Set(['phr', 'phrh']);

/** The evidence of an sso factor, as held in a session (JSON: every field may be malformed). */
type SsoEvidence = Pick<Factor, 'source' | 'acr' | 'amr' | 'acrs'>;

/**
 * @internal The strongest reading of an IdP login that the tenant trusts, over the three ways an
 * IdP can be trusted: its `acr` (mapped; AAL3 only for 'phrh'), each `amr` rule the login's amr
 * meets (AAL3 only for a hardware key with user verification, enforced when the policy is
 * validated), and each authentication context of `acrs` the login holds (at most AAL2, never
 * phishing-resistant). Phishing-resistant when a match at that level is. Freshness is not judged
 * here: every way shares the factor's `at` (the IdP's `auth_time`), which the caller checks.
 */
export function ssoTrust(factor: SsoEvidence, tenant: TenantPolicy): SsoTrust {
  if (tenant.trustIdpMfa !== true || typeof factor.source !== 'string') return UNTRUSTED;
  const idp = tenant.trustedIdps?.find((candidate) => candidate.issuer === factor.source);
  if (idp === undefined) return UNTRUSTED;
  let best = UNTRUSTED;
  for (const match of matches(idp, factor)) {
    if (
      match.aal > best.aal ||
      (match.aal === best.aal && match.phishingResistant && !best.phishingResistant)
    ) {
      best = match;
    }
  }
  return best;
}

function* matches(idp: TrustedIdp, { acr, amr, acrs }: SsoEvidence): Generator<SsoTrust> {
  if (typeof acr === 'string' && idp.acr !== undefined && Object.hasOwn(idp.acr, acr)) {
    const mapped = idp.acr[acr] ?? 1;
    yield {
      aal: mapped === 3 && acr !== 'phrh' ? 2 : mapped,
      phishingResistant: PHISHING_RESISTANT_ACR.has(acr),
    };
  }
  for (const rule of idp.amr ?? []) {
    if (!amrMeets(amr, rule)) continue;
    const phishingResistant = provesHardwareKeyWithUv(rule);
    // validateTenantPolicy refuses any other rule mapped to 3; capped here all the same.
    yield { aal: rule.aal === 3 && !phishingResistant ? 2 : rule.aal, phishingResistant };
  }
  if (Array.isArray(acrs) && idp.acrs !== undefined) {
    for (const id of acrs) {
      if (typeof id !== 'string' || !Object.hasOwn(idp.acrs, id)) continue;
      yield { aal: Math.min(idp.acrs[id] ?? 1, 2) as Aal, phishingResistant: false };
    }
  }
}

/**
 * @internal The evidence a fresh login at `issuer` would need to count the most for `tenant` (an
 * acr, an amr set or an authentication context), for a hypothetical step-up at the IdP; empty
 * when the tenant trusts nothing of that IdP.
 */
export function strongestTrustedEvidence(
  issuer: unknown,
  tenant: TenantPolicy,
): Pick<FactorEvidence, 'acr' | 'amr' | 'acrs'> {
  const idp = tenant.trustedIdps?.find((candidate) => candidate.issuer === issuer);
  if (idp === undefined || typeof issuer !== 'string') return {};
  const candidates: Pick<FactorEvidence, 'acr' | 'amr' | 'acrs'>[] = [
    ...Object.keys(idp.acr ?? {}).map((acr) => ({ acr })),
    ...(idp.amr ?? []).flatMap((rule) => minimalAmrSets(rule).map((amr) => ({ amr }))),
    ...Object.keys(idp.acrs ?? {}).map((id) => ({ acrs: [id] })),
  ];
  let best: { evidence: Pick<FactorEvidence, 'acr' | 'amr' | 'acrs'>; trust: SsoTrust } = {
    evidence: {},
    trust: UNTRUSTED,
  };
  for (const evidence of candidates) {
    const trust = ssoTrust({ source: issuer, amr: [], ...evidence }, tenant);
    if (
      trust.aal > best.trust.aal ||
      (trust.aal === best.trust.aal && trust.phishingResistant && !best.trust.phishingResistant)
    ) {
      best = { evidence, trust };
    }
  }
  return best.evidence;
}
