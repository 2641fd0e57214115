import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/CheckpointError.js';
import { DEFAULT_TENANT_CONFIG, mergeConfig, type TenantOverrides } from './TenantConfig.js';
import { assertConsistent, validateOverrides } from './validateOverrides.js';

/** The CheckpointError `validateOverrides(value)` throws; fails the test when it throws none. */
function refusal(value: unknown, path?: string): CheckpointError {
  try {
    validateOverrides(value, path);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('invalid_request');
    return error as CheckpointError;
  }
  throw new Error('expected validateOverrides to refuse the value');
}

const FULL: TenantOverrides = {
  codeLength: 8,
  allowShortCodes: false,
  ttlSeconds: 300,
  maxAttempts: 3,
  maxSends: 4,
  resendCooldownSeconds: 45,
  fallbackTimeoutSeconds: 20,
  channels: ['sms', 'whatsapp', 'email'],
  defaultCountry: 'US',
  countries: { allow: ['US', 'CA'], deny: ['CA'], sanctioned: ['CU', 'IR', 'KP', 'RU'] },
  velocity: {
    destination: [{ limit: 3, windowSeconds: 600 }],
    ip: [{ limit: 10, windowSeconds: 600 }],
    asn: [{ limit: 100, windowSeconds: 600 }],
    tenant: [{ limit: 1000, windowSeconds: 3600 }],
  },
  destinationFailures: { limit: 10, windowSeconds: 3600 },
  locale: 'es-MX',
  auditRetentionDays: 730,
  trustIdpMfa: true,
  stepUp: { billing_change: { aal: 3 } },
  webhooks: [
    { url: 'https://hooks.example.com/checkpoint', events: ['verification.approved'] },
    { url: 'http://localhost:8080/events' },
  ],
};

describe('validateOverrides', () => {
  it('accepts an overrides object that sets every setting', () => {
    expect(validateOverrides(FULL)).toEqual(FULL);
  });

  it('accepts an empty object and an object without a prototype', () => {
    expect(validateOverrides({})).toEqual({});
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { maxAttempts: 3 });
    expect(validateOverrides(bare)).toEqual({ maxAttempts: 3 });
  });

  it('returns a frozen copy, lists included', () => {
    const input = { channels: ['sms'], countries: { allow: ['US'] } };
    const result = validateOverrides(input);
    expect(result).not.toBe(input);
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.channels)).toBe(true);
    expect(Object.isFrozen(result.countries)).toBe(true);
    expect(Object.isFrozen(result.countries?.allow)).toBe(true);
    input.channels.push('email');
    expect(result.channels).toEqual(['sms']);
  });

  it('drops keys whose value is undefined', () => {
    const result = validateOverrides({ maxAttempts: 3, codeLength: undefined });
    expect(result).toEqual({ maxAttempts: 3 });
    expect('codeLength' in result).toBe(false);
  });

  it('refuses a value that is not a plain object', () => {
    for (const value of [null, undefined, 'x', 42, [], new Date(0)]) {
      expect(refusal(value).message).toBe('overrides must be an object');
    }
  });

  it('refuses an unknown key and names it in the message', () => {
    const error = refusal({ maxAtempts: 3 });
    expect(error.message).toContain('overrides.maxAtempts is not a known setting');
    expect(error.message).toContain('maxAttempts');
  });

  it('refuses an unknown nested key and names its full path', () => {
    expect(refusal({ velocity: { sms: [] } }).message).toContain('overrides.velocity.sms');
    expect(refusal({ countries: { block: ['CU'] } }).message).toContain(
      'overrides.countries.block',
    );
    expect(refusal({ webhooks: [{ url: 'https://a.example', secret: 'x' }] }).message).toContain(
      'overrides.webhooks[0].secret',
    );
  });

  it('uses the path it is given in messages', () => {
    expect(refusal({ nope: 1 }, 'defaults').message).toContain('defaults.nope');
  });

  it('refuses inherited Object.prototype names as keys', () => {
    expect(refusal({ constructor: 1 }).message).toContain('overrides.constructor');
    expect(refusal({ toString: 'x' }).message).toContain('overrides.toString');
    expect(refusal({ hasOwnProperty: 1 }).message).toContain('overrides.hasOwnProperty');
  });

  it('refuses a __proto__ key from JSON.parse without polluting Object.prototype', () => {
    const parsed: unknown = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(refusal(parsed).message).toContain('overrides.__proto__');
    const nested: unknown = JSON.parse('{"velocity": {"__proto__": {"polluted": 1}}}');
    expect(refusal(nested).message).toContain('overrides.velocity.__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it.each([
    ['codeLength', '6'],
    ['allowShortCodes', 'yes'],
    ['allowShortCodes', 1],
    ['trustIdpMfa', null],
    ['channels', 'sms'],
    ['channels', [42]],
    ['channels', ['has space']],
    ['countries', ['US']],
    ['velocity', 'strict'],
    ['locale', 'english!'],
    ['stepUp', []],
    ['webhooks', { url: 'https://a.example' }],
    ['defaultCountry', 1],
  ])('refuses %s = %j as the wrong type', (key, value) => {
    expect(refusal({ [key]: value }).message).toContain(`overrides.${key}`);
  });

  it.each([
    ['ttlSeconds', 601],
    ['ttlSeconds', 29],
    ['codeLength', 3],
    ['codeLength', 11],
    ['codeLength', 6.5],
    ['maxAttempts', 0],
    ['maxAttempts', 11],
    ['maxSends', 0],
    ['resendCooldownSeconds', -1],
    ['fallbackTimeoutSeconds', 0],
    ['auditRetentionDays', 0],
    ['ttlSeconds', Number.NaN],
    ['ttlSeconds', Number.POSITIVE_INFINITY],
  ])('refuses %s = %s as out of range', (key, value) => {
    expect(refusal({ [key]: value }).message).toMatch(
      new RegExp(`^overrides\\.${key} must be an integer from \\d+ to \\d+$`),
    );
  });

  it('refuses a TTL of 601 seconds, past the 10 minutes NIST allows, and accepts 600', () => {
    expect(refusal({ ttlSeconds: 601 }).message).toBe(
      'overrides.ttlSeconds must be an integer from 30 to 600',
    );
    expect(validateOverrides({ ttlSeconds: 600 })).toEqual({ ttlSeconds: 600 });
  });

  it('refuses more than 100 destination failures, the NIST ceiling', () => {
    expect(refusal({ destinationFailures: { limit: 101 } }).message).toContain(
      'overrides.destinationFailures.limit',
    );
    expect(validateOverrides({ destinationFailures: { limit: 100 } })).toEqual({
      destinationFailures: { limit: 100 },
    });
  });

  it('takes a destination failure budget’s first lock in whole seconds, 0 meaning until the window ends', () => {
    expect(validateOverrides({ destinationFailures: { lockSeconds: 0 } })).toEqual({
      destinationFailures: { lockSeconds: 0 },
    });
    expect(refusal({ destinationFailures: { lockSeconds: -1 } }).message).toContain(
      'overrides.destinationFailures.lockSeconds',
    );
  });

  it('refuses a rate window without both limit and windowSeconds', () => {
    expect(refusal({ velocity: { ip: [{ limit: 5 }] } }).message).toBe(
      'overrides.velocity.ip[0].windowSeconds is required',
    );
    expect(refusal({ velocity: { ip: [{ limit: 5, windowSeconds: 0 }] } }).message).toContain(
      'overrides.velocity.ip[0].windowSeconds',
    );
  });

  it('refuses over-long lists', () => {
    const window = { limit: 1, windowSeconds: 60 };
    expect(
      refusal({ velocity: { ip: Array.from({ length: 9 }, () => window) } }).message,
    ).toContain('at most 8 entries');
    expect(refusal({ channels: Array.from({ length: 17 }, (_, i) => `c${i}`) }).message).toContain(
      'at most 16 entries',
    );
  });

  it('refuses a default country that has no numbering plan, such as "ZZ"', () => {
    expect(refusal({ defaultCountry: 'ZZ' }).message).toContain('libphonenumber-js');
    expect(validateOverrides({ defaultCountry: 'GB' })).toEqual({ defaultCountry: 'GB' });
  });

  it.each(['us', 'USA', 'U1', '', 'U'])('refuses the country code %j', (code) => {
    expect(refusal({ defaultCountry: code }).message).toContain('ISO 3166-1 alpha-2');
    expect(refusal({ countries: { deny: ['US', code] } }).message).toContain(
      'overrides.countries.deny[1]',
    );
  });

  it.each([
    'ftp://hooks.example.com/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/plain,hi',
  ])('refuses the non-http(s) webhook URL %s', (url) => {
    expect(refusal({ webhooks: [{ url }] }).message).toBe(
      'overrides.webhooks[0].url must be an http(s) URL',
    );
  });

  it.each([
    'https://user:pass@hooks.example.com/x',
    'https://user@hooks.example.com/x',
    'http://:pw@localhost/',
  ])('refuses the webhook URL %s because it carries credentials', (url) => {
    expect(refusal({ webhooks: [{ url }] }).message).toBe(
      'overrides.webhooks[0].url must not carry credentials',
    );
  });

  it('refuses relative and unparseable webhook URLs', () => {
    expect(refusal({ webhooks: [{ url: '/hooks' }] }).message).toContain('absolute URL');
    expect(refusal({ webhooks: [{ url: 'not a url' }] }).message).toContain('absolute URL');
    expect(
      refusal({ webhooks: [{ url: `https://a.example/${'x'.repeat(2048)}` }] }).message,
    ).toContain('must be a URL');
  });

  it('refuses a webhook without a url', () => {
    expect(refusal({ webhooks: [{ events: ['verification.approved'] }] }).message).toBe(
      'overrides.webhooks[0].url is required',
    );
  });

  it('refuses a stepUp object larger than 16 KiB', () => {
    expect(refusal({ stepUp: { big: 'x'.repeat(17_000) } }).message).toBe(
      'overrides.stepUp is too large',
    );
  });
});

describe('assertConsistent', () => {
  it('refuses a 4-digit code without allowShortCodes', () => {
    const config = mergeConfig(DEFAULT_TENANT_CONFIG, { codeLength: 4 });
    expect(() => assertConsistent(config)).toThrow(CheckpointError);
    expect(() => assertConsistent(config)).toThrow(
      /config\.codeLength below 6 needs allowShortCodes: true/,
    );
  });

  it('refuses a 5-digit code without allowShortCodes', () => {
    expect(() =>
      assertConsistent(mergeConfig(DEFAULT_TENANT_CONFIG, { codeLength: 5 }), 'acme'),
    ).toThrow(/^acme\.codeLength/);
  });

  it('accepts a 4-digit code with allowShortCodes', () => {
    expect(() =>
      assertConsistent(
        mergeConfig(DEFAULT_TENANT_CONFIG, { codeLength: 4, allowShortCodes: true }),
      ),
    ).not.toThrow();
  });

  it('accepts the defaults and codes of 6 digits or more', () => {
    expect(() => assertConsistent(DEFAULT_TENANT_CONFIG)).not.toThrow();
    expect(() =>
      assertConsistent(mergeConfig(DEFAULT_TENANT_CONFIG, { codeLength: 10 })),
    ).not.toThrow();
  });
});
