import { checkStepUp, type StepUp } from './IdpConfig.js';

/**
 * The authorization request parameters that ask an IdP for a step-up and for the claims this
 * package judges a login by: `acr_values` and `max_age` when demanded, and, when the IdP takes the
 * OIDC `claims` parameter, `auth_time` and `amr`, and `acr` (essential with the demanded values:
 * plain `acr_values` is only a voluntary request, which an IdP may ignore).
 *
 * For `openid-client/passport`: return these from an overridden `authorizationRequestParams`
 * (see the README). {@link createSso}'s `start()` sends the same.
 *
 * @param claimsParameter whether the IdP takes the `claims` parameter (`claims_parameter_supported`)
 * @example
 * stepUpParams({ acrValues: ['urn:acme:mfa'], maxAge: 300 }, { claimsParameter: true });
 * // { acr_values: 'urn:acme:mfa', max_age: '300', claims: '{"id_token":{"auth_time":{"essential":true},"amr":null,"acr":{"essential":true,"values":["urn:acme:mfa"]}}}' }
 * @see OpenID Connect Core 1.0 §3.1.2.1, §5.5, §5.5.1.1; RFC 9470 §4
 */
export function stepUpParams(
  stepUp: StepUp | undefined,
  { claimsParameter }: { claimsParameter: boolean },
): Record<string, string> {
  const demand = checkStepUp(stepUp);
  const acrValues = demand?.acrValues ?? [];
  const params: Record<string, string> = {};
  if (acrValues.length > 0) params['acr_values'] = acrValues.join(' ');
  if (demand?.maxAge !== undefined) params['max_age'] = String(demand.maxAge);
  if (claimsParameter) {
    params['claims'] = JSON.stringify({
      id_token: {
        auth_time: { essential: true },
        amr: null,
        acr: acrValues.length > 0 ? { essential: true, values: acrValues } : null,
      },
    });
  }
  return params;
}
