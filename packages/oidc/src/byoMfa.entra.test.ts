// "Bring your own MFA" from Microsoft Entra-shaped IdPs: v1.0 tokens report amr ["pwd", "mfa"];
// v2.0 tokens carry no amr, and step-up goes through Conditional Access authentication contexts
// (an essential acrs request, answered in the acrs claim).
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
import { expectRefused, idpConfig, testSso } from './fixtures/sso.js';
import { stepUpAtIdp } from './stepUpAtIdp.js';
import { startTestIdp, type TestIdp } from './testing/index.js';

let v1: TestIdp;
let v2: TestIdp;

beforeAll(async () => {
  [v1, v2] = await Promise.all([
    startTestIdp({
      ...SHAPES.entraV1,
      login: LOGINS.entraV1.password,
      redirectUris: [REDIRECT_URI],
    }),
    startTestIdp({
      ...SHAPES.entraV2,
      login: LOGINS.entraV2.password,
      redirectUris: [REDIRECT_URI],
    }),
  ]);
});

afterAll(() => Promise.all([v1.close(), v2.close()]));

describe('Entra v1.0 tokens trusted by amr', () => {
  const byAmr = () => trusting(v1, { amr: [{ anyOf: ['mfa', 'ngcmfa'], aal: 2 }] });

  it('counts amr ["pwd", "mfa"] as AAL2', async () => {
    const { factor } = await (await loginAt(v1, { login: LOGINS.entraV1.mfa })).callback();
    expect(factor.amr).toEqual(['pwd', 'mfa']);
    expect(evaluate('billing_change', stateWith(factor), byAmr(), Date.now())).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('counts amr ["pwd"] as the weakest method', async () => {
    const { factor } = await (await loginAt(v1)).callback();
    expect(factor.amr).toEqual(['pwd']);
    expect(evaluate('billing_change', stateWith(factor), byAmr(), Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });
});

describe('Entra v2.0 tokens trusted by authentication context', () => {
  const byContext = () => trusting(v2, { acrs: { c1: 2 } });

  it('counts a plain login (no context asked for, no amr) as the weakest method', async () => {
    const { factor, claims } = await (await loginAt(v2, { login: LOGINS.entraV2.mfa })).callback();
    expect(claims.amr).toBeUndefined();
    expect(claims['acrs']).toBeUndefined();
    expect(evaluate('billing_change', stateWith(factor), byContext(), Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });

  it('steps up with an essential acrs claim, prompt=login and max_age, and counts the context met', async () => {
    const tenant = byContext();
    const { factor } = await (await loginAt(v2)).callback();
    const evaluation = evaluate('billing_change', stateWith(factor), tenant, Date.now());
    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: v2.issuer });
    expect(stepUp).toEqual({ acrs: ['c1'], maxAge: 300, prompt: 'login' });

    const { url, callback } = await loginAt(v2, { stepUp, login: LOGINS.entraV2.mfa });
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('max_age')).toBe('300');
    expect(url.searchParams.has('acr_values')).toBe(false);
    expect(JSON.parse(url.searchParams.get('claims') ?? '')).toMatchObject({
      id_token: { acrs: { essential: true, value: 'c1' }, auth_time: { essential: true } },
    });
    const stepped = await callback();
    expect(stepped.claims['acrs']).toEqual(['c1']);
    expect(stepped.factor).toMatchObject({ source: v2.issuer, acrs: ['c1'], amr: [] });
    expect(
      evaluate('billing_change', stateWith(factor, stepped.factor), tenant, Date.now()),
    ).toMatchObject({ satisfied: true, aal: 2 });
  });

  it('reports a login that cannot meet the essential context as an IdP error', async () => {
    const stepUp = { acrs: ['c1'], maxAge: 300, prompt: 'login' as const };
    const { callback } = await loginAt(v2, { stepUp, login: LOGINS.entraV2.password });
    await expectRefused(callback(), 'oidc:idp_error');
  });

  it('refuses an answer without the context asked for, as from an IdP that ignored the request', async () => {
    const stepUp = { acrs: ['c1'], maxAge: 300 };
    const ignored = await loginAt(v2, {
      stepUp,
      login: LOGINS.entraV2.mfa,
      idToken: { acrs: undefined },
    });
    await expectRefused(ignored.callback(), 'oidc:acrs_not_satisfied');
    const other = await loginAt(v2, {
      stepUp,
      login: LOGINS.entraV2.mfa,
      idToken: { acrs: ['c2'] },
    });
    await expectRefused(other.callback(), 'oidc:acrs_not_satisfied');
  });

  it('needs the claims parameter: Entra takes it without advertising it', async () => {
    const quiet = await startTestIdp({
      ...SHAPES.entraV2,
      claimsParameter: false,
      redirectUris: [REDIRECT_URI],
    });
    try {
      const stepUp = { acrs: ['c1'], maxAge: 300 };
      const { sso } = testSso({ acme: idpConfig(quiet) });
      await expect(sso.start({ tenantId: 'acme', stepUp })).rejects.toThrow(
        /acrs \(authentication contexts\) can only be asked for through the claims parameter/,
      );
      const told = testSso({ acme: idpConfig(quiet, { claimsParameter: true }) });
      const { url } = await told.sso.start({ tenantId: 'acme', stepUp });
      expect(url.searchParams.get('claims')).toContain('"acrs":{"essential":true,"value":"c1"}');
    } finally {
      await quiet.close();
    }
  });
});
