// Claims an IdP did not make for this tenant, for this request or recently enough must not raise a
// login's assurance: they count as the weakest method, or the step-up is refused.
import { evaluate } from '@checkpoint/policy';
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
import { startTestIdp, type TestIdp } from './testing/index.js';

let okta: TestIdp;
let auth0: TestIdp;
/** Entra v2 with the optional acrs claim opted in: met contexts are added unasked. */
let entra: TestIdp;

beforeAll(async () => {
  [okta, auth0, entra] = await Promise.all([
    startTestIdp({ ...SHAPES.okta, login: LOGINS.okta.password, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ ...SHAPES.auth0, login: LOGINS.auth0.password, redirectUris: [REDIRECT_URI] }),
    startTestIdp({
      ...SHAPES.entraV2,
      idTokenClaims: ['auth_time', 'acrs'],
      login: LOGINS.entraV2.password,
      redirectUris: [REDIRECT_URI],
    }),
  ]);
});

afterAll(() => Promise.all([okta.close(), auth0.close(), entra.close()]));

const MFA_BY_AMR = { amr: [{ allOf: ['mfa'], aal: 2 as const }] };
const MET_BOTH = { acrs: ['c1', 'c2'] };

describe('amr', () => {
  it('does not count amr ["pwd"] as MFA', async () => {
    const { factor } = await (await loginAt(okta)).callback();
    expect(factor.amr).toEqual(['pwd']);
    expect(
      evaluate('billing_change', stateWith(factor), trusting(okta, MFA_BY_AMR), Date.now()),
    ).toMatchObject({ satisfied: false, currentAal: 1 });
  });

  it('counts a token without amr, from an IdP trusted by amr only, as the weakest method', async () => {
    const { callback } = await loginAt(okta, {
      login: LOGINS.okta.otp,
      idToken: { amr: undefined },
    });
    const { factor } = await callback();
    expect(factor.amr).toEqual([]);
    expect(
      evaluate('billing_change', stateWith(factor), trusting(okta, MFA_BY_AMR), Date.now()),
    ).toMatchObject({ satisfied: false, currentAal: 1 });
  });
});

describe('issuers', () => {
  it("counts another IdP's mfa as the weakest method, and any IdP's where IdP MFA is not trusted", async () => {
    const { factor } = await (await loginAt(auth0, { login: LOGINS.auth0.mfa })).callback();
    const now = Date.now();
    for (const tenant of [
      trusting(okta, MFA_BY_AMR),
      { ...trusting(auth0, MFA_BY_AMR), trustIdpMfa: false },
      { id: 'acme' },
    ]) {
      expect(evaluate('billing_change', stateWith(factor), tenant, now)).toMatchObject({
        satisfied: false,
        currentAal: 1,
      });
    }
  });
});

describe('authentication contexts', () => {
  it('does not count a context the IdP added unasked, even one the tenant trusts', async () => {
    const { factor, claims } = await (await loginAt(entra, { login: MET_BOTH })).callback();
    expect(claims['acrs']).toEqual(['c1', 'c2']);
    expect(factor.acrs).toBeUndefined();
    expect(
      evaluate(
        'billing_change',
        stateWith(factor),
        trusting(entra, { acrs: { c1: 2, c2: 2 } }),
        Date.now(),
      ),
    ).toMatchObject({ satisfied: false, currentAal: 1 });
  });

  it('keeps only the contexts asked for when the answer holds more', async () => {
    const stepUp = { acrs: ['c1'], maxAge: 300, prompt: 'login' as const };
    const { factor, claims } = await (await loginAt(entra, { stepUp, login: MET_BOTH })).callback();
    expect(claims['acrs']).toEqual(['c1', 'c2']);
    expect(factor.acrs).toEqual(['c1']);
    // The tenant trusts c2 (added unasked) for AAL2 and c1 only for AAL1.
    const tenant = trusting(entra, { acrs: { c1: 1, c2: 2 } });
    expect(evaluate('billing_change', stateWith(factor), tenant, Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });

  it('counts a context asked for and met, but not trusted, as the weakest method', async () => {
    const stepUp = { acrs: ['c3'], maxAge: 300, prompt: 'login' as const };
    const { factor } = await (await loginAt(entra, { stepUp, login: { acrs: ['c3'] } })).callback();
    expect(factor.acrs).toEqual(['c3']);
    expect(
      evaluate(
        'billing_change',
        stateWith(factor),
        trusting(entra, { acrs: { c1: 2 } }),
        Date.now(),
      ),
    ).toMatchObject({ satisfied: false, currentAal: 1 });
  });
});

describe('auth_time', () => {
  it.each([
    ['amr', () => okta, { amr: [{ allOf: ['mfa'] }] }, LOGINS.okta.otp],
    ['an authentication context', () => entra, { acrs: ['c1'] }, LOGINS.entraV2.mfa],
  ] as const)(
    'refuses a step-up trusted by %s answered with a login older than max_age',
    async (_name, idp, demand, login) => {
      const stepUp = { ...demand, maxAge: 300, prompt: 'login' as const };
      const { callback } = await loginAt(idp(), {
        stepUp,
        login: { ...login, authAgeSeconds: 600 },
      });
      await expectRefused(callback(), 'oidc:auth_time_stale');
    },
  );

  it('lets a plain login trusted by amr count only while its auth_time is fresh', async () => {
    const tenant = trusting(okta, MFA_BY_AMR);
    const { factor } = await (
      await loginAt(okta, { login: { ...LOGINS.okta.otp, authAgeSeconds: 400 } })
    ).callback();
    const now = Date.now();
    expect(evaluate('login', stateWith(factor), tenant, now)).toMatchObject({ satisfied: true });
    expect(evaluate('billing_change', stateWith(factor), tenant, now)).toMatchObject({
      satisfied: false,
      reason: 'stale',
    });
  });

  it('never counts a login without auth_time, whatever its amr says', async () => {
    const { callback } = await loginAt(okta, {
      login: LOGINS.okta.otp,
      idToken: { auth_time: undefined },
    });
    const { factor } = await callback();
    expect(factor).toMatchObject({ at: 0, amr: ['pwd', 'mfa', 'otp'] });
    expect(
      evaluate('login', stateWith(factor), trusting(okta, MFA_BY_AMR), Date.now()),
    ).toMatchObject({ satisfied: false });
  });
});
