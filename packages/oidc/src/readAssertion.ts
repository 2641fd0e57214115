import { amrMeets, type Factor, factor } from '@checkpoint/policy';
import type { IDToken } from 'openid-client';
import type { StepUp } from './StepUp.js';
import { refuse } from './refusal.js';
import { ssoUserKey } from './ssoUserKey.js';

/**
 * Who signed in: the issuer, the IdP's `sub`, and {@link ssoUserKey} of the two, the key to look
 * the local user up by.
 *
 * @example const user = await users.findBySsoKey(result.subject.key);
 * @see OWASP ASVS 5 V6.8.1
 */
export interface SsoSubject {
  issuer: string;
  sub: string;
  key: string;
}

/**
 * A verified IdP login: who, the ID token's claims, and the `sso` factor to add to the session's
 * AuthState (`addFactor(state, factor)` from @checkpoint/policy).
 *
 * @example state = addFactor(state, assertion.factor);
 * @see OpenID Connect Core 1.0 §2; OWASP ASVS 5 V6.8.4
 */
export interface SsoAssertion {
  subject: SsoSubject;
  claims: IDToken;
  factor: Factor;
}

/**
 * Options of {@link readAssertion}.
 *
 * @example const options: ReadAssertionOptions = { issuer, stepUp: { maxAge: 300 }, now: Date.now() };
 */
export interface ReadAssertionOptions {
  /** The configured issuer; the ID token's `iss` must be exactly this. */
  issuer: string;
  /** What the authorization request demanded, if anything. */
  stepUp?: StepUp | undefined;
  /** Epoch milliseconds. */
  now: number;
  /** Leeway for `auth_time` against `max_age` and the clock, as openid-client allows. @default 30 */
  clockToleranceSeconds?: number;
}

/**
 * Checks what openid-client leaves to the app in a validated ID token's claims, and builds the
 * `sso` factor: `iss` exactly the configured issuer; the `acr` one of the demanded `acr_values`;
 * the `acrs` claim holding one of the demanded authentication contexts; the `amr` meeting one of
 * the demanded conditions; `auth_time` present and within `max_age` when one was sent, and never
 * in the future. Absent or malformed `acr`/`amr` are left out of the factor, which policy then
 * counts as the weakest method (a password); of `acrs`, only the contexts asked for are kept.
 * Absent `auth_time` gives `at: 0`: a login of unknown age is never fresh, whatever it proves.
 * An `auth_time` up to the tolerance ahead of `now` (IdP clock skew) is taken as `now`.
 *
 * @throws CheckpointError `authentication_failed` with one {@link SsoFailureReason}
 * @example const { subject, factor } = readAssertion(tokens.claims(), { issuer, stepUp, now: Date.now() });
 * @see OpenID Connect Core 1.0 §3.1.3.7 (acr, auth_time checks); OWASP ASVS 5 V6.8.4, V10.5.3
 */
export function readAssertion(
  claims: IDToken | undefined,
  { issuer, stepUp, now, clockToleranceSeconds = 30 }: ReadAssertionOptions,
): SsoAssertion {
  if (claims === undefined) throw refuse('oidc:id_token_invalid', 'no ID token was issued');
  if (claims.iss !== issuer) {
    throw refuse('oidc:issuer_mismatch', 'the ID token was issued by another issuer');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw refuse('oidc:id_token_invalid', 'the ID token has no sub');
  }
  const acr = typeof claims['acr'] === 'string' ? claims['acr'] : undefined;
  const acrValues = stepUp?.acrValues ?? [];
  if (acrValues.length > 0 && (acr === undefined || !acrValues.includes(acr))) {
    throw refuse('oidc:acr_not_satisfied', 'the IdP did not reach any of the acr values asked for');
  }
  // Only contexts this login asked for count: Entra also adds contexts unasked ("opportunistic
  // evaluation", best effort against the session), and issues a context that no Conditional
  // Access policy protects; a requested one was enforced for this very request.
  const asked = stepUp?.acrs ?? [];
  const acrs = contextsOf(claims['acrs']).filter((id) => asked.includes(id));
  if (asked.length > 0 && acrs.length === 0) {
    throw refuse(
      'oidc:acrs_not_satisfied',
      'the IdP did not meet any of the authentication contexts asked for',
    );
  }
  const amr = claims['amr'];
  const wellFormedAmr = Array.isArray(amr) && amr.every((v) => typeof v === 'string');
  const conditions = stepUp?.amr ?? [];
  if (conditions.length > 0 && !conditions.some((c) => wellFormedAmr && amrMeets(amr, c))) {
    throw refuse('oidc:amr_not_satisfied', 'the IdP login did not use the methods asked for');
  }
  const toleranceMs = clockToleranceSeconds * 1000;
  const authTime = claims.auth_time;
  if (authTime !== undefined && (typeof authTime !== 'number' || !Number.isFinite(authTime))) {
    throw refuse('oidc:id_token_invalid', 'the ID token has a malformed auth_time');
  }
  if (stepUp?.maxAge !== undefined) {
    if (authTime === undefined) {
      throw refuse('oidc:auth_time_missing', 'max_age was sent and auth_time is missing');
    }
    if (now - authTime * 1000 > stepUp.maxAge * 1000 + toleranceMs) {
      throw refuse('oidc:auth_time_stale', 'the IdP login is older than max_age');
    }
  }
  if (authTime !== undefined && authTime * 1000 > now + toleranceMs) {
    throw refuse('oidc:id_token_invalid', 'the ID token says the user authenticated in the future');
  }
  const built = factor('sso', {
    at: authTime === undefined ? 0 : Math.min(authTime * 1000, now),
    source: issuer,
    ...(acr === undefined ? {} : { acr }),
    ...(wellFormedAmr ? { amr } : {}),
    ...(acrs.length === 0 ? {} : { acrs }),
  });
  return {
    subject: { issuer, sub: claims.sub, key: ssoUserKey(issuer, claims.sub) },
    claims,
    factor: built,
  };
}

/** The `acrs` claim as a list of context ids: Entra sends an array; one string is read as one id. */
function contextsOf(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  return Array.isArray(claim) ? claim.filter((id): id is string => typeof id === 'string') : [];
}
