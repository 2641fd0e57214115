import { describe, expect, it } from 'vitest';
import { type FactorEvidence, factor, isMethod, METHODS, type Method } from './Factor.js';

const at = Date.UTC(2026, 10, 22, 12);

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('factor', () => {
  it.each<[string, Method, Omit<FactorEvidence, 'at'>, string[], 1 | 2 | 3]>([
    ['a password', 'pwd', {}, ['pwd'], 1],
    ['an SMS code', 'otp-sms', { codeLength: 6 }, ['sms'], 1],
    ['a voice-call code', 'otp-voice', { codeLength: 6 }, ['tel'], 1],
    ['a WhatsApp code', 'otp-whatsapp', { codeLength: 6 }, ['otp', 'mca'], 1],
    ['an email code', 'otp-email', { codeLength: 6 }, ['otp', 'mca'], 1],
    ['an authenticator-app code', 'totp', { codeLength: 6 }, ['otp'], 1],
    ['a recovery code', 'recovery-code', {}, ['otp'], 1],
    [
      'a device-bound passkey with user verification',
      'webauthn',
      { userVerified: true, deviceBound: true },
      ['hwk', 'pop', 'user', 'mfa'],
      3,
    ],
    [
      'a synced passkey with user verification',
      'webauthn',
      { userVerified: true, deviceBound: false },
      ['swk', 'pop', 'user', 'mfa'],
      2,
    ],
    [
      'a device-bound security key without user verification',
      'webauthn',
      { userVerified: false, deviceBound: true },
      ['hwk', 'pop', 'user'],
      1,
    ],
    ['a WebAuthn credential with no flags given', 'webauthn', {}, ['swk', 'pop', 'user'], 1],
    [
      'an IdP login, whose amr is kept as given',
      'sso',
      { source: 'https://idp.example', acr: 'phrh', amr: ['hwk', 'pin'] },
      ['hwk', 'pin'],
      1,
    ],
    ['an IdP login without an amr claim', 'sso', { source: 'https://idp.example' }, [], 1],
  ])(
    'records %s with its RFC 8176 amr values and its own AAL',
    (_name, method, evidence, amr, aal) => {
      const built = factor(method, { at, ...evidence });
      expect(built.method).toBe(method);
      expect(built.amr).toEqual(amr);
      expect(built.aal).toBe(aal);
      expect(built.at).toBe(at);
    },
  );

  it('never gives a WhatsApp or email code the sms value, which RFC 8176 keeps for SMS', () => {
    expect(factor('otp-whatsapp', { at }).amr).not.toContain('sms');
    expect(factor('otp-email', { at }).amr).not.toContain('sms');
  });

  it('keeps the evidence that applies and adds no field that was not given', () => {
    expect(factor('otp-sms', { at, source: '+1415555••00', codeLength: 8 })).toEqual({
      method: 'otp-sms',
      amr: ['sms'],
      aal: 1,
      at,
      source: '+1415555••00',
      codeLength: 8,
    });
    expect(Object.keys(factor('pwd', { at }))).toEqual(['method', 'amr', 'aal', 'at']);
  });

  it("copies the IdP's amr so a later change to the claim does not reach the factor", () => {
    const amr = ['pwd', 'otp'];
    const built = factor('sso', { at, amr });
    amr.push('mfa');
    expect(built.amr).toEqual(['pwd', 'otp']);
  });

  it("keeps an IdP login's authentication contexts, copied", () => {
    const acrs = ['c1'];
    const built = factor('sso', { at, source: 'https://idp.example', acrs });
    acrs.push('c2');
    expect(built).toEqual({
      method: 'sso',
      amr: [],
      aal: 1,
      at,
      source: 'https://idp.example',
      acrs: ['c1'],
    });
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['an unknown method', 'magic-link', { at }, /needs a method, one of pwd, otp-sms/],
    ['no evidence', 'pwd', undefined, /needs an evidence object such as \{ at: now \}/],
    ['no time', 'pwd', {}, /needs evidence\.at: the epoch milliseconds/],
    ['a time that is not a number', 'pwd', { at: '2026-11-22' }, /needs evidence\.at/],
    ['an infinite time', 'pwd', { at: Number.POSITIVE_INFINITY }, /needs evidence\.at/],
    [
      'a code length of zero',
      'otp-sms',
      { at, codeLength: 0 },
      /codeLength to be the number of digits/,
    ],
    [
      'a fractional code length',
      'totp',
      { at, codeLength: 6.5 },
      /codeLength to be the number of digits/,
    ],
    [
      'a code length on a password',
      'pwd',
      { at, codeLength: 6 },
      /factor\('pwd'\) does not take evidence\.codeLength/,
    ],
    [
      'user verification on an SMS code',
      'otp-sms',
      { at, userVerified: true },
      /does not take evidence\.userVerified/,
    ],
    ['an acr on a passkey', 'webauthn', { at, acr: 'phr' }, /does not take evidence\.acr/],
    ['an amr on a password', 'pwd', { at, amr: ['pwd'] }, /does not take evidence\.amr/],
    [
      'a misspelt field',
      'webauthn',
      { at, userVerifed: true },
      /unknown evidence field "userVerifed"/,
    ],
    [
      'a non-boolean flag',
      'webauthn',
      { at, deviceBound: 'yes' },
      /deviceBound to be true or false/,
    ],
    ['a non-string source', 'pwd', { at, source: 42 }, /source to be a string/],
    ['an amr that is not a list of strings', 'sso', { at, amr: 'pwd' }, /amr to be the amr claim/],
    ['an acr that is not a string', 'sso', { at, acr: 2 }, /acr to be the acr claim/],
    ['contexts on a passkey', 'webauthn', { at, acrs: ['c1'] }, /does not take evidence\.acrs/],
    [
      'contexts that are not a list of strings',
      'sso',
      { at, acrs: 'c1' },
      /acrs to be authentication context ids, an array of strings/,
    ],
  ])('throws a TypeError that says what to pass for %s', (_name, method, evidence, message) => {
    expect(() => factor(loose(method), loose(evidence))).toThrow(TypeError);
    expect(() => factor(loose(method), loose(evidence))).toThrow(message);
  });
});

describe('isMethod', () => {
  it('accepts every listed method and nothing else', () => {
    for (const method of METHODS) expect(isMethod(method)).toBe(true);
    for (const value of ['sms', 'otp', 'PWD', '', undefined, 1, 'constructor']) {
      expect(isMethod(value)).toBe(false);
    }
  });

  it('lists ten methods in a frozen array', () => {
    expect(METHODS).toHaveLength(10);
    expect(Object.isFrozen(METHODS)).toBe(true);
  });
});
