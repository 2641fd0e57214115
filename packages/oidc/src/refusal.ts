import { CheckpointError } from '@checkpoint/core';

/**
 * Why an SSO callback was refused: the one entry of `CheckpointError.reasons` of an
 * `authentication_failed` error raised by this package. Stable: switch on it; the message is for
 * people.
 *
 * @example if (isCheckpointError(err) && err.reasons.includes('oidc:acr_not_satisfied')) offerOtp();
 * @see OWASP ASVS 5 V10.1.2, V10.2.2, V10.5.1–V10.5.4, V6.8.4
 */
export type SsoFailureReason =
  /** No such transaction: never started here, already used, expired, or lost with the session. */
  | 'oidc:transaction_unknown'
  /** The transaction was started for another tenant. */
  | 'oidc:tenant_mismatch'
  /** The response's `state` is not the transaction's (CSRF, or a callback from another login). */
  | 'oidc:state_mismatch'
  /** The response or the ID token comes from another issuer than the tenant's IdP (mix-up). */
  | 'oidc:issuer_mismatch'
  /** The IdP answered with an OAuth error (`access_denied`, `unmet_authentication_requirements`, …). */
  | 'oidc:idp_error'
  /** The token endpoint refused the code (used before, PKCE verifier wrong, client refused). */
  | 'oidc:token_request_failed'
  /** The ID token's `nonce` is not the transaction's (token injection or replay). */
  | 'oidc:nonce_mismatch'
  /** The ID token was not issued to this client (`aud`, `azp`). */
  | 'oidc:audience_mismatch'
  /** The ID token is past its `exp`. */
  | 'oidc:id_token_expired'
  /** The ID token is missing or malformed in another way (`sub`, `iat`, `auth_time` in the future). */
  | 'oidc:id_token_invalid'
  /** The `acr` returned is none of the `acr_values` asked for (or absent). */
  | 'oidc:acr_not_satisfied'
  /** The `acrs` returned holds none of the authentication contexts asked for (or is absent). */
  | 'oidc:acrs_not_satisfied'
  /** The `amr` returned meets none of the conditions of the step-up (or is absent). */
  | 'oidc:amr_not_satisfied'
  /** `max_age` was sent and the ID token has no `auth_time`. */
  | 'oidc:auth_time_missing'
  /** The user authenticated at the IdP longer ago than `max_age` allows. */
  | 'oidc:auth_time_stale'
  /** The authorization response is malformed (no `code`). */
  | 'oidc:response_invalid'
  /** The IdP could not be reached, or its metadata is not what was configured. */
  | 'oidc:idp_unavailable';

/**
 * @internal The `authentication_failed` error for `reason`. Nothing from the IdP's response goes
 * into the message beyond an OAuth error code, so it is safe to show and to log.
 */
export function refuse(
  reason: SsoFailureReason,
  message: string,
  cause?: unknown,
): CheckpointError {
  // An IdP that cannot be reached is an outage (503), not a refusal of the user.
  const code = reason === 'oidc:idp_unavailable' ? 'idp_unavailable' : 'authentication_failed';
  return new CheckpointError(code, `SSO refused: ${message}`, {
    reasons: [reason],
    ...(cause === undefined ? {} : { cause }),
  });
}
