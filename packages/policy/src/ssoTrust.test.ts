// An IdP login counts for what the tenant trusts of it (acr, amr sets, authentication contexts),
// at the strongest match, and only while its auth_time is fresh; anything else is the weakest.
import { describe, expect, it } from 'vitest';
import { assuranceOf } from './assurance.js';
import type { AuthState } from './AuthState.js';
import { evaluate } from './evaluate.js';
import { type Factor, factor } from './Factor.js';
import { amrMeets } from './ssoTrust.js';
import type { TenantPolicy } from './TenantPolicy.js';
import type { TrustedIdp } from './TrustedIdp.js';

const IDP = 'https://login.acme.example';
const NOW = Date.UTC(2026, 10, 22, 12);
const SECOND = 1000;

const tenantTrusting = (idp: Omit<TrustedIdp, 'issuer'>, trustIdpMfa = true): TenantPolicy => ({
  id: 'acme',
  trustIdpMfa,
  trustedIdps: [{ issuer: IDP, ...idp }],
});

/** Okta- or Auth0-style: MFA by amr; AAL3 by a hardware key with a PIN or a biometric. */
const BY_AMR = tenantTrusting({
  amr: [
    { allOf: ['mfa'], aal: 2 },
    { allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'], aal: 3 },
  ],
});
/** Microsoft Entra v2.0: authentication contexts. */
const BY_ACRS = tenantTrusting({ acrs: { c1: 2, c2: 1 } });

const login = (
  evidence: { acr?: string; amr?: readonly string[]; acrs?: readonly string[] },
  at = NOW,
): Factor => factor('sso', { at, source: IDP, ...evidence });
const state = (...factors: Factor[]): AuthState => ({ userId: 'u', tenantId: 'acme', factors });
const level = (f: Factor, tenant: TenantPolicy) => {
  const { aal, phishingResistant } = assuranceOf([f], tenant, { now: NOW });
  return { aal, phishingResistant };
};

describe('an IdP trusted by amr', () => {
  it('counts amr ["pwd", "mfa"] as AAL2, not phishing-resistant', () => {
    expect(level(login({ amr: ['pwd', 'mfa'] }), BY_AMR)).toEqual({
      aal: 2,
      phishingResistant: false,
    });
  });

  it('counts a hardware key with a PIN or a fingerprint as phishing-resistant AAL3', () => {
    for (const amr of [
      ['hwk', 'pin'],
      ['pwd', 'mfa', 'hwk', 'fpt'],
    ]) {
      expect(level(login({ amr }), BY_AMR)).toEqual({ aal: 3, phishingResistant: true });
    }
  });

  it('does not count a hardware key without user verification past the rule it meets', () => {
    expect(level(login({ amr: ['hwk', 'user', 'mfa'] }), BY_AMR)).toEqual({
      aal: 2,
      phishingResistant: false,
    });
    expect(level(login({ amr: ['hwk', 'user'] }), BY_AMR).aal).toBe(1);
  });

  it('counts amr ["pwd"] alone, or one-time codes without mfa, as the weakest method', () => {
    for (const amr of [['pwd'], ['otp'], ['pwd', 'otp'], ['MFA'], []]) {
      expect(level(login({ amr }), BY_AMR)).toEqual({ aal: 1, phishingResistant: false });
    }
  });

  it('counts a login without an amr claim as the weakest method', () => {
    expect(level(login({}), BY_AMR).aal).toBe(1);
  });

  it('counts nothing from an issuer it does not list, or with trustIdpMfa off', () => {
    const elsewhere = factor('sso', { at: NOW, source: `${IDP}/`, amr: ['pwd', 'mfa'] });
    expect(level(elsewhere, BY_AMR).aal).toBe(1);
    const off = tenantTrusting({ amr: [{ allOf: ['mfa'], aal: 2 }] }, false);
    expect(level(login({ amr: ['pwd', 'mfa'] }), off).aal).toBe(1);
  });

  it('meets anyOf with one value and allOf only with all of them', () => {
    const tenant = tenantTrusting({
      amr: [{ allOf: ['pwd', 'otp'], anyOf: ['sms', 'tel'], aal: 2 }],
    });
    expect(level(login({ amr: ['pwd', 'otp', 'tel'] }), tenant).aal).toBe(2);
    expect(level(login({ amr: ['pwd', 'sms'] }), tenant).aal).toBe(1);
    expect(level(login({ amr: ['pwd', 'otp'] }), tenant).aal).toBe(1);
  });

  it('reads a malformed amr in the session as nothing, without throwing', () => {
    const odd = { ...login({}), amr: 'mfa' } as unknown as Factor;
    const mixed = { ...login({}), amr: ['pwd', 2, { mfa: true }] } as unknown as Factor;
    expect(level(odd, BY_AMR).aal).toBe(1);
    expect(level(mixed, BY_AMR).aal).toBe(1);
  });
});

describe('an IdP trusted by authentication contexts (acrs)', () => {
  it('counts a trusted context the login holds at its level, never phishing-resistant', () => {
    expect(level(login({ acrs: ['c1'] }), BY_ACRS)).toEqual({ aal: 2, phishingResistant: false });
    expect(level(login({ acrs: ['c2'] }), BY_ACRS).aal).toBe(1);
  });

  it('counts a context it does not list, or none, as the weakest method', () => {
    for (const acrs of [['c3'], ['C1'], [], ['__proto__', 'toString', 'constructor']]) {
      expect(level(login({ acrs }), BY_ACRS).aal).toBe(1);
    }
  });

  it('never reads an amr or acr claim as a context', () => {
    expect(level(login({ acr: 'c1', amr: ['c1', 'mfa'] }), BY_ACRS).aal).toBe(1);
  });

  it('reads malformed contexts in the session as nothing', () => {
    const odd = { ...login({}), acrs: 'c1' } as unknown as Factor;
    expect(level(odd, BY_ACRS).aal).toBe(1);
  });
});

describe('an IdP trusted in several ways', () => {
  const MIXED = tenantTrusting({
    acr: { 'urn:idp:pwd': 1, 'urn:idp:mfa': 2, phrh: 3 },
    amr: [
      { allOf: ['mfa'], aal: 2 },
      { allOf: ['hwk', 'pin'], aal: 2 },
    ],
    acrs: { c1: 2 },
  });

  it('counts a login at the strongest match', () => {
    expect(level(login({ acr: 'urn:idp:pwd', amr: ['pwd', 'mfa'] }), MIXED).aal).toBe(2);
    expect(level(login({ acr: 'urn:idp:pwd', acrs: ['c1'] }), MIXED).aal).toBe(2);
    expect(level(login({ acr: 'phrh', amr: ['pwd', 'mfa'] }), MIXED)).toEqual({
      aal: 3,
      phishingResistant: true,
    });
  });

  it('is phishing-resistant when a match at the level reached is', () => {
    const tenant: TenantPolicy = { ...MIXED, stepUp: { data_export: { phishingResistant: true } } };
    const key = login({ acr: 'urn:idp:mfa', amr: ['mfa', 'hwk', 'pin'] });
    expect(level(key, MIXED)).toEqual({ aal: 2, phishingResistant: true });
    expect(evaluate('data_export', state(key), tenant, NOW)).toMatchObject({ satisfied: true });
    const push = login({ acr: 'urn:idp:mfa', amr: ['mfa', 'swk'] });
    expect(evaluate('data_export', state(push), tenant, NOW)).toMatchObject({
      satisfied: false,
      reason: 'phishing_resistance_required',
    });
  });

  it('does not reach AAL3 from an amr or a context the tenant maps to 2', () => {
    expect(level(login({ amr: ['hwk', 'pin', 'mfa'], acrs: ['c1'] }), MIXED).aal).toBe(2);
  });
});

describe('freshness applies to every kind of trust', () => {
  const stale = NOW - 400 * SECOND;

  it.each<[string, TenantPolicy, { amr?: readonly string[]; acrs?: readonly string[] }]>([
    ['amr', BY_AMR, { amr: ['pwd', 'mfa'] }],
    ['an authentication context', BY_ACRS, { acrs: ['c1'] }],
  ])('refuses a login trusted by %s whose auth_time is older than the max age', (_, tenant, ev) => {
    expect(evaluate('data_export', state(login(ev, NOW - 60 * SECOND)), tenant, NOW)).toMatchObject(
      { satisfied: true },
    );
    expect(evaluate('data_export', state(login(ev, stale)), tenant, NOW)).toMatchObject({
      satisfied: false,
      reason: 'stale',
      currentAal: 0,
    });
  });

  it('never counts a login without auth_time (at 0) or from the future', () => {
    expect(evaluate('login', state(login({ amr: ['mfa'] }, 0)), BY_AMR, NOW)).toMatchObject({
      satisfied: false,
    });
    expect(assuranceOf([login({ acrs: ['c1'] }, NOW + 1)], BY_ACRS, { now: NOW }).aal).toBe(0);
  });
});

describe('step-up at the IdP offered by evaluate', () => {
  const stale = NOW - 400 * SECOND;

  it('offers sso to a user whose amr- or context-trusted login went stale', () => {
    for (const [tenant, ev] of [
      [BY_AMR, { amr: ['pwd', 'mfa'] }],
      [BY_ACRS, { acrs: ['c1'] }],
    ] as const) {
      expect(evaluate('data_export', state(login(ev, stale)), tenant, NOW)).toMatchObject({
        methods: ['webauthn', 'sso'],
        reason: 'stale',
      });
    }
  });

  it('offers sso for AAL3 only where an amr rule reaches it', () => {
    const aal3 = {
      admin_role_grant: { aal: 3 as const, methods: ['webauthn' as const, 'sso' as const] },
    };
    const mfa = state(login({ amr: ['pwd', 'mfa'] }));
    expect(evaluate('admin_role_grant', mfa, { ...BY_AMR, stepUp: aal3 }, NOW)).toMatchObject({
      satisfied: false,
      methods: ['webauthn', 'sso'],
    });
    expect(evaluate('admin_role_grant', mfa, { ...BY_ACRS, stepUp: aal3 }, NOW)).toMatchObject({
      satisfied: false,
      methods: ['webauthn'],
    });
  });
});

describe('amrMeets', () => {
  it('reads allOf as every value and anyOf as at least one', () => {
    expect(amrMeets(['pwd', 'mfa'], { allOf: ['mfa'] })).toBe(true);
    expect(amrMeets(['pwd'], { allOf: ['mfa'] })).toBe(false);
    expect(amrMeets(['hwk', 'fpt'], { allOf: ['hwk'], anyOf: ['pin', 'fpt'] })).toBe(true);
    expect(amrMeets(['hwk'], { allOf: ['hwk'], anyOf: ['pin', 'fpt'] })).toBe(false);
  });

  it('meets nothing with a claim that is not a list', () => {
    expect(amrMeets(undefined, { anyOf: ['mfa'] })).toBe(false);
    expect(amrMeets('mfa', { anyOf: ['mfa'] })).toBe(false);
  });
});
