import { describe, expect, it } from 'vitest';
import { stepUpParams } from './stepUpParams.js';

describe('stepUpParams', () => {
  it('asks for auth_time, amr and a voluntary acr through claims when nothing is demanded', () => {
    expect(stepUpParams(undefined, { claimsParameter: true })).toEqual({
      claims: '{"id_token":{"auth_time":{"essential":true},"amr":null,"acr":null}}',
    });
    expect(stepUpParams(undefined, { claimsParameter: false })).toEqual({});
  });

  it('makes the acr essential with the demanded values, besides acr_values and max_age', () => {
    const params = stepUpParams(
      { acrValues: ['urn:acme:mfa', 'phrh'], maxAge: 300 },
      { claimsParameter: true },
    );
    expect(params['acr_values']).toBe('urn:acme:mfa phrh');
    expect(params['max_age']).toBe('300');
    expect(JSON.parse(params['claims'] ?? '')).toEqual({
      id_token: {
        auth_time: { essential: true },
        amr: null,
        acr: { essential: true, values: ['urn:acme:mfa', 'phrh'] },
      },
    });
  });

  it('sends max_age alone for a re-authentication without acr', () => {
    expect(stepUpParams({ maxAge: 0 }, { claimsParameter: false })).toEqual({ max_age: '0' });
  });

  it('throws a TypeError for a malformed demand', () => {
    expect(() => stepUpParams({ maxAge: 1.5 }, { claimsParameter: true })).toThrow(TypeError);
    expect(() => stepUpParams({ acrValues: [''] }, { claimsParameter: true })).toThrow(TypeError);
    expect(() => stepUpParams('mfa' as never, { claimsParameter: true })).toThrow(TypeError);
  });
});
