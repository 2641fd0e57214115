import { checkStepUp, type StepUp } from './StepUp.js';

/**
 * The authorization request parameters that ask an IdP for a step-up and for the claims this
 * package judges a login by: `acr_values`, `max_age` and `prompt` when demanded, and, when the
 * IdP takes the OIDC `claims` parameter, `auth_time` and `amr`, `acr` (essential with the
 * demanded values: plain `acr_values` is only a voluntary request, which an IdP may ignore) and,
 * for Microsoft Entra authentication contexts, an essential `acrs` (`value` for one context, as
 * Entra documents it, `values` for several).
 *
 * For `openid-client/passport`: return these from an overridden `authorizationRequestParams`
 * (see the README). {@link createSso}'s `start()` sends the same.
 *
 * @param claimsParameter whether the IdP takes the `claims` parameter (`claims_parameter_supported`)
 * @throws TypeError when `acrs` is demanded of an IdP that does not take the `claims` parameter
 * @example
 * stepUpParams({ acrValues: ['urn:acme:mfa'], maxAge: 300 }, { claimsParameter: true });
 * // { acr_values: 'urn:acme:mfa', max_age: '300', claims: '{"id_token":{"auth_time":{"essential":true},"amr":null,"acr":{"essential":true,"values":["urn:acme:mfa"]}}}' }
 * stepUpParams({ acrs: ['c1'], maxAge: 300, prompt: 'login' }, { claimsParameter: true });
 * // { max_age: '300', prompt: 'login', claims: '{"id_token":{…,"acrs":{"essential":true,"value":"c1"}}}' }
 * @see OpenID Connect Core 1.0 §3.1.2.1, §5.5, §5.5.1, §5.5.1.1; RFC 9470 §4
 */
export function stepUpParams(
  stepUp: StepUp | undefined,
  { claimsParameter }: { claimsParameter: boolean },
): Record<string, string> {
  const demand = checkStepUp(stepUp);
  const acrValues = demand?.acrValues ?? [];
  const acrs = demand?.acrs ?? [];
  if (acrs.length > 0 && !claimsParameter) {
    throw new TypeError(
      'stepUp.acrs (authentication contexts) can only be asked for through the claims parameter, which this IdP does not take: set claimsParameter: true in its IdpConfig if it does (Microsoft Entra does)',
    );
  }
  const params: Record<string, string> = {};
  if (acrValues.length > 0) params['acr_values'] = acrValues.join(' ');
  if (demand?.maxAge !== undefined) params['max_age'] = String(demand.maxAge);
  if (demand?.prompt !== undefined) params['prompt'] = demand.prompt;
  if (claimsParameter) {
    params['claims'] = JSON.stringify({
      id_token: {
        auth_time: { essential: true },
        amr: null,
        acr: acrValues.length > 0 ? { essential: true, values: acrValues } : null,
        ...(acrs.length === 0
          ? {}
          : {
              acrs:
                acrs.length === 1
                  ? { essential: true, value: acrs[0] }
                  : { essential: true, values: acrs },
            }),
      },
    });
  }
  return params;
}
