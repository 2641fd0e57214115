// The helpers plug into openid-client's own passport Strategy: a subclass adds the step-up
// parameters, the verify callback turns the tokens into Checkpoint's factor. Driven here without
// Express or Passport: the request and the strategy actions are what Passport would provide.
import { isCheckpointError } from '@checkpoint/core';
import * as client from 'openid-client';
import {
  type AuthenticateOptions,
  Strategy,
  type StrategyOptionsWithRequest,
  type VerifyFunctionWithRequest,
} from 'openid-client/passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_URI } from './fixtures/sso.js';
import type { StepUp } from './StepUp.js';
import { readAssertion, type SsoAssertion } from './readAssertion.js';
import { stepUpParams } from './stepUpParams.js';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

interface FakeRequest {
  method: 'GET';
  protocol: 'http';
  originalUrl: string;
  session: Record<string, unknown> & { stepUp?: StepUp | undefined };
  app: { get: () => () => boolean };
  get: (name: string) => string | undefined;
}

/** What an app's subclass looks like: the demand travels in the session to the verify callback. */
class StepUpStrategy extends Strategy {
  constructor(
    private readonly claimsParameter: boolean,
    options: StrategyOptionsWithRequest,
    verify: VerifyFunctionWithRequest,
  ) {
    super(options, verify);
  }

  override authorizationRequestParams<T extends AuthenticateOptions>(req: never, options: T) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    const { stepUp } = (req as FakeRequest).session;
    const claimsParameter = this.claimsParameter;
    for (const [name, value] of Object.entries(stepUpParams(stepUp, { claimsParameter }))) {
      params.set(name, value);
    }
    return params;
  }
}

type Outcome =
  | { action: 'redirect'; url: string }
  | { action: 'success'; user: SsoAssertion }
  | { action: 'fail'; info: unknown }
  | { action: 'error'; error: unknown };

let mfaIdp: TestIdp;
let basicIdp: TestIdp;

beforeAll(async () => {
  [mfaIdp, basicIdp] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: PASSWORD_LOGIN, claimsParameter: false, redirectUris: [REDIRECT_URI] }),
  ]);
});

afterAll(() => Promise.all([mfaIdp.close(), basicIdp.close()]));

/** The strategy an app would register for one IdP, with a verify callback built on readAssertion. */
async function strategyFor(idp: TestIdp): Promise<StepUpStrategy> {
  const config = await client.discovery(
    new URL(idp.issuer),
    idp.clientId,
    idp.clientSecret,
    client.ClientSecretBasic(idp.clientSecret),
    { execute: [client.allowInsecureRequests] },
  );
  const claimsParameter = config.serverMetadata().claims_parameter_supported === true;
  return new StepUpStrategy(
    claimsParameter,
    { config, callbackURL: REDIRECT_URI, scope: 'openid', passReqToCallback: true },
    (req, tokens, verified) => {
      const { session } = req as unknown as FakeRequest;
      const stepUp = session.stepUp;
      delete session.stepUp; // single use, like the strategy's own state
      try {
        verified(
          null,
          readAssertion(tokens.claims(), { issuer: idp.issuer, stepUp, now: Date.now() }),
        );
      } catch (error) {
        if (isCheckpointError(error) && error.code === 'authentication_failed') {
          verified(null, false, { message: error.message, reasons: error.reasons });
        } else verified(error);
      }
    },
  );
}

/** One pass through Strategy#authenticate, as Passport runs it. */
function authenticate(strategy: StepUpStrategy, req: FakeRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const actions = Object.assign(Object.create(strategy) as StepUpStrategy, {
      redirect: (url: string) => resolve({ action: 'redirect', url }),
      success: (user: SsoAssertion) => resolve({ action: 'success', user }),
      fail: (info: unknown) => resolve({ action: 'fail', info }),
      error: (error: unknown) => resolve({ action: 'error', error }),
    });
    strategy.authenticate.call(actions as never, req as never, {});
  });
}

function request(path: string, session: FakeRequest['session']): FakeRequest {
  return {
    method: 'GET',
    protocol: 'http',
    originalUrl: path,
    session,
    app: { get: () => () => false },
    get: (name) => (name === 'host' ? 'localhost:3000' : undefined),
  };
}

async function stepUpThrough(
  idp: TestIdp,
  stepUp: StepUp,
  login = {},
): Promise<{ url: URL; outcome: Outcome }> {
  const strategy = await strategyFor(idp);
  const session: FakeRequest['session'] = { stepUp };
  const started = await authenticate(strategy, request('/sso/login', session));
  if (started.action !== 'redirect') throw new Error(`expected a redirect, got ${started.action}`);
  const url = new URL(started.url);
  const callback = await idp.loginThrough(url, { login });
  const path = `${callback.pathname}${callback.search}`;
  return { url, outcome: await authenticate(strategy, request(path, session)) };
}

describe('with openid-client/passport', () => {
  it('sends the step-up parameters and signs in with the factor', async () => {
    const { url, outcome } = await stepUpThrough(mfaIdp, {
      acrValues: ['urn:test:mfa'],
      maxAge: 300,
    });
    expect(url.searchParams.get('acr_values')).toBe('urn:test:mfa');
    expect(url.searchParams.get('max_age')).toBe('300');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(outcome).toMatchObject({
      action: 'success',
      user: {
        subject: { key: `${mfaIdp.issuer}#alice` },
        factor: { method: 'sso', acr: 'urn:test:mfa' },
      },
    });
  });

  it('fails (not errors) when the IdP answers a weaker acr than asked', async () => {
    // The IdP takes no claims parameter: acr_values is voluntary and it answers its own acr.
    const { outcome } = await stepUpThrough(basicIdp, { acrValues: ['urn:test:mfa'] });
    expect(outcome).toMatchObject({
      action: 'fail',
      info: { reasons: ['oidc:acr_not_satisfied'] },
    });
  });

  it('fails a stale login through the strategy’s own max_age check', async () => {
    const { outcome } = await stepUpThrough(mfaIdp, { maxAge: 300 }, { authAgeSeconds: 900 });
    // openid-client/passport hands this to error(); @checkpoint/passport maps it (see README).
    expect(outcome.action).toBe('error');
  });
});
