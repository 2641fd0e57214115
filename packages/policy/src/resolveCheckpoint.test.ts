import { describe, expect, it } from 'vitest';
import { CHECKPOINTS, ENTERPRISE_PRESET } from './catalogue.js';
import { resolveCheckpoint } from './resolveCheckpoint.js';

describe('resolveCheckpoint', () => {
  it('returns the built-in checkpoint when the tenant has no override', () => {
    expect(resolveCheckpoint('billing_change', { id: 'acme' })).toEqual(CHECKPOINTS.billing_change);
    expect(resolveCheckpoint('login')).toEqual(CHECKPOINTS.login);
  });

  it('merges an override field by field onto the built-in one', () => {
    const tenant = {
      id: 'acme',
      stepUp: { data_export: { maxAgeSeconds: 60, phishingResistant: true } },
    };
    expect(resolveCheckpoint('data_export', tenant)).toEqual({
      ...CHECKPOINTS.data_export,
      maxAgeSeconds: 60,
      phishingResistant: true,
    });
  });

  it('applies the enterprise preset: AAL3 and WebAuthn only, the age limit kept', () => {
    const tenant = { id: 'bigcorp', stepUp: ENTERPRISE_PRESET };
    expect(resolveCheckpoint('admin_role_grant', tenant)).toEqual({
      name: 'admin_role_grant',
      aal: 3,
      maxAgeSeconds: 300,
      methods: ['webauthn'],
    });
    expect(resolveCheckpoint('billing_change', tenant).aal).toBe(3);
    expect(resolveCheckpoint('api_key_create', tenant)).toEqual(CHECKPOINTS.api_key_create);
  });

  it('accepts a checkpoint of the tenant’s own when it is fully defined', () => {
    const tenant = {
      id: 'acme',
      stepUp: {
        refund: { aal: 2 as const, maxAgeSeconds: 120, methods: ['totp' as const, 'pwd' as const] },
      },
    };
    expect(resolveCheckpoint('refund', tenant)).toEqual({
      name: 'refund',
      aal: 2,
      maxAgeSeconds: 120,
      methods: ['totp', 'pwd'],
    });
  });

  it('adds email codes at the end of built-in AAL1 and AAL2 method lists when the tenant opts in', () => {
    const tenant = { id: 'acme', emailOtpCountsAsFactor: true, stepUp: ENTERPRISE_PRESET };
    expect(resolveCheckpoint('login', tenant).methods).toEqual([
      ...CHECKPOINTS.login.methods,
      'otp-email',
    ]);
    expect(resolveCheckpoint('signup', tenant).methods).toEqual(CHECKPOINTS.signup.methods);
    expect(resolveCheckpoint('admin_role_grant', tenant).methods).toEqual(['webauthn']);
  });

  it('takes an explicit methods override as written, even with the email opt-in', () => {
    const tenant = {
      id: 'acme',
      emailOtpCountsAsFactor: true,
      stepUp: { login: { methods: ['webauthn' as const] } },
    };
    expect(resolveCheckpoint('login', tenant).methods).toEqual(['webauthn']);
  });

  it('treats an explicit undefined field of an override as not overridden', () => {
    const tenant = { id: 'acme', stepUp: { login: { aal: undefined, maxAgeSeconds: 3_600 } } };
    expect(resolveCheckpoint('login', tenant as never)).toMatchObject({
      aal: 2,
      maxAgeSeconds: 3_600,
    });
  });

  it('returns a frozen checkpoint', () => {
    const checkpoint = resolveCheckpoint('data_export', {
      id: 'acme',
      stepUp: { data_export: { aal: 1 } },
    });
    expect(Object.isFrozen(checkpoint)).toBe(true);
    expect(Object.isFrozen(checkpoint.methods)).toBe(true);
  });

  it.each<[string, string, unknown, RegExp]>([
    [
      'an unknown name',
      'refund',
      { id: 'acme' },
      /unknown checkpoint "refund": use a built-in one \(login, signup/,
    ],
    [
      'a name from the prototype',
      'constructor',
      { id: 'acme' },
      /unknown checkpoint "constructor"/,
    ],
    [
      'a name from the prototype of stepUp',
      'toString',
      { id: 'acme', stepUp: {} },
      /unknown checkpoint "toString"/,
    ],
    [
      'a partial override of an unknown name',
      'refund',
      { id: 'acme', stepUp: { refund: { aal: 2 } } },
      /pass aal, maxAgeSeconds and methods/,
    ],
    [
      'an invalid override elsewhere in the tenant',
      'login',
      { id: 'acme', stepUp: { billing_change: { aal: 4 } } },
      /tenant\.stepUp\.billing_change\.aal must be 1, 2 or 3/,
    ],
    ['a name that is not a string', 42 as never, { id: 'acme' }, /must be a checkpoint name/],
  ])('throws a TypeError that says what to pass for %s', (_label, name, tenant, message) => {
    expect(() => resolveCheckpoint(name, tenant as never)).toThrow(TypeError);
    expect(() => resolveCheckpoint(name, tenant as never)).toThrow(message);
  });
});
