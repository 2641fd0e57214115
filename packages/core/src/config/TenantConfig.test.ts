import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TENANT_CONFIG,
  mergeConfig,
  mergeOverrides,
  type TenantOverrides,
} from './TenantConfig.js';

/** An overrides layer with an explicit `maxAttempts: undefined`, as a JavaScript caller may pass. */
const UNSET_MAX_ATTEMPTS = { maxAttempts: undefined } as unknown as TenantOverrides;

describe('DEFAULT_TENANT_CONFIG', () => {
  it('holds the documented defaults', () => {
    expect(DEFAULT_TENANT_CONFIG).toMatchObject({
      codeLength: 6,
      allowShortCodes: false,
      ttlSeconds: 600,
      maxAttempts: 5,
      maxSends: 5,
      resendCooldownSeconds: 30,
      fallbackTimeoutSeconds: 30,
      channels: undefined,
      defaultCountry: undefined,
      countries: {},
      destinationFailures: { limit: 20, windowSeconds: 86_400 },
      locale: 'en',
      auditRetentionDays: 365,
      trustIdpMfa: false,
      stepUp: {},
      webhooks: [],
    });
  });

  it('keeps destination failures within the 100 NIST allows and the TTL within 10 minutes', () => {
    expect(DEFAULT_TENANT_CONFIG.destinationFailures.limit).toBeLessThanOrEqual(100);
    expect(DEFAULT_TENANT_CONFIG.ttlSeconds).toBeLessThanOrEqual(600);
  });

  it('caps sends per destination, IP, ASN and tenant', () => {
    const { velocity } = DEFAULT_TENANT_CONFIG;
    expect(velocity.destination).toEqual([
      { limit: 5, windowSeconds: 600 },
      { limit: 10, windowSeconds: 86_400 },
    ]);
    expect(velocity.ip.length).toBeGreaterThan(0);
    expect(velocity.asn.length).toBeGreaterThan(0);
    expect(velocity.tenant.length).toBeGreaterThan(0);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_TENANT_CONFIG)).toBe(true);
  });
});

describe('mergeConfig', () => {
  it('returns a copy of the base when there are no layers', () => {
    const merged = mergeConfig(DEFAULT_TENANT_CONFIG);
    expect(merged).toEqual(DEFAULT_TENANT_CONFIG);
    expect(merged).not.toBe(DEFAULT_TENANT_CONFIG);
  });

  it('replaces top-level settings, later layers winning', () => {
    const merged = mergeConfig(
      DEFAULT_TENANT_CONFIG,
      { maxAttempts: 3, locale: 'fr' },
      { maxAttempts: 4 },
    );
    expect(merged.maxAttempts).toBe(4);
    expect(merged.locale).toBe('fr');
    expect(merged.ttlSeconds).toBe(600);
  });

  it('merges velocity one level deep: overriding ip keeps destination', () => {
    const ip = [{ limit: 3, windowSeconds: 60 }];
    const merged = mergeConfig(DEFAULT_TENANT_CONFIG, { velocity: { ip } });
    expect(merged.velocity.ip).toEqual(ip);
    expect(merged.velocity.destination).toEqual(DEFAULT_TENANT_CONFIG.velocity.destination);
    expect(merged.velocity.asn).toEqual(DEFAULT_TENANT_CONFIG.velocity.asn);
    expect(merged.velocity.tenant).toEqual(DEFAULT_TENANT_CONFIG.velocity.tenant);
  });

  it('replaces a velocity list as a whole rather than merging its windows', () => {
    const merged = mergeConfig(DEFAULT_TENANT_CONFIG, {
      velocity: { destination: [{ limit: 1, windowSeconds: 60 }] },
    });
    expect(merged.velocity.destination).toEqual([{ limit: 1, windowSeconds: 60 }]);
  });

  it('merges countries and destinationFailures one level deep across layers', () => {
    const merged = mergeConfig(
      DEFAULT_TENANT_CONFIG,
      { countries: { allow: ['US'] }, destinationFailures: { limit: 10 } },
      { countries: { deny: ['CA'] } },
    );
    expect(merged.countries).toEqual({ allow: ['US'], deny: ['CA'] });
    expect(merged.destinationFailures).toEqual({
      limit: 10,
      windowSeconds: 86_400,
      lockSeconds: 300,
    });
  });

  it('replaces lists that are not nested objects', () => {
    const merged = mergeConfig(
      DEFAULT_TENANT_CONFIG,
      { channels: ['sms', 'email'] },
      { channels: ['voice'] },
    );
    expect(merged.channels).toEqual(['voice']);
  });

  it('skips undefined values and null or undefined layers', () => {
    const merged = mergeConfig(
      DEFAULT_TENANT_CONFIG,
      null,
      { maxAttempts: 3 },
      undefined,
      UNSET_MAX_ATTEMPTS,
    );
    expect(merged.maxAttempts).toBe(3);
  });

  it('does not modify the base or the layers', () => {
    const before = JSON.stringify(DEFAULT_TENANT_CONFIG);
    const layer: TenantOverrides = { velocity: { ip: [{ limit: 1, windowSeconds: 60 }] } };
    const layerBefore = JSON.stringify(layer);
    mergeConfig(DEFAULT_TENANT_CONFIG, layer, { velocity: { asn: [] } });
    expect(JSON.stringify(DEFAULT_TENANT_CONFIG)).toBe(before);
    expect(JSON.stringify(layer)).toBe(layerBefore);
  });
});

describe('mergeOverrides', () => {
  it('merges nested objects one level deep: a later velocity.ip keeps an earlier velocity.destination', () => {
    const destination = [{ limit: 2, windowSeconds: 600 }];
    const ip = [{ limit: 3, windowSeconds: 60 }];
    expect(mergeOverrides({ velocity: { destination } }, { velocity: { ip } })).toEqual({
      velocity: { destination, ip },
    });
  });

  it('lets the later layer win for the same key', () => {
    expect(
      mergeOverrides(
        { maxAttempts: 3, countries: { allow: ['US'], deny: ['CU'] } },
        { maxAttempts: 4, countries: { allow: ['CA'] } },
      ),
    ).toEqual({ maxAttempts: 4, countries: { allow: ['CA'], deny: ['CU'] } });
  });

  it('adds a nested object the base does not have', () => {
    expect(mergeOverrides({ maxAttempts: 3 }, { destinationFailures: { limit: 9 } })).toEqual({
      maxAttempts: 3,
      destinationFailures: { limit: 9 },
    });
  });

  it('keeps base settings that the next layer leaves undefined', () => {
    expect(mergeOverrides({ maxAttempts: 3 }, UNSET_MAX_ATTEMPTS)).toEqual({ maxAttempts: 3 });
  });

  it('does not modify either layer', () => {
    const base: TenantOverrides = { velocity: { ip: [] } };
    const next: TenantOverrides = { velocity: { asn: [] } };
    mergeOverrides(base, next);
    expect(base).toEqual({ velocity: { ip: [] } });
    expect(next).toEqual({ velocity: { asn: [] } });
  });
});
