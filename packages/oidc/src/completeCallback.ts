import { safeEqual } from '@checkpoint/core';
import { authorizationCodeGrant, type Configuration } from 'openid-client';
import { classifyError, safeCode } from './classifyError.js';
import type { SsoResult } from './createSso.js';
import { readAssertion } from './readAssertion.js';
import { refuse } from './refusal.js';
import type { TransactionRecord } from './Transactions.js';

/**
 * @internal Checks the authorization response against the transaction, exchanges the code and
 * checks the ID token. The response is read off `currentUrl` but sent back under the redirect
 * URI of the transaction, so that a proxy that rewrote the scheme or host cannot make the token
 * request fail (as openid-client's passport strategy does with `callbackURL`).
 */
export async function completeCallback({
  config,
  record,
  currentUrl,
  now,
}: {
  config: Configuration;
  record: TransactionRecord;
  currentUrl: URL;
  now: () => number;
}): Promise<SsoResult> {
  const params = currentUrl.searchParams;
  const response = new URL(record.redirectUri);
  for (const [name, value] of params) response.searchParams.append(name, value);

  // Checked here too, before openid-client, so that each refusal has its own stable reason.
  if (!safeEqual(params.get('state') ?? '', record.state)) {
    throw refuse('oidc:state_mismatch', 'the response belongs to another login');
  }
  const iss = params.get('iss');
  const server = config.serverMetadata();
  if (
    (iss !== null && iss !== record.issuer) ||
    (iss === null && server.authorization_response_iss_parameter_supported === true)
  ) {
    // RFC 9207: the response names the IdP that sent it; another IdP's response is a mix-up.
    throw refuse('oidc:issuer_mismatch', 'the response comes from another issuer');
  }
  const error = params.get('error');
  if (error !== null) throw refuse('oidc:idp_error', `the IdP answered ${safeCode(error)}`);
  if (params.get('code') === null)
    throw refuse('oidc:response_invalid', 'the response has no code');

  const maxAge = record.stepUp?.maxAge;
  let tokens: Awaited<ReturnType<typeof authorizationCodeGrant>>;
  try {
    tokens = await authorizationCodeGrant(config, response, {
      pkceCodeVerifier: record.codeVerifier,
      expectedState: record.state,
      expectedNonce: record.nonce,
      idTokenExpected: true,
      ...(maxAge === undefined ? {} : { maxAge }),
    });
  } catch (caught) {
    throw classifyError(caught, { maxAgeSent: maxAge !== undefined });
  }
  const assertion = readAssertion(tokens.claims(), {
    issuer: record.issuer,
    stepUp: record.stepUp,
    now: now(),
  });
  return {
    ...assertion,
    idToken: tokens.id_token ?? '',
    ...(record.returnTo === undefined ? {} : { returnTo: record.returnTo }),
  };
}
