// "Bring your own MFA": an IdP's login counts as MFA only for (issuer, acr) pairs the tenant
// trusts; anything else is the weakest method (SECURITY-NOTES §4 cases 39 and 41).
import {
  type AuthState,
  addFactor,
  assuranceOf,
  CHECKPOINTS,
  evaluate,
  type Factor,
  factor,
  type TenantPolicy,
  type TrustedIdp,
} from '@checkpoint/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpConfig, REDIRECT_URI, testSso } from './fixtures/sso.js';
import { stepUpAtIdp } from './stepUpAtIdp.js';
import { MFA_LOGIN, PASSWORD_LOGIN, startTestIdp, type TestIdp } from './testing/index.js';

let mfaIdp: TestIdp;
let passwordIdp: TestIdp;

beforeAll(async () => {
  [mfaIdp, passwordIdp] = await Promise.all([
    startTestIdp({ login: MFA_LOGIN, redirectUris: [REDIRECT_URI] }),
    startTestIdp({ login: PASSWORD_LOGIN, redirectUris: [REDIRECT_URI] }),
  ]);
});

afterAll(async () => {
  await Promise.all([mfaIdp.close(), passwordIdp.close()]);
});

/** Signs in at `idp` through createSso and returns the factor. */
async function ssoFactor(idp: TestIdp, login = {}): Promise<Factor> {
  const { sso } = testSso({ acme: idpConfig(idp) });
  const { url, transaction } = await sso.start({ tenantId: 'acme' });
  const currentUrl = await idp.loginThrough(url, { login });
  return (await sso.callback({ tenantId: 'acme', currentUrl, transaction })).factor;
}

function trusting(
  issuer: string,
  acr: Record<string, 1 | 2 | 3>,
  trustIdpMfa = true,
): TenantPolicy {
  return { id: 'acme', trustIdpMfa, trustedIdps: [{ issuer, acr }] };
}

function stateWith(...factors: Factor[]): AuthState {
  return factors.reduce((state, f) => addFactor(state, f), {
    userId: 'u_1',
    tenantId: 'acme',
    factors: [] as Factor[],
  } as AuthState);
}

describe('an IdP login as MFA', () => {
  it('satisfies an AAL2 checkpoint for a tenant that trusts the (issuer, acr) pair', async () => {
    const state = stateWith(await ssoFactor(mfaIdp));
    const tenant = trusting(mfaIdp.issuer, { 'urn:test:mfa': 2 });
    expect(CHECKPOINTS.billing_change.aal).toBe(2);
    expect(evaluate('billing_change', state, tenant, Date.now())).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('does not for a tenant that does not trust IdP MFA, or trusts another IdP', async () => {
    const state = stateWith(await ssoFactor(mfaIdp));
    const now = Date.now();
    for (const tenant of [
      { id: 'acme' },
      trusting(mfaIdp.issuer, { 'urn:test:mfa': 2 }, false),
      trusting(passwordIdp.issuer, { 'urn:test:mfa': 2 }),
    ]) {
      expect(evaluate('billing_change', state, tenant, now)).toMatchObject({
        satisfied: false,
        currentAal: 1,
      });
    }
  });

  it('never counts the password-only IdP’s login as MFA', async () => {
    const fromPassword = await ssoFactor(passwordIdp);
    expect(fromPassword).toMatchObject({ acr: 'urn:test:pwd', amr: ['pwd'] });
    const tenant: TenantPolicy = {
      id: 'acme',
      trustIdpMfa: true,
      trustedIdps: [
        { issuer: mfaIdp.issuer, acr: { 'urn:test:mfa': 2 } },
        { issuer: passwordIdp.issuer, acr: { 'urn:test:pwd': 1 } },
      ],
    };
    expect(evaluate('billing_change', stateWith(fromPassword), tenant, Date.now())).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
  });

  it('never maps an unknown (issuer, acr) pair to AAL2 or AAL3', async () => {
    const tenant: TenantPolicy = {
      id: 'acme',
      trustIdpMfa: true,
      trustedIdps: [{ issuer: mfaIdp.issuer, acr: { 'urn:test:mfa': 2, phrh: 3 } }],
    };
    // The MFA IdP's login with an acr the tenant never listed, and another IdP claiming phrh.
    const unlisted = await ssoFactor(mfaIdp, { acr: 'phr' });
    const otherIssuer = await ssoFactor(passwordIdp, { acr: 'phrh', amr: ['hwk', 'pin'] });
    for (const f of [unlisted, otherIssuer]) {
      expect(f.acr === 'phr' || f.acr === 'phrh').toBe(true);
      expect(assuranceOf([f], tenant).aal).toBe(1);
    }
  });

  it('is stepped up at the IdP with the acr values the tenant trusts, then satisfies the checkpoint', async () => {
    const tenant = trusting(mfaIdp.issuer, { 'urn:test:pwd': 1, 'urn:test:mfa': 2, phrh: 3 });
    const stale = await ssoFactor(mfaIdp, { authAgeSeconds: 3_600 });
    let state = stateWith(stale);
    const evaluation = evaluate('billing_change', state, tenant, Date.now());
    expect(evaluation).toMatchObject({ satisfied: false, reason: 'stale' });

    const stepUp = stepUpAtIdp({ evaluation, tenant, issuer: mfaIdp.issuer });
    expect(stepUp).toEqual({ acrValues: ['urn:test:mfa', 'phrh'], maxAge: 300 });

    const { sso } = testSso({ acme: idpConfig(mfaIdp) });
    const { url, transaction } = await sso.start({
      tenantId: 'acme',
      ...(stepUp ? { stepUp } : {}),
    });
    const currentUrl = await mfaIdp.loginThrough(url);
    const result = await sso.callback({ tenantId: 'acme', currentUrl, transaction });
    state = addFactor(state, result.factor);
    expect(evaluate('billing_change', state, tenant, Date.now())).toMatchObject({
      satisfied: true,
    });
  });
});

describe('stepUpAtIdp', () => {
  const issuer = 'https://login.acme.example';
  const now = Date.UTC(2026, 10, 22, 12);
  const held = stateWith(
    factor('sso', { at: now - 3_600_000, source: issuer, acr: 'urn:acme:mfa' }),
  );

  it('offers nothing when the tenant trusts no acr of the IdP at the level needed', () => {
    const tenant = trusting(issuer, { 'urn:acme:pwd': 1 });
    const evaluation = evaluate('billing_change', held, tenant, now);
    expect(stepUpAtIdp({ evaluation, tenant, issuer })).toBeUndefined();
  });

  it('offers only phishing-resistant acr values where the checkpoint demands it', () => {
    const tenant: TenantPolicy = {
      ...trusting(issuer, { 'urn:acme:mfa': 2, phr: 2 }),
      stepUp: { billing_change: { phishingResistant: true } },
    };
    const evaluation = evaluate('billing_change', held, tenant, now);
    expect(stepUpAtIdp({ evaluation, tenant, issuer })).toEqual({
      acrValues: ['phr'],
      maxAge: 300,
    });
  });

  it('asks by acr first, then by authentication context, then by amr, whichever reaches the level', () => {
    const ask = (idp: Omit<TrustedIdp, 'issuer'>) => {
      const tenant: TenantPolicy = {
        id: 'acme',
        trustIdpMfa: true,
        trustedIdps: [{ issuer, ...idp }],
      };
      return stepUpAtIdp({
        evaluation: evaluate('billing_change', held, tenant, now),
        tenant,
        issuer,
      });
    };
    const acr = { 'urn:acme:pwd': 1, 'urn:acme:mfa': 2 } as const;
    const acrs = { c9: 1, c2: 2, c1: 2 } as const;
    const amr = [{ allOf: ['mfa'], aal: 2 as const }];
    expect(ask({ acr, acrs, amr })).toEqual({ acrValues: ['urn:acme:mfa'], maxAge: 300 });
    // One context, the first of the weakest that reach the level (Entra documents one value).
    expect(ask({ acrs, amr })).toEqual({ acrs: ['c2'], maxAge: 300, prompt: 'login' });
    expect(ask({ amr })).toEqual({ amr: [{ allOf: ['mfa'] }], maxAge: 300, prompt: 'login' });
  });

  it('asks by amr where only an amr rule is phishing-resistant, never by context', () => {
    const tenant: TenantPolicy = {
      id: 'acme',
      trustIdpMfa: true,
      trustedIdps: [
        {
          issuer,
          acrs: { c1: 2 },
          amr: [
            { allOf: ['mfa'], aal: 2 },
            { allOf: ['hwk'], anyOf: ['pin', 'fpt'], aal: 2 },
          ],
        },
      ],
      stepUp: { billing_change: { phishingResistant: true } },
    };
    const evaluation = evaluate('billing_change', held, tenant, now);
    expect(stepUpAtIdp({ evaluation, tenant, issuer })).toEqual({
      amr: [{ allOf: ['hwk'], anyOf: ['pin', 'fpt'] }],
      maxAge: 300,
      prompt: 'login',
    });
  });

  it('offers nothing where IdP MFA is not trusted, or for another IdP', () => {
    const tenant = { ...trusting(issuer, { 'urn:acme:mfa': 2 }), trustIdpMfa: false };
    const evaluation = evaluate('billing_change', held, tenant, now);
    expect(stepUpAtIdp({ evaluation, tenant, issuer })).toBeUndefined();
    const other = trusting(issuer, { 'urn:acme:mfa': 2 });
    expect(
      stepUpAtIdp({
        evaluation: evaluate('billing_change', held, other, now),
        tenant: other,
        issuer: 'https://other.example',
      }),
    ).toBeUndefined();
  });

  it('offers nothing for a satisfied checkpoint or one that does not take sso', () => {
    const tenant: TenantPolicy = {
      ...trusting(issuer, { 'urn:acme:mfa': 2 }),
      stepUp: { admin_role_grant: { methods: ['webauthn', 'totp', 'pwd'] } },
    };
    const fresh = stateWith(factor('sso', { at: now, source: issuer, acr: 'urn:acme:mfa' }));
    expect(
      stepUpAtIdp({ evaluation: evaluate('billing_change', fresh, tenant, now), tenant, issuer }),
    ).toBeUndefined();
    expect(
      stepUpAtIdp({ evaluation: evaluate('admin_role_grant', held, tenant, now), tenant, issuer }),
    ).toBeUndefined();
  });
});
