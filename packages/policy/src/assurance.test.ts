import { describe, expect, it } from 'vitest';
import { assuranceOf } from './assurance.js';
import { type Factor, factor } from './Factor.js';
import { IDP, make, NOW, PLAIN, SCENARIOS, TRUSTING } from './scenarios.fixture.js';

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;
const MINUTE = 60_000;

describe('assuranceOf over every single factor and every meaningful pair', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    'gives the NIST level for %s',
    (_name, scenario) => {
      const factors = scenario.factors.map((build) => build(NOW - MINUTE));
      const { aal, phishingResistant, nonNist } = assuranceOf(factors, scenario.tenant, {
        now: NOW,
      });
      expect({ aal, phishingResistant, nonNist }).toEqual(scenario.assurance);
    },
  );

  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    'gives the same level for %s when no time is given',
    (_name, scenario) => {
      const factors = scenario.factors.map((build) => build(NOW - MINUTE));
      expect(assuranceOf(factors, scenario.tenant).aal).toBe(scenario.assurance.aal);
    },
  );
});

describe('assuranceOf freshness', () => {
  const pair = (at: number) => [make.pwd(at), make.sms(at)];

  it('counts a factor exactly maxAgeSeconds old', () => {
    expect(assuranceOf(pair(NOW - 300_000), PLAIN, { now: NOW, maxAgeSeconds: 300 }).aal).toBe(2);
  });

  it('does not count a factor one millisecond older than maxAgeSeconds', () => {
    const result = assuranceOf(pair(NOW - 300_001), PLAIN, { now: NOW, maxAgeSeconds: 300 });
    expect(result).toEqual({ aal: 0, phishingResistant: false, nonNist: false, counted: [] });
  });

  it('does not count a factor from the future, with or without maxAgeSeconds', () => {
    expect(assuranceOf(pair(NOW + 1), PLAIN, { now: NOW }).aal).toBe(0);
    expect(assuranceOf(pair(NOW + 1), PLAIN, { now: NOW, maxAgeSeconds: 300 }).aal).toBe(0);
  });

  it('counts a factor at exactly now, even with a maxAgeSeconds of 0', () => {
    expect(assuranceOf(pair(NOW), PLAIN, { now: NOW, maxAgeSeconds: 0 }).aal).toBe(2);
  });

  it('needs both factors of a pair to be fresh', () => {
    const factors = [make.pwd(NOW - 301_000), make.sms(NOW - 1_000)];
    const result = assuranceOf(factors, PLAIN, { now: NOW, maxAgeSeconds: 300 });
    expect(result.aal).toBe(1);
    expect(result.counted).toEqual([factors[1]]);
  });
});

describe('assuranceOf counting', () => {
  it('lists the counted factors in the order held and leaves out those that count toward nothing', () => {
    const factors = [make.email(NOW), make.pwd(NOW), make.ssoMfa(NOW), make.sms(NOW + 5)];
    expect(assuranceOf(factors, TRUSTING, { now: NOW }).counted).toEqual([factors[1], factors[2]]);
  });

  it('only counts factors of the methods given', () => {
    const factors = [make.pwd(NOW), make.sms(NOW), make.passkeySynced(NOW)];
    expect(assuranceOf(factors, PLAIN, { methods: ['webauthn'] }).aal).toBe(2);
    expect(assuranceOf(factors, PLAIN, { methods: ['pwd', 'otp-sms'] })).toMatchObject({
      aal: 2,
      phishingResistant: false,
    });
    expect(assuranceOf(factors, PLAIN, { methods: ['otp-sms'] }).aal).toBe(1);
  });

  it("lets an email code prove an address (AAL1, not NIST) where 'otp-email' is named, and no more", () => {
    const factors = [make.pwd(NOW), make.email(NOW)];
    expect(assuranceOf(factors, PLAIN, { methods: ['otp-email'] })).toMatchObject({
      aal: 1,
      nonNist: true,
    });
    expect(assuranceOf(factors, PLAIN, { methods: ['pwd', 'otp-email'] })).toMatchObject({
      aal: 1,
      nonNist: false,
    });
  });

  it('recomputes the level from the evidence and ignores a stored aal or amr', () => {
    const forged = { ...make.pwd(NOW), aal: 3, amr: ['hwk', 'mfa'] } as Factor;
    const unverified = { ...make.keySynced(NOW), aal: 3 } as Factor;
    expect(assuranceOf([forged], PLAIN).aal).toBe(1);
    expect(assuranceOf([unverified], PLAIN).aal).toBe(1);
  });

  it('ignores malformed entries of a session instead of throwing', () => {
    const junk = loose<Factor[]>([
      null,
      'pwd',
      { method: 'pin', at: NOW },
      { method: 'pwd', at: 'x' },
      {},
    ]);
    expect(assuranceOf(junk, PLAIN, { now: NOW }).aal).toBe(0);
  });

  it('treats a code length that is not a number as a short code', () => {
    const odd = { ...make.sms(NOW), codeLength: loose<number>('6') };
    expect(assuranceOf([make.pwd(NOW), odd], PLAIN).aal).toBe(1);
  });
});

describe('assuranceOf with an IdP', () => {
  it('matches the issuer exactly', () => {
    const trailingSlash = factor('sso', { at: NOW, source: `${IDP}/`, acr: 'urn:idp:mfa' });
    expect(assuranceOf([trailingSlash], TRUSTING).aal).toBe(1);
  });

  it('does not read acr values from the prototype of the mapping', () => {
    for (const acr of ['__proto__', 'constructor', 'toString']) {
      expect(assuranceOf([factor('sso', { at: NOW, source: IDP, acr })], TRUSTING).aal).toBe(1);
    }
  });

  it("never reads trust from the IdP's amr", () => {
    const claimsMfa = factor('sso', { at: NOW, source: IDP, amr: ['mfa', 'hwk'] });
    expect(assuranceOf([claimsMfa], TRUSTING)).toMatchObject({ aal: 1, phishingResistant: false });
  });
});

describe('assuranceOf misuse', () => {
  it.each<[string, unknown, unknown, unknown, RegExp]>([
    ['factors that are not an array', undefined, PLAIN, {}, /needs an array of factors/],
    ['no tenant', [], undefined, {}, /a tenant policy must be an object/],
    ['a tenant without an id', [], {}, {}, /tenant\.id must be the tenant's id/],
    [
      'a time that is not a number',
      [],
      PLAIN,
      { now: '12:00' },
      /needs now: the current time in epoch milliseconds/,
    ],
    [
      'a negative maxAgeSeconds',
      [],
      PLAIN,
      { now: NOW, maxAgeSeconds: -1 },
      /maxAgeSeconds must be a whole number of seconds from 0/,
    ],
    [
      'a maxAgeSeconds in milliseconds by mistake',
      [],
      PLAIN,
      { now: NOW, maxAgeSeconds: 86_400_000 },
      /30 days/,
    ],
    [
      'a maxAgeSeconds without now',
      [],
      PLAIN,
      { maxAgeSeconds: 300 },
      /needs options\.now with maxAgeSeconds/,
    ],
    [
      'an unknown method',
      [],
      PLAIN,
      { methods: ['sms'] },
      /options\.methods must be an array of pwd/,
    ],
    [
      'an IdP mapping to aal 4',
      [],
      { id: 'acme', trustedIdps: [{ issuer: IDP, acr: { gold: 4 } }] },
      {},
      /tenant\.trustedIdps\[0\]\.acr\["gold"\] must be 1, 2 or 3/,
    ],
  ])(
    'throws a TypeError that says what to pass for %s',
    (_name, factors, tenant, options, message) => {
      const call = () => assuranceOf(loose(factors), loose(tenant), loose(options));
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    },
  );
});
