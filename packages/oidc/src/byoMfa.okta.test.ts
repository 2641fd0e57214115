// "Bring your own MFA" from an Okta-shaped IdP: amr (mfa, otp, swk, hwk + pin) in every ID token,
// Okta's acr levels of assurance on request; trusted by amr rules, by acr, or both.
import { evaluate, type TenantPolicy } from '@checkpoint/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOGINS,
  loginAt,
  REDIRECT_URI,
  SHAPES,
  stateWith,
  trusting,
} from './fixtures/idpShapes.js';
import { expectRefused } from './fixtures/sso.js';
import { stepUpAtIdp } from './stepUpAtIdp.js';
import { CookieJar, startTestIdp, type TestIdp } from './testing/index.js';

let okta: TestIdp;

beforeAll(async () => {
  okta = await startTestIdp({
    ...SHAPES.okta,
    login: LOGINS.okta.password,
    redirectUris: [REDIRECT_URI],
  });
});

afterAll(() => okta.close());

/** MFA by amr; AAL3 by a hardware key with a PIN or a biometric. */
const byAmr = () =>
  trusting(okta, {
    amr: [
      { allOf: ['mfa'], aal: 2 },
      { allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'], aal: 3 },
    ],
  });

const aal3BySso = (tenant: TenantPolicy): TenantPolicy => ({
  ...tenant,
  stepUp: {
    admin_role_grant: { aal: 3, methods: ['webauthn', 'sso'] },
    data_export: { phishingResistant: true },
  },
});

describe('an Okta login trusted by amr', () => {
  it('reads the amr Okta sends unasked and counts mfa as AAL2', async () => {
    const { url, callback } = await loginAt(okta, { login: LOGINS.okta.otp });
    expect(url.searchParams.has('claims')).toBe(false);
    const { factor } = await callback();
    expect(factor).toMatchObject({ source: okta.issuer, amr: ['pwd', 'mfa', 'otp'] });
    expect(factor.at).toBeGreaterThan(Date.now() - 60_000);
    expect(evaluate('billing_change', stateWith(factor), byAmr(), Date.now())).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('counts a security key with a PIN (hwk + pin) as phishing-resistant AAL3', async () => {
    const { factor } = await (await loginAt(okta, { login: LOGINS.okta.securityKey })).callback();
    const tenant = aal3BySso(byAmr());
    const now = Date.now();
    expect(evaluate('admin_role_grant', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: true,
      aal: 3,
    });
    expect(evaluate('data_export', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: true,
    });
  });

  it('does not count Okta Verify push (swk) as phishing-resistant or AAL3', async () => {
    const { factor } = await (await loginAt(okta, { login: LOGINS.okta.push })).callback();
    const tenant = aal3BySso(byAmr());
    const now = Date.now();
    expect(evaluate('billing_change', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: true,
    });
    expect(evaluate('data_export', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: false,
      reason: 'phishing_resistance_required',
    });
    expect(evaluate('admin_role_grant', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: false,
      currentAal: 2,
    });
  });

  it('steps up with prompt=login and max_age, and takes only a fresh login whose amr meets a rule', async () => {
    const tenant = byAmr();
    const stale = await (
      await loginAt(okta, { login: { ...LOGINS.okta.otp, authAgeSeconds: 3_600 } })
    ).callback();
    const evaluation = evaluate('billing_change', stateWith(stale.factor), tenant, Date.now());
    expect(evaluation).toMatchObject({ satisfied: false, reason: 'stale' });
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: okta.issuer });
    // Either rule reaches AAL2: a login meeting one of them is taken.
    expect(stepUp).toEqual({
      amr: [{ allOf: ['mfa'] }, { allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'] }],
      maxAge: 300,
      prompt: 'login',
    });

    const weak = await loginAt(okta, { stepUp, login: LOGINS.okta.password });
    expect(weak.url.searchParams.get('prompt')).toBe('login');
    expect(weak.url.searchParams.get('max_age')).toBe('300');
    expect(weak.url.searchParams.has('acr_values')).toBe(false);
    await expectRefused(weak.callback(), 'oidc:amr_not_satisfied');

    const { factor } = await (await loginAt(okta, { stepUp, login: LOGINS.okta.otp })).callback();
    expect(
      evaluate('billing_change', stateWith(stale.factor, factor), tenant, Date.now()),
    ).toMatchObject({ satisfied: true, aal: 2 });
  });

  it('asks for an AAL3 step-up with the hardware-key rule only', async () => {
    const tenant = aal3BySso(byAmr());
    const { factor } = await (await loginAt(okta, { login: LOGINS.okta.otp })).callback();
    const evaluation = evaluate('admin_role_grant', stateWith(factor), tenant, Date.now());
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: okta.issuer });
    expect(stepUp).toEqual({
      amr: [{ allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'] }],
      maxAge: 300,
      prompt: 'login',
    });
    await expectRefused(
      (await loginAt(okta, { stepUp, login: LOGINS.okta.push })).callback(),
      'oidc:amr_not_satisfied',
    );
    const key = await (await loginAt(okta, { stepUp, login: LOGINS.okta.securityKey })).callback();
    expect(evaluate('admin_role_grant', stateWith(key.factor), tenant, Date.now())).toMatchObject({
      satisfied: true,
      aal: 3,
    });
  });

  it('makes the IdP sign in afresh: a live IdP session does not answer a prompt=login step-up', async () => {
    const jar = new CookieJar();
    await (await loginAt(okta, { jar, login: LOGINS.okta.otp })).callback();
    const amr = [{ allOf: ['mfa'] }];
    // Without prompt=login the IdP answers from its session (the MFA login of a moment ago) and
    // never sees what the user does now.
    const reused = await loginAt(okta, {
      jar,
      stepUp: { amr, maxAge: 300 },
      login: LOGINS.okta.password,
    });
    expect((await reused.callback()).factor.amr).toEqual(['pwd', 'mfa', 'otp']);
    // With it the user signs in again, here with a password only: that is what comes back.
    const again = await loginAt(okta, {
      jar,
      stepUp: { amr, maxAge: 300, prompt: 'login' },
      login: LOGINS.okta.password,
    });
    await expectRefused(again.callback(), 'oidc:amr_not_satisfied');
  });
});

describe('an Okta login trusted by acr', () => {
  const byAcr = () =>
    trusting(okta, {
      acr: { 'urn:okta:loa:2fa:any': 2, phrh: 3 },
      amr: [{ allOf: ['hwk'], anyOf: ['pin', 'fpt'], aal: 3 }],
    });

  it('steps up with acr_values when a trusted acr reaches the level, and checks the acr', async () => {
    const tenant = byAcr();
    const stale = await (
      await loginAt(okta, { login: { ...LOGINS.okta.otp, authAgeSeconds: 3_600 } })
    ).callback();
    const evaluation = evaluate('billing_change', stateWith(stale.factor), tenant, Date.now());
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: okta.issuer });
    expect(stepUp).toEqual({ acrValues: ['urn:okta:loa:2fa:any', 'phrh'], maxAge: 300 });

    const { url, callback } = await loginAt(okta, { stepUp, login: LOGINS.okta.otp });
    expect(url.searchParams.get('acr_values')).toBe('urn:okta:loa:2fa:any phrh');
    expect(url.searchParams.has('prompt')).toBe(false);
    const { factor } = await callback();
    expect(evaluate('billing_change', stateWith(factor), tenant, Date.now())).toMatchObject({
      satisfied: true,
    });
    // Okta takes no claims parameter, so acr_values is voluntary: a weaker acr is refused here.
    await expectRefused(
      (await loginAt(okta, { stepUp, login: LOGINS.okta.ifPossible })).callback(),
      'oidc:acr_not_satisfied',
    );
  });

  it("never counts 'urn:okta:loa:2fa:any:ifpossible', which falls back to one factor", async () => {
    const { factor } = await (await loginAt(okta, { login: LOGINS.okta.ifPossible })).callback();
    expect(evaluate('billing_change', stateWith(factor), byAcr(), Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });
});
