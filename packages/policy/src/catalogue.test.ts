import { describe, expect, it } from 'vitest';
import { CHECKPOINTS, ENTERPRISE_PRESET, isCheckpointName } from './catalogue.js';

describe('CHECKPOINTS', () => {
  it.each([
    ['login', 2, 86_400],
    ['signup', 1, 600],
    ['password_reset', 1, 600],
    ['admin_role_grant', 2, 300],
    ['billing_change', 2, 300],
    ['api_key_create', 2, 300],
    ['audit_log_access', 2, 900],
    ['data_export', 2, 300],
    ['contact_change', 2, 300],
    ['factor_change', 2, 300],
  ] as const)('defines %s at AAL%i within %i seconds', (name, aal, maxAgeSeconds) => {
    expect(CHECKPOINTS[name]).toMatchObject({ name, aal, maxAgeSeconds });
  });

  it('accepts email codes only at signup and password_reset', () => {
    const withEmail = Object.values(CHECKPOINTS)
      .filter((checkpoint) => checkpoint.methods.includes('otp-email'))
      .map((checkpoint) => checkpoint.name);
    expect(withEmail).toEqual(['signup', 'password_reset']);
  });

  it('accepts recovery codes at login, password_reset and factor_change only, never for a sensitive action', () => {
    const withRecovery = Object.values(CHECKPOINTS)
      .filter((checkpoint) => checkpoint.methods.includes('recovery-code'))
      .map((checkpoint) => checkpoint.name);
    expect(withRecovery).toEqual(['login', 'password_reset', 'factor_change']);
  });

  it('accepts a remembered device at login only', () => {
    const withDevice = Object.values(CHECKPOINTS)
      .filter((checkpoint) => checkpoint.methods.includes('remembered-device'))
      .map((checkpoint) => checkpoint.name);
    expect(withDevice).toEqual(['login']);
  });

  it('offers the phishing-resistant method first wherever a passkey is accepted for AAL2', () => {
    for (const checkpoint of Object.values(CHECKPOINTS).filter((c) => c.aal === 2)) {
      expect(checkpoint.methods[0]).toBe('webauthn');
    }
  });

  it('does not accept a password for signup or password_reset, which prove possession', () => {
    expect(CHECKPOINTS.signup.methods).not.toContain('pwd');
    expect(CHECKPOINTS.password_reset.methods).not.toContain('pwd');
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(CHECKPOINTS)).toBe(true);
    for (const checkpoint of Object.values(CHECKPOINTS)) {
      expect(Object.isFrozen(checkpoint)).toBe(true);
      expect(Object.isFrozen(checkpoint.methods)).toBe(true);
    }
  });
});

describe('ENTERPRISE_PRESET', () => {
  it('raises admin_role_grant and billing_change to AAL3 with WebAuthn only', () => {
    expect(ENTERPRISE_PRESET).toEqual({
      admin_role_grant: { aal: 3, methods: ['webauthn'] },
      billing_change: { aal: 3, methods: ['webauthn'] },
    });
    expect(Object.isFrozen(ENTERPRISE_PRESET.admin_role_grant?.methods)).toBe(true);
  });
});

describe('isCheckpointName', () => {
  it('knows the built-in names and nothing from the prototype', () => {
    expect(isCheckpointName('data_export')).toBe(true);
    for (const name of ['refund', 'constructor', '__proto__', 'toString', 1]) {
      expect(isCheckpointName(name)).toBe(false);
    }
  });
});
