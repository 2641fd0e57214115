// "Bring your own MFA" from an Auth0-shaped IdP: amr ["mfa"] (and the PAPE multi-factor acr) only
// in a login that performed MFA, nothing about methods otherwise.
import { evaluate } from '@checkpoint/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOGINS,
  loginAt,
  PAPE_MFA,
  REDIRECT_URI,
  SHAPES,
  stateWith,
  trusting,
} from './fixtures/idpShapes.js';
import { expectRefused } from './fixtures/sso.js';
import { stepUpAtIdp } from './stepUpAtIdp.js';
import { startTestIdp, type TestIdp } from './testing/index.js';

let auth0: TestIdp;

beforeAll(async () => {
  auth0 = await startTestIdp({
    ...SHAPES.auth0,
    login: LOGINS.auth0.password,
    redirectUris: [REDIRECT_URI],
  });
});

afterAll(() => auth0.close());

const byAmr = () => trusting(auth0, { amr: [{ allOf: ['mfa'], aal: 2 }] });

describe('an Auth0 login trusted by amr', () => {
  it('counts amr ["mfa"] as AAL2', async () => {
    const { factor } = await (await loginAt(auth0, { login: LOGINS.auth0.mfa })).callback();
    expect(factor.amr).toEqual(['mfa']);
    expect(evaluate('billing_change', stateWith(factor), byAmr(), Date.now())).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('counts a login whose token carries no amr at all as the weakest method', async () => {
    const { factor, claims } = await (await loginAt(auth0)).callback();
    expect(claims.amr).toBeUndefined();
    expect(factor.amr).toEqual([]);
    expect(evaluate('billing_change', stateWith(factor), byAmr(), Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });

  it('steps up with prompt=login, since Auth0 reports amr only for a login that performed MFA', async () => {
    const tenant = byAmr();
    const { factor } = await (await loginAt(auth0)).callback();
    const evaluation = evaluate('billing_change', stateWith(factor), tenant, Date.now());
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: auth0.issuer });
    expect(stepUp).toEqual({ amr: [{ allOf: ['mfa'] }], maxAge: 300, prompt: 'login' });
    await expectRefused((await loginAt(auth0, { stepUp })).callback(), 'oidc:amr_not_satisfied');
    const stepped = await (await loginAt(auth0, { stepUp, login: LOGINS.auth0.mfa })).callback();
    expect(
      evaluate('billing_change', stateWith(factor, stepped.factor), tenant, Date.now()),
    ).toMatchObject({ satisfied: true });
  });
});

describe('an Auth0 login trusted by acr and amr', () => {
  const both = () => trusting(auth0, { acr: { [PAPE_MFA]: 2 }, amr: [{ allOf: ['mfa'], aal: 2 }] });

  it('asks for MFA with the PAPE multi-factor acr_values Auth0 documents', async () => {
    const tenant = both();
    const { factor } = await (await loginAt(auth0)).callback();
    const evaluation = evaluate('billing_change', stateWith(factor), tenant, Date.now());
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: auth0.issuer });
    expect(stepUp).toEqual({ acrValues: [PAPE_MFA], maxAge: 300 });

    const { url, callback } = await loginAt(auth0, { stepUp, login: LOGINS.auth0.mfa });
    expect(url.searchParams.get('acr_values')).toBe(PAPE_MFA);
    const stepped = await callback();
    expect(stepped.factor).toMatchObject({ acr: PAPE_MFA, amr: ['mfa'] });
    expect(evaluate('billing_change', stateWith(stepped.factor), tenant, Date.now())).toMatchObject(
      { satisfied: true, aal: 2 },
    );
  });
});
