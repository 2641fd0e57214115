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

  it('asks for one authentication context as an essential acrs value, several as values', () => {
    const one = stepUpParams(
      { acrs: ['c1'], maxAge: 300, prompt: 'login' },
      { claimsParameter: true },
    );
    expect(one).toMatchObject({ max_age: '300', prompt: 'login' });
    expect(one).not.toHaveProperty('acr_values');
    expect(JSON.parse(one['claims'] ?? '')).toEqual({
      id_token: {
        auth_time: { essential: true },
        amr: null,
        acr: null,
        acrs: { essential: true, value: 'c1' },
      },
    });
    const two = stepUpParams({ acrs: ['c1', 'c2'] }, { claimsParameter: true });
    expect(JSON.parse(two['claims'] ?? '')).toMatchObject({
      id_token: { acrs: { essential: true, values: ['c1', 'c2'] } },
    });
  });

  it('sends prompt=login and max_age for an amr demand, which has no parameter of its own', () => {
    expect(
      stepUpParams(
        { amr: [{ allOf: ['mfa'] }], maxAge: 300, prompt: 'login' },
        { claimsParameter: false },
      ),
    ).toEqual({ max_age: '300', prompt: 'login' });
  });

  it('refuses authentication contexts for an IdP that does not take the claims parameter', () => {
    expect(() => stepUpParams({ acrs: ['c1'] }, { claimsParameter: false })).toThrow(
      /can only be asked for through the claims parameter.*claimsParameter: true/,
    );
  });

  it.each<[string, unknown]>([
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['an empty acr value', { acrValues: [''] }],
    ['a string', 'mfa'],
    ['a context id with a space', { acrs: ['c 1'] }],
    ['contexts that are a string', { acrs: 'c1' }],
    ['amr conditions that are strings', { amr: ['mfa'] }],
    ['an amr condition with no values', { amr: [{}] }],
    ['an amr condition with an empty anyOf', { amr: [{ allOf: ['mfa'], anyOf: [] }] }],
    ['a prompt other than login', { prompt: 'consent' }],
  ])('throws a TypeError for a malformed demand: %s', (_name, demand) => {
    expect(() => stepUpParams(demand as never, { claimsParameter: true })).toThrow(TypeError);
  });
});
