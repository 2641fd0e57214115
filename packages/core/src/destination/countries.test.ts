import { describe, expect, it } from 'vitest';
import { countryRefusal, DEFAULT_SANCTIONED_COUNTRIES } from './countries.js';

describe('countryRefusal', () => {
  it('serves any unsanctioned country when the policy is empty', () => {
    expect(countryRefusal('US', {})).toBeUndefined();
    expect(countryRefusal('GB', {})).toBeUndefined();
  });

  it('refuses an explicitly denied country even when it is also allowed', () => {
    expect(countryRefusal('US', { allow: ['US', 'CA'], deny: ['US'] })).toBe('country:denied:US');
  });

  it('refuses countries outside the allowlist and serves those on it', () => {
    const policy = { allow: ['US', 'CA'] };
    expect(countryRefusal('CA', policy)).toBeUndefined();
    expect(countryRefusal('FR', policy)).toBe('country:not_allowed:FR');
  });

  it('refuses everything when the allowlist is empty', () => {
    expect(countryRefusal('US', { allow: [] })).toBe('country:not_allowed:US');
  });

  it.each(['CU', 'IR', 'KP'])('refuses the sanctioned country %s by default', (country) => {
    expect(countryRefusal(country, {})).toBe(`country:sanctioned:${country}`);
  });

  it('lists exactly Cuba, Iran and North Korea as sanctioned by default, frozen', () => {
    expect(DEFAULT_SANCTIONED_COUNTRIES).toEqual(['CU', 'IR', 'KP']);
    expect(Object.isFrozen(DEFAULT_SANCTIONED_COUNTRIES)).toBe(true);
    expect(countryRefusal('SY', {})).toBeUndefined();
  });

  it('serves a sanctioned country that the tenant explicitly allows', () => {
    expect(countryRefusal('CU', { allow: ['CU', 'US'] })).toBeUndefined();
  });

  it('replaces the default sanctions list with the tenant one', () => {
    expect(countryRefusal('CU', { sanctioned: [] })).toBeUndefined();
    expect(countryRefusal('RU', { sanctioned: ['RU'] })).toBe('country:sanctioned:RU');
    expect(countryRefusal('IR', { sanctioned: ['RU'] })).toBeUndefined();
  });

  it('treats an unknown country as ZZ', () => {
    expect(countryRefusal(undefined, {})).toBeUndefined();
    expect(countryRefusal(undefined, { allow: ['US'] })).toBe('country:not_allowed:ZZ');
    expect(countryRefusal(undefined, { deny: ['ZZ'] })).toBe('country:denied:ZZ');
    expect(countryRefusal(undefined, { allow: ['ZZ'] })).toBeUndefined();
  });
});
