import { CheckpointError, MemoryStore, type Store } from '@checkpoint/core';
import {
  buildAuthorizationUrl,
  type CustomFetch,
  calculatePKCECodeChallenge,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { completeCallback } from './completeCallback.js';
import { checkIdpConfig, type IdpConfig, type IdpSource } from './IdpConfig.js';
import { IdpDirectory } from './IdpDirectory.js';
import { localPath } from './localPath.js';
import type { SsoAssertion } from './readAssertion.js';
import { refuse } from './refusal.js';
import { checkStepUp, type StepUp } from './StepUp.js';
import { stepUpParams } from './stepUpParams.js';
import { Transactions } from './Transactions.js';

/**
 * Options of {@link createSso}.
 *
 * @example const options: SsoOptions = { idps: { acme: idp }, redirectUri: 'https://app.example/sso/callback', store };
 */
export interface SsoOptions {
  /** Each tenant's IdP. */
  idps: IdpSource;
  /** This app's callback URL, registered at every IdP. */
  redirectUri: string;
  /** Where login transactions are kept as single-use tickets. @default new MemoryStore() (one process only) */
  store?: Store;
  /** Epoch milliseconds; also the clock of openid-client's ID token checks. @default Date.now */
  now?: () => number;
  /** How long a started login may take to come back. @default 600 */
  transactionTtlSeconds?: number;
  /** Timeout of each request to an IdP. @default 10 */
  timeoutSeconds?: number;
  /** Allow `http://` IdPs. For tests against a local IdP only. @default false */
  allowInsecureRequests?: boolean;
  /** A fetch for requests to IdPs (openid-client's `customFetch`), e.g. for a proxy. */
  fetch?: CustomFetch;
}

/**
 * What {@link Sso.start} needs: the tenant whose IdP to use, where to go afterwards, and what a
 * step-up demands.
 *
 * @example await sso.start({ tenantId: 'acme', returnTo: '/billing', stepUp: { acrValues: ['urn:acme:mfa'], maxAge: 300 } });
 */
export interface StartInput {
  tenantId: string;
  /**
   * A path on this app ('/billing'), handed back by callback() normalised ('/a/../b' as '/b').
   * Other URLs are refused, also a path whose dot segments resolve to another host ('/.//host').
   */
  returnTo?: string;
  stepUp?: StepUp;
  /** Passed to the IdP as `login_hint`. */
  loginHint?: string;
}

/**
 * What {@link Sso.start} gives: the IdP URL to redirect the browser to, and the transaction id to
 * keep in the browser's session (e.g. `req.session.ssoTransaction`) until the callback.
 *
 * @example res.redirect(303, (await sso.start({ tenantId })).url.href);
 */
export interface StartResult {
  url: URL;
  transaction: string;
}

/**
 * What {@link Sso.callback} needs: the tenant, the URL the IdP sent the browser to (absolute, or
 * `req.originalUrl`), and the transaction id kept in this browser's session.
 *
 * @example await sso.callback({ tenantId, currentUrl: req.originalUrl, transaction: req.session.ssoTransaction });
 */
export interface CallbackInput {
  tenantId: string;
  currentUrl: URL | string;
  /** Undefined when the session lost it: the callback is then refused. */
  transaction: string | undefined;
}

/**
 * A verified login: {@link SsoAssertion} plus the `returnTo` given to start() and the raw ID token
 * (for RP-initiated logout's `id_token_hint`).
 *
 * @example const { subject, factor, returnTo } = await sso.callback(input);
 */
export interface SsoResult extends SsoAssertion {
  idToken: string;
  returnTo?: string;
}

/**
 * Enterprise SSO for a multi-tenant app: authorization code flow with PKCE (S256), state and nonce.
 *
 * @example const { url, transaction } = await sso.start({ tenantId: 'acme' });
 */
export interface Sso {
  /** Starts a login (or a step-up) at the tenant's IdP. */
  start(input: StartInput): Promise<StartResult>;
  /**
   * Completes it: the code is exchanged and the ID token checked by openid-client, then what it
   * leaves to the app is checked here (see readAssertion). The transaction is used up whatever
   * the outcome.
   * @throws CheckpointError `authentication_failed` (reasons: one SsoFailureReason), `invalid_request`
   */
  callback(input: CallbackInput): Promise<SsoResult>;
}

/**
 * Creates the SSO side of Checkpoint on openid-client v6. Each login is a transaction kept in the
 * Store as a single-use ticket; the browser's session keeps only its id.
 *
 * @example
 * const sso = createSso({ idps: { acme: { issuer, clientId, clientSecret } }, redirectUri, store });
 * const { url, transaction } = await sso.start({ tenantId: 'acme', returnTo: '/' });
 * req.session.ssoTransaction = transaction;
 * res.redirect(303, url.href);
 * // later, at redirectUri:
 * const result = await sso.callback({ tenantId: 'acme', currentUrl: req.originalUrl, transaction: req.session.ssoTransaction });
 * @see OpenID Connect Core 1.0 §3.1; RFC 7636 (PKCE); RFC 9207 (iss); OWASP ASVS 5 V10.1.2, V10.5
 */
export function createSso({
  idps,
  redirectUri,
  store = new MemoryStore(),
  now = Date.now,
  transactionTtlSeconds = 600,
  timeoutSeconds = 10,
  allowInsecureRequests = false,
  fetch,
}: SsoOptions): Sso {
  if (typeof idps !== 'function' && (typeof idps !== 'object' || idps === null)) {
    throw new TypeError('createSso needs idps: a record of IdpConfig by tenant id, or a function');
  }
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) {
    throw new TypeError("createSso needs redirectUri, this app's absolute callback URL");
  }
  if (!Number.isInteger(transactionTtlSeconds) || transactionTtlSeconds < 1) {
    throw new TypeError('createSso needs transactionTtlSeconds to be a whole number of seconds');
  }
  if (typeof timeoutSeconds !== 'number' || !(timeoutSeconds > 0)) {
    throw new TypeError('createSso needs timeoutSeconds to be a positive number of seconds');
  }
  const directory = new IdpDirectory({ allowInsecureRequests, fetch, timeoutSeconds });
  const transactions = new Transactions(store, transactionTtlSeconds);

  async function idpOf(tenantId: unknown): Promise<IdpConfig | undefined> {
    if (typeof tenantId !== 'string' || tenantId === '') {
      throw new CheckpointError('invalid_request', 'tenantId must be a non-empty string');
    }
    const idp =
      typeof idps === 'function'
        ? await idps(tenantId)
        : Object.hasOwn(idps, tenantId)
          ? idps[tenantId]
          : undefined;
    return idp === undefined ? undefined : checkIdpConfig(idp, tenantId);
  }

  return {
    async start({ tenantId, returnTo, stepUp, loginHint }) {
      const idp = await idpOf(tenantId);
      if (idp === undefined) {
        throw new CheckpointError('invalid_request', 'this tenant has no SSO configured');
      }
      const back = returnTo === undefined ? undefined : localPath(returnTo);
      if (returnTo !== undefined && back === undefined) {
        throw new CheckpointError('invalid_request', "returnTo must be a path on this app ('/…')");
      }
      if (loginHint !== undefined && typeof loginHint !== 'string') {
        throw new CheckpointError('invalid_request', 'loginHint must be a string');
      }
      const demand = checkStepUp(stepUp);
      const config = await directory.configuration(idp, now());
      const server = config.serverMetadata();
      const codeVerifier = randomPKCECodeVerifier();
      const state = randomState();
      const nonce = randomNonce();
      const url = buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: scopeOf(idp),
        code_challenge: await calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(loginHint === undefined ? {} : { login_hint: loginHint }),
        ...stepUpParams(demand, {
          claimsParameter: idp.claimsParameter ?? server.claims_parameter_supported === true,
        }),
      });
      const transaction = await transactions.open(
        {
          tenantId,
          issuer: idp.issuer,
          redirectUri,
          state,
          nonce,
          codeVerifier,
          ...(demand === undefined ? {} : { stepUp: demand }),
          ...(back === undefined ? {} : { returnTo: back }),
        },
        now(),
      );
      return { url, transaction };
    },

    async callback({ tenantId, currentUrl, transaction }) {
      if (!(currentUrl instanceof URL) && typeof currentUrl !== 'string') {
        throw new CheckpointError('invalid_request', 'currentUrl must be the callback URL');
      }
      if (typeof currentUrl === 'string' && !URL.canParse(currentUrl, redirectUri)) {
        throw new CheckpointError('invalid_request', 'currentUrl is not a URL');
      }
      if (typeof tenantId !== 'string' || tenantId === '') {
        throw new CheckpointError('invalid_request', 'tenantId must be a non-empty string');
      }
      // Taken first: any attempt, even one refused below, uses the transaction up.
      const record = await transactions.take(transaction, now());
      if (record === undefined) {
        throw refuse(
          'oidc:transaction_unknown',
          'no such login in progress (used, expired or lost)',
        );
      }
      if (record.tenantId !== tenantId) {
        throw refuse('oidc:tenant_mismatch', 'the login was started for another tenant');
      }
      const idp = await idpOf(tenantId);
      if (idp === undefined || idp.issuer !== record.issuer) {
        throw refuse('oidc:issuer_mismatch', "the tenant's IdP changed during the login");
      }
      const config = await directory.configuration(idp, now());
      return completeCallback({
        config,
        record,
        currentUrl: new URL(currentUrl, redirectUri),
        now,
      });
    },
  };
}

function scopeOf(idp: IdpConfig): string {
  const scopes = (idp.scope ?? '').split(' ').filter((scope) => scope !== '');
  return [...new Set(['openid', ...scopes])].join(' ');
}
