import { describe, expect, it } from 'vitest';
import { validateTenantPolicy } from './TenantPolicy.js';
import { minimalAmrSets, provesHardwareKeyWithUv } from './TrustedIdp.js';

const IDP = 'https://login.acme.example';

/** A tenant that trusts one IdP as `idp` says. */
const trusting = (idp: Record<string, unknown>) => ({
  id: 'acme',
  trustIdpMfa: true,
  trustedIdps: [{ issuer: IDP, ...idp }],
});

describe('validateTenantPolicy with trusted IdPs', () => {
  it.each<[string, Record<string, unknown>]>([
    ['acr values only (the first shape)', { acr: { 'urn:idp:mfa': 2, phrh: 3 } }],
    ['an empty acr map', { acr: {} }],
    ['amr rules only', { amr: [{ allOf: ['mfa'], aal: 2 }] }],
    [
      'a hardware key with user verification at AAL3',
      { amr: [{ allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'], aal: 3 }] },
    ],
    ['the same, both values in allOf', { amr: [{ allOf: ['hwk', 'pin'], aal: 3 }] }],
    ['an anyOf alone', { amr: [{ anyOf: ['mfa', 'ngcmfa'], aal: 2 }] }],
    ['authentication contexts only', { acrs: { c1: 2, c2: 1 } }],
    [
      'all three at once',
      { acr: { 'urn:idp:mfa': 2 }, amr: [{ allOf: ['mfa'], aal: 2 }], acrs: { c1: 2 } },
    ],
    ['fields it does not read, such as a label', { acr: { x: 2 }, label: 'Okta' }],
  ])('accepts %s', (_name, idp) => {
    const tenant = trusting(idp);
    expect(validateTenantPolicy(tenant)).toBe(tenant);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an IdP whose only trust is misspelt',
      { amrs: [{ allOf: ['mfa'], aal: 2 }] },
      /trustedIdps\[0\] must say what to trust/,
    ],
    [
      'amr rules that are not a list',
      { amr: { allOf: ['mfa'], aal: 2 } },
      /trustedIdps\[0\]\.amr must be an array of rules such as \[\{ allOf: \['mfa'\], aal: 2 \}\]/,
    ],
    ['a rule that is a string', { amr: ['mfa'] }, /amr\[0\] must be a rule such as/],
    [
      'a rule with a misspelt field',
      { amr: [{ allof: ['mfa'], aal: 2 }] },
      /amr\[0\] has an unknown field "allof"; pass allOf, anyOf and aal/,
    ],
    [
      'a rule without amr values, which would accept every login',
      { amr: [{ aal: 2 }] },
      /amr\[0\] needs allOf or anyOf: a rule without amr values would accept every login/,
    ],
    [
      'a rule whose allOf is empty and no anyOf',
      { amr: [{ allOf: [], aal: 2 }] },
      /amr\[0\] needs allOf or anyOf/,
    ],
    [
      'an empty anyOf, which no login meets',
      { amr: [{ allOf: ['mfa'], anyOf: [], aal: 2 }] },
      /amr\[0\]\.anyOf is empty, so no login would meet it/,
    ],
    [
      'an allOf that is a string',
      { amr: [{ allOf: 'mfa', aal: 2 }] },
      /amr\[0\]\.allOf must be an array of amr values/,
    ],
    [
      'an amr value with a space',
      { amr: [{ anyOf: ['pwd mfa'], aal: 2 }] },
      /amr\[0\]\.anyOf must be an array of amr values/,
    ],
    ['a rule without an AAL', { amr: [{ allOf: ['mfa'] }] }, /amr\[0\]\.aal must be 1, 2 or 3/],
    [
      'mfa mapped to AAL3',
      { amr: [{ allOf: ['mfa'], aal: 3 }] },
      /amr\[0\] maps to AAL3, which an amr rule reaches only when every login it accepts used 'hwk' with one of pin, fpt/,
    ],
    [
      'a hardware key without user verification mapped to AAL3',
      { amr: [{ allOf: ['hwk'], aal: 3 }] },
      /amr\[0\] maps to AAL3/,
    ],
    [
      'a hardware key or a PIN mapped to AAL3 (the PIN alone would do)',
      { amr: [{ allOf: ['hwk'], anyOf: ['pin', 'otp'], aal: 3 }] },
      /amr\[0\] maps to AAL3/,
    ],
    [
      'a software key with a PIN mapped to AAL3',
      { amr: [{ allOf: ['swk', 'pin'], aal: 3 }] },
      /amr\[0\] maps to AAL3/,
    ],
    [
      'contexts that are a list',
      { acrs: ['c1'] },
      /trustedIdps\[0\]\.acrs must map authentication context ids to AALs, e.g. \{ c1: 2 \}/,
    ],
    [
      'a context mapped to AAL3',
      { acrs: { c1: 3 } },
      /acrs\["c1"\] cannot be 3: a context id names a Conditional Access policy, not a phishing-resistant authenticator/,
    ],
    ['a context mapped to 0', { acrs: { c1: 0 } }, /acrs\["c1"\] must be 1 or 2 \(an AAL\), got 0/],
    [
      'a context id with a space',
      { acrs: { 'c 1': 2 } },
      /acrs has "c 1": a context id is one word/,
    ],
  ])('throws a TypeError that says what to pass for %s', (_name, idp, message) => {
    const tenant = trusting(idp);
    expect(() => validateTenantPolicy(tenant)).toThrow(TypeError);
    expect(() => validateTenantPolicy(tenant)).toThrow(message);
  });

  it('names the IdP and the rule at fault', () => {
    const tenant = {
      id: 'acme',
      trustedIdps: [
        { issuer: IDP, acr: { x: 2 } },
        { issuer: 'https://other.example', amr: [{ allOf: ['mfa'], aal: 2 }, { aal: 2 }] },
      ],
    };
    expect(() => validateTenantPolicy(tenant)).toThrow(/tenant\.trustedIdps\[1\]\.amr\[1\]/);
  });
});

describe('amr rule structure', () => {
  it('expands a rule into the smallest amr sets that meet it', () => {
    expect(minimalAmrSets({ allOf: ['hwk'], anyOf: ['pin', 'fpt'] })).toEqual([
      ['hwk', 'pin'],
      ['hwk', 'fpt'],
    ]);
    expect(minimalAmrSets({ allOf: ['pwd', 'otp'] })).toEqual([['pwd', 'otp']]);
    expect(minimalAmrSets({ anyOf: ['mfa', 'ngcmfa'] })).toEqual([['mfa'], ['ngcmfa']]);
  });

  it('calls a rule a hardware key with user verification only when every way to meet it is one', () => {
    expect(provesHardwareKeyWithUv({ allOf: ['hwk'], anyOf: ['pin', 'fpt', 'face'] })).toBe(true);
    expect(provesHardwareKeyWithUv({ allOf: ['hwk', 'vbm'] })).toBe(true);
    expect(provesHardwareKeyWithUv({ allOf: ['hwk'], anyOf: ['pin', 'user'] })).toBe(false);
    expect(provesHardwareKeyWithUv({ allOf: ['hwk', 'user'] })).toBe(false);
    expect(provesHardwareKeyWithUv({ allOf: ['mfa', 'pin'] })).toBe(false);
  });
});
