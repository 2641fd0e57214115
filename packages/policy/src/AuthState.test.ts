import { describe, expect, it } from 'vitest';
import { type AuthState, addFactor, MAX_FACTORS } from './AuthState.js';
import { factor } from './Factor.js';

const t0 = Date.UTC(2026, 10, 22, 12);
const empty: AuthState = { userId: 'u_42', tenantId: 'acme', factors: [] };

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('addFactor', () => {
  it('returns a new state with the factor last and leaves the given state unchanged', () => {
    const pwd = factor('pwd', { at: t0 });
    const sms = factor('otp-sms', { at: t0 + 1_000, codeLength: 6 });
    const once = addFactor(empty, pwd);
    const twice = addFactor(once, sms);
    expect(empty.factors).toEqual([]);
    expect(once.factors).toEqual([pwd]);
    expect(twice).toEqual({ userId: 'u_42', tenantId: 'acme', factors: [pwd, sms] });
    expect(twice).not.toBe(once);
  });

  it('replaces an earlier use of the same authenticator with the later one', () => {
    const early = factor('totp', { at: t0, codeLength: 6 });
    const late = factor('totp', { at: t0 + 60_000, codeLength: 6 });
    const pwd = factor('pwd', { at: t0 + 1 });
    const state = addFactor(addFactor(addFactor(empty, early), pwd), late);
    expect(state.factors).toEqual([pwd, late]);
  });

  it('keeps the later use when an older event of the same authenticator arrives', () => {
    const late = factor('totp', { at: t0 + 60_000, codeLength: 6 });
    const state = addFactor(addFactor(empty, late), factor('totp', { at: t0, codeLength: 6 }));
    expect(state.factors).toEqual([late]);
  });

  it('keeps two IdP logins that met different authentication contexts', () => {
    const c1 = factor('sso', { at: t0, source: 'https://idp.example', acrs: ['c1'] });
    const c2 = factor('sso', { at: t0, source: 'https://idp.example', acrs: ['c2'] });
    expect(addFactor(addFactor(empty, c1), c2).factors).toEqual([c1, c2]);
  });

  it('keeps two uses of one method that differ in evidence, such as a synced and a device-bound passkey', () => {
    const bound = factor('webauthn', { at: t0, userVerified: true, deviceBound: true });
    const synced = factor('webauthn', { at: t0 + 1, userVerified: true, deviceBound: false });
    expect(addFactor(addFactor(empty, bound), synced).factors).toEqual([bound, synced]);
  });

  it(`keeps at most ${MAX_FACTORS} factors, dropping the earliest added`, () => {
    let state = empty;
    for (let i = 0; i < MAX_FACTORS + 4; i += 1) {
      state = addFactor(state, factor('sso', { at: t0 + i, source: `https://idp${i}.example` }));
    }
    expect(state.factors).toHaveLength(MAX_FACTORS);
    expect(state.factors[0]?.source).toBe('https://idp4.example');
    expect(state.factors.at(-1)?.source).toBe(`https://idp${MAX_FACTORS + 3}.example`);
  });

  it('throws a TypeError that says what to pass when the state or the factor is not one', () => {
    expect(() => addFactor(loose(undefined), factor('pwd', { at: t0 }))).toThrow(
      /needs an AuthState: \{ userId, tenantId, factors: \[\] \}/,
    );
    expect(() => addFactor(empty, loose({ method: 'pin', at: t0 }))).toThrow(
      /needs a Factor built with factor\(method, evidence\)/,
    );
  });
});
