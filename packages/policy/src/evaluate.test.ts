import { describe, expect, it } from 'vitest';
import type { AuthState } from './AuthState.js';
import { ENTERPRISE_PRESET } from './catalogue.js';
import { evaluate } from './evaluate.js';
import type { Factor } from './Factor.js';
import { make, NOW, PLAIN, TRUSTING } from './scenarios.fixture.js';
import type { TenantPolicy } from './TenantPolicy.js';

const SECOND = 1_000;
const state = (...factors: Factor[]): AuthState => ({ userId: 'u_42', tenantId: 'acme', factors });
const enterprise: TenantPolicy = { id: 'acme', stepUp: ENTERPRISE_PRESET };

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('evaluate', () => {
  it('refuses a session of another tenant whatever it holds, with nothing to offer', () => {
    const other = { ...state(make.pwd(NOW), make.passkeyBound(NOW)), tenantId: 'globex' };
    expect(evaluate('data_export', other, PLAIN, NOW)).toEqual({
      satisfied: false,
      checkpoint: 'data_export',
      requiredAal: 2,
      currentAal: 0,
      maxAgeSeconds: 300,
      phishingResistant: false,
      methods: [],
      reason: 'wrong_tenant',
    });
  });

  it('treats an anonymous visitor as holding no factor', () => {
    expect(evaluate('signup', undefined, PLAIN, NOW)).toMatchObject({
      satisfied: false,
      currentAal: 0,
      methods: ['otp-email', 'otp-sms', 'otp-whatsapp', 'otp-voice'],
      reason: 'insufficient_aal',
    });
  });

  it('offers the password again when the possession factor is fresh and the password is stale', () => {
    const result = evaluate(
      'billing_change',
      state(make.pwd(NOW - 3_600 * SECOND), make.sms(NOW - SECOND)),
      PLAIN,
      NOW,
    );
    expect(result).toMatchObject({
      satisfied: false,
      currentAal: 1,
      methods: ['webauthn', 'pwd'],
      reason: 'stale',
    });
  });

  it('says stale when the held factors would satisfy the checkpoint but are too old', () => {
    const old = NOW - 301 * SECOND;
    expect(
      evaluate('billing_change', state(make.pwd(old), make.sms(old)), PLAIN, NOW),
    ).toMatchObject({
      satisfied: false,
      currentAal: 0,
      methods: ['webauthn'],
      reason: 'stale',
    });
  });

  it('accepts a checkpoint object as well as a name', () => {
    const refund = {
      name: 'refund',
      aal: 1 as const,
      maxAgeSeconds: 60,
      methods: ['totp' as const],
    };
    expect(evaluate(refund, state(make.totp(NOW)), PLAIN, NOW)).toEqual({
      satisfied: true,
      checkpoint: 'refund',
      aal: 1,
      nonNist: false,
    });
  });

  it('evaluates a checkpoint the tenant defines', () => {
    const tenant = {
      id: 'acme',
      stepUp: {
        refund: {
          aal: 2 as const,
          maxAgeSeconds: 60,
          methods: ['webauthn' as const, 'totp' as const, 'pwd' as const],
        },
      },
    };
    expect(evaluate('refund', state(make.pwd(NOW), make.totp(NOW)), tenant, NOW)).toMatchObject({
      satisfied: true,
      aal: 2,
    });
    expect(evaluate('refund', state(make.pwd(NOW), make.sms(NOW)), tenant, NOW)).toMatchObject({
      satisfied: false,
      currentAal: 1,
      methods: ['webauthn', 'totp'],
    });
  });

  it('does not change the state it is given and gives the same answer twice', () => {
    const held = state(make.pwd(NOW), make.sms(NOW - 400 * SECOND));
    const copy = structuredClone(held);
    const first = evaluate('data_export', held, TRUSTING, NOW);
    expect(evaluate('data_export', held, TRUSTING, NOW)).toEqual(first);
    expect(held).toEqual(copy);
  });
});

describe('evaluate with the enterprise preset', () => {
  it('makes admin_role_grant need WebAuthn where a password and an SMS code used to do', () => {
    const held = state(make.pwd(NOW), make.sms(NOW));
    expect(evaluate('admin_role_grant', held, PLAIN, NOW)).toMatchObject({
      satisfied: true,
      aal: 2,
    });
    expect(evaluate('admin_role_grant', held, enterprise, NOW)).toEqual({
      satisfied: false,
      checkpoint: 'admin_role_grant',
      requiredAal: 3,
      currentAal: 0,
      maxAgeSeconds: 300,
      phishingResistant: false,
      methods: ['webauthn'],
      reason: 'insufficient_aal',
    });
  });

  it('accepts a device-bound passkey with user verification for admin_role_grant and billing_change', () => {
    for (const name of ['admin_role_grant', 'billing_change']) {
      expect(evaluate(name, state(make.passkeyBound(NOW)), enterprise, NOW)).toMatchObject({
        satisfied: true,
        aal: 3,
      });
    }
  });

  it('refuses a synced passkey for AAL3 and still offers WebAuthn (a device-bound credential)', () => {
    expect(
      evaluate('admin_role_grant', state(make.passkeySynced(NOW)), enterprise, NOW),
    ).toMatchObject({
      satisfied: false,
      currentAal: 2,
      methods: ['webauthn'],
      reason: 'insufficient_aal',
    });
  });

  it('leaves out the password + security-key route to AAL3 because the preset accepts WebAuthn only', () => {
    const held = state(make.pwd(NOW), make.keyBound(NOW));
    expect(evaluate('admin_role_grant', held, enterprise, NOW)).toMatchObject({
      satisfied: false,
      currentAal: 1,
    });
    const withPassword = {
      id: 'acme',
      stepUp: {
        admin_role_grant: { aal: 3 as const, methods: ['webauthn' as const, 'pwd' as const] },
      },
    };
    expect(evaluate('admin_role_grant', held, withPassword, NOW)).toMatchObject({
      satisfied: true,
      aal: 3,
    });
    expect(
      evaluate('admin_role_grant', state(make.keyBound(NOW)), withPassword, NOW),
    ).toMatchObject({
      satisfied: false,
      methods: ['webauthn', 'pwd'],
    });
  });

  it("accepts a trusted IdP's phrh login at AAL3 when the tenant allows SSO there", () => {
    const tenant = {
      ...TRUSTING,
      stepUp: {
        admin_role_grant: { aal: 3 as const, methods: ['webauthn' as const, 'sso' as const] },
      },
    };
    expect(evaluate('admin_role_grant', state(make.ssoPhrh(NOW)), tenant, NOW)).toMatchObject({
      satisfied: true,
      aal: 3,
    });
    expect(evaluate('admin_role_grant', state(make.ssoMfa(NOW)), tenant, NOW)).toMatchObject({
      satisfied: false,
      currentAal: 2,
      methods: ['webauthn', 'sso'],
    });
  });
});

describe('evaluate where phishing resistance is required', () => {
  const tenant = { id: 'acme', stepUp: { data_export: { phishingResistant: true } } };

  it('refuses a password and an SMS code and offers only WebAuthn', () => {
    expect(evaluate('data_export', state(make.pwd(NOW), make.sms(NOW)), tenant, NOW)).toEqual({
      satisfied: false,
      checkpoint: 'data_export',
      requiredAal: 2,
      currentAal: 2,
      maxAgeSeconds: 300,
      phishingResistant: true,
      methods: ['webauthn'],
      reason: 'phishing_resistance_required',
    });
  });

  it('accepts a password with a security key without user verification', () => {
    expect(
      evaluate('data_export', state(make.pwd(NOW), make.keySynced(NOW)), tenant, NOW),
    ).toMatchObject({
      satisfied: true,
      aal: 2,
    });
  });

  it('offers the password to a user holding a fresh security key', () => {
    expect(
      evaluate('data_export', state(make.sms(NOW), make.keySynced(NOW)), tenant, NOW),
    ).toMatchObject({
      satisfied: false,
      methods: ['webauthn', 'pwd'],
      reason: 'insufficient_aal',
    });
  });

  it('says phishing resistance, not stale, when the old factors were not phishing-resistant either', () => {
    const old = NOW - 400 * SECOND;
    expect(evaluate('data_export', state(make.pwd(old), make.sms(old)), tenant, NOW)).toMatchObject(
      {
        reason: 'phishing_resistance_required',
        currentAal: 0,
      },
    );
  });

  it("accepts a trusted IdP's phr login", () => {
    const trusting = { ...TRUSTING, ...tenant };
    expect(evaluate('data_export', state(make.ssoPhr(NOW)), trusting, NOW)).toMatchObject({
      satisfied: true,
    });
    expect(evaluate('data_export', state(make.ssoMfa(NOW)), trusting, NOW)).toMatchObject({
      satisfied: false,
      methods: ['webauthn', 'sso'],
    });
  });
});

describe('evaluate step-up at the IdP', () => {
  it("offers SSO only to a user who holds a login from one of the tenant's IdPs", () => {
    expect(
      evaluate('data_export', state(make.ssoMfa(NOW - 400 * SECOND)), TRUSTING, NOW),
    ).toMatchObject({
      methods: ['webauthn', 'sso'],
      reason: 'stale',
    });
    expect(evaluate('data_export', state(make.pwd(NOW)), TRUSTING, NOW)).toMatchObject({
      methods: ['webauthn', 'totp', 'otp-whatsapp', 'otp-sms', 'otp-voice'],
    });
  });

  it('offers SSO after an untrusted IdP login only when it would complete a pair', () => {
    const untrusted = { ...make.ssoMfa(NOW), source: 'https://other.example' };
    expect(evaluate('data_export', state(untrusted), TRUSTING, NOW)).toMatchObject({
      methods: ['webauthn', 'totp', 'otp-whatsapp', 'otp-sms', 'otp-voice'],
    });
    expect(
      evaluate(
        'data_export',
        state({ ...untrusted, at: NOW - 400 * SECOND }, make.sms(NOW)),
        TRUSTING,
        NOW,
      ),
    ).toMatchObject({
      methods: ['webauthn', 'sso', 'pwd'],
    });
  });
});

describe('evaluate misuse', () => {
  it.each<[string, unknown, unknown, unknown, unknown, RegExp]>([
    ['an unknown checkpoint', 'refund', state(), PLAIN, NOW, /unknown checkpoint "refund"/],
    [
      'a checkpoint object with aal 4',
      { name: 'x', aal: 4, maxAgeSeconds: 1, methods: ['pwd'] },
      state(),
      PLAIN,
      NOW,
      /evaluate\(checkpoint\)\.aal must be 1, 2 or 3/,
    ],
    [
      'a checkpoint object with a negative maxAge',
      { name: 'x', aal: 1, maxAgeSeconds: -1, methods: ['pwd'] },
      state(),
      PLAIN,
      NOW,
      /maxAgeSeconds must be a whole number of seconds/,
    ],
    [
      'a state without factors',
      'login',
      { userId: 'u', tenantId: 'acme' },
      PLAIN,
      NOW,
      /needs an AuthState \{ userId, tenantId, factors: \[\] \} or undefined/,
    ],
    ['no tenant', 'login', state(), undefined, NOW, /a tenant policy must be an object/],
    [
      'a checkpoint object and no tenant',
      { name: 'x', aal: 1, maxAgeSeconds: 1, methods: ['pwd'] },
      state(),
      undefined,
      NOW,
      /a tenant policy must be an object/,
    ],
    [
      'a time in seconds as a string',
      'login',
      state(),
      PLAIN,
      '1795000000',
      /evaluate needs now: the current time in epoch milliseconds/,
    ],
    ['no time', 'login', state(), PLAIN, undefined, /evaluate needs now/],
  ])(
    'throws a TypeError that says what to pass for %s',
    (_name, checkpoint, authState, tenant, now, message) => {
      const call = () => evaluate(loose(checkpoint), loose(authState), loose(tenant), loose(now));
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    },
  );
});
