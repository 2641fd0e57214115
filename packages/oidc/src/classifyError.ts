import type { CheckpointError } from '@checkpoint/core';
import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client';
import { refuse } from './refusal.js';

/** What openid-client (oauth4webapi underneath) puts in an error's `cause`. */
interface Detail {
  claim?: unknown;
  claims?: unknown;
}

/**
 * @internal Turns what openid-client throws while completing a callback into the
 * `authentication_failed` refusal with a stable reason. Decided on the library's error classes,
 * codes and the claim it names, never on message text.
 */
export function classifyError(
  error: unknown,
  { maxAgeSent }: { maxAgeSent: boolean },
): CheckpointError {
  if (error instanceof AuthorizationResponseError) {
    return refuse('oidc:idp_error', `the IdP answered ${safeCode(error.error)}`, error);
  }
  if (error instanceof ResponseBodyError) {
    return refuse(
      'oidc:token_request_failed',
      `the token endpoint answered ${safeCode(error.error)}`,
      error,
    );
  }
  if (!(error instanceof ClientError)) {
    // fetch failures (TypeError), timeouts (DOMException) and anything unforeseen.
    return refuse('oidc:idp_unavailable', 'the IdP could not be reached', error);
  }
  const detail = detailOf(error);
  const claim = typeof detail?.claim === 'string' ? detail.claim : undefined;
  const claims = isRecord(detail?.claims) ? detail.claims : undefined;
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'nonce') return refuse('oidc:nonce_mismatch', 'wrong nonce', error);
      if (claim === 'aud' || claim === 'azp') {
        return refuse('oidc:audience_mismatch', 'ID token not issued to this client', error);
      }
      if (claim === 'iss')
        return refuse('oidc:issuer_mismatch', 'ID token of another issuer', error);
      return refuse(
        'oidc:id_token_invalid',
        `unexpected ${claim ?? 'claim'} in the ID token`,
        error,
      );
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      if (claim === 'exp') return refuse('oidc:id_token_expired', 'the ID token expired', error);
      if (claim === 'auth_time') {
        return refuse('oidc:auth_time_stale', 'the IdP login is older than max_age', error);
      }
      return refuse('oidc:id_token_invalid', `the ID token's ${claim ?? 'time'} is wrong`, error);
    case 'OAUTH_INVALID_RESPONSE':
      // A required claim is missing: openid-client names it only in the message, so look.
      if (claims !== undefined && maxAgeSent && claims['auth_time'] === undefined) {
        return refuse('oidc:auth_time_missing', 'max_age was sent and auth_time is missing', error);
      }
      if (claims !== undefined && claims['nonce'] === undefined) {
        return refuse('oidc:nonce_mismatch', 'the ID token has no nonce', error);
      }
      if (claims !== undefined) return refuse('oidc:id_token_invalid', 'malformed ID token', error);
      return refuse('oidc:response_invalid', 'malformed response from the IdP', error);
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
      return refuse('oidc:token_request_failed', 'the token endpoint failed', error);
    default:
      return refuse('oidc:response_invalid', 'unexpected response from the IdP', error);
  }
}

/** @internal An OAuth error code as sent, when it looks like one (it comes from the URL: never echo more). */
export function safeCode(code: unknown): string {
  return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : 'an error';
}

function detailOf(error: Error): Detail | undefined {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 3 && isRecord(current); depth += 1) {
    if ('claim' in current || 'claims' in current) return current;
    current = current['cause'];
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
