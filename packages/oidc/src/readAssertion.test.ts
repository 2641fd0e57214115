import { isCheckpointError } from '@checkpoint/core';
import type { IDToken } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { readAssertion } from './readAssertion.js';

const ISSUER = 'https://login.acme.example';
const NOW = Date.UTC(2026, 10, 22, 12);
const SECONDS = Math.floor(NOW / 1000);

function claims(extra: Record<string, unknown> = {}): IDToken {
  return {
    iss: ISSUER,
    sub: '248289761001',
    aud: 'checkpoint',
    iat: SECONDS,
    exp: SECONDS + 300,
    ...extra,
  };
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isCheckpointError(error) && error.code === 'authentication_failed') return error.reasons[0];
    throw error;
  }
  return undefined;
}

describe('readAssertion', () => {
  it('builds the sso factor from auth_time, acr and amr, sourced at the issuer', () => {
    const { factor, subject } = readAssertion(
      claims({ auth_time: SECONDS - 60, acr: 'urn:acme:mfa', amr: ['pwd', 'hwk'] }),
      { issuer: ISSUER, now: NOW },
    );
    expect(factor).toEqual({
      method: 'sso',
      source: ISSUER,
      acr: 'urn:acme:mfa',
      amr: ['pwd', 'hwk'],
      aal: 1,
      at: NOW - 60_000,
    });
    expect(subject).toEqual({ issuer: ISSUER, sub: '248289761001', key: `${ISSUER}#248289761001` });
  });

  it('leaves out a malformed acr or amr, which policy then counts as the weakest method', () => {
    const { factor } = readAssertion(claims({ acr: 2, amr: 'pwd otp' }), {
      issuer: ISSUER,
      now: NOW,
    });
    expect(factor).toEqual({ method: 'sso', source: ISSUER, amr: [], aal: 1, at: 0 });
  });

  it('refuses an iss that differs from the issuer by as little as a trailing slash', () => {
    expect(
      reasonOf(() => readAssertion(claims({ iss: `${ISSUER}/` }), { issuer: ISSUER, now: NOW })),
    ).toBe('oidc:issuer_mismatch');
  });

  it('refuses a missing token or sub', () => {
    expect(reasonOf(() => readAssertion(undefined, { issuer: ISSUER, now: NOW }))).toBe(
      'oidc:id_token_invalid',
    );
    expect(reasonOf(() => readAssertion(claims({ sub: '' }), { issuer: ISSUER, now: NOW }))).toBe(
      'oidc:id_token_invalid',
    );
  });

  it('accepts any one of the acr values asked for, and nothing else', () => {
    const stepUp = { acrValues: ['urn:acme:mfa', 'phrh'] };
    for (const acr of ['urn:acme:mfa', 'phrh']) {
      expect(readAssertion(claims({ acr }), { issuer: ISSUER, stepUp, now: NOW }).factor.acr).toBe(
        acr,
      );
    }
    for (const acr of ['urn:acme:pwd', 'URN:ACME:MFA', undefined]) {
      expect(
        reasonOf(() => readAssertion(claims({ acr }), { issuer: ISSUER, stepUp, now: NOW })),
      ).toBe('oidc:acr_not_satisfied');
    }
  });

  it('keeps of the acrs claim only the contexts asked for, and refuses an answer without one', () => {
    const stepUp = { acrs: ['c1'] };
    const read = (acrs: unknown) => () =>
      readAssertion(claims({ acrs }), { issuer: ISSUER, stepUp, now: NOW });
    expect(read(['c2', 'c1', 'c3'])().factor.acrs).toEqual(['c1']);
    expect(read('c1')().factor.acrs).toEqual(['c1']);
    for (const acrs of [['c2'], [], undefined, 'c2', [1], { c1: true }]) {
      expect(reasonOf(read(acrs))).toBe('oidc:acrs_not_satisfied');
    }
  });

  it('keeps no contexts when none were asked for, whatever the claim holds', () => {
    const { factor } = readAssertion(claims({ acrs: ['c1'] }), { issuer: ISSUER, now: NOW });
    expect(factor).not.toHaveProperty('acrs');
  });

  it('takes an amr that meets one of the conditions asked for, and refuses any other', () => {
    const stepUp = { amr: [{ allOf: ['mfa'] }, { allOf: ['hwk'], anyOf: ['pin', 'fpt'] }] };
    const read = (amr: unknown) => () =>
      readAssertion(claims({ amr }), { issuer: ISSUER, stepUp, now: NOW });
    for (const amr of [
      ['pwd', 'mfa'],
      ['hwk', 'fpt'],
    ]) {
      expect(read(amr)().factor.amr).toEqual(amr);
    }
    for (const amr of [['pwd'], ['hwk'], [], undefined, 'mfa', ['mfa', 2]]) {
      expect(reasonOf(read(amr))).toBe('oidc:amr_not_satisfied');
    }
  });

  it('checks auth_time against max_age with openid-client’s 30 s tolerance', () => {
    const stepUp = { maxAge: 300 };
    const at = (age: number) => () =>
      readAssertion(claims({ auth_time: SECONDS - age }), { issuer: ISSUER, stepUp, now: NOW });
    expect(reasonOf(at(330))).toBeUndefined();
    expect(reasonOf(at(331))).toBe('oidc:auth_time_stale');
    expect(reasonOf(() => readAssertion(claims(), { issuer: ISSUER, stepUp, now: NOW }))).toBe(
      'oidc:auth_time_missing',
    );
  });

  it('takes an auth_time slightly ahead (IdP clock skew) as now, and refuses one further ahead', () => {
    const ahead = (seconds: number) => () =>
      readAssertion(claims({ auth_time: SECONDS + seconds }), { issuer: ISSUER, now: NOW });
    expect(
      readAssertion(claims({ auth_time: SECONDS + 5 }), { issuer: ISSUER, now: NOW }).factor.at,
    ).toBe(NOW);
    expect(reasonOf(ahead(31))).toBe('oidc:id_token_invalid');
    expect(
      reasonOf(() => readAssertion(claims({ auth_time: '1' }), { issuer: ISSUER, now: NOW })),
    ).toBe('oidc:id_token_invalid');
  });
});
