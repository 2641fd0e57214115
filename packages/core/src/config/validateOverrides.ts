import { isSupportedCountry } from 'libphonenumber-js/max';
import { invalidRequest } from '../errors/CheckpointError.js';
import { CHANNEL_MEDIA, LINE_TYPES } from '../pumping/PumpingConfig.js';
import type { TenantConfig, TenantOverrides } from './TenantConfig.js';

const COUNTRY = /^[A-Z]{2}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
const MAX_LIST = 300;

type Check = (value: unknown, path: string) => unknown;

const int =
  (min: number, max: number): Check =>
  (value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalidRequest(`${path} must be an integer from ${min} to ${max}`);
    }
    return value;
  };

const bool: Check = (value, path) => {
  if (typeof value !== 'boolean') throw invalidRequest(`${path} must be true or false`);
  return value;
};

const list =
  (item: Check, max = MAX_LIST): Check =>
  (value, path) => {
    if (!Array.isArray(value) || value.length > max) {
      throw invalidRequest(`${path} must be an array of at most ${max} entries`);
    }
    // Array.from visits holes too, so a sparse array cannot skip validation.
    return Object.freeze(
      Array.from(value as unknown[], (entry, index) => item(entry, `${path}[${index}]`)),
    );
  };

const pattern =
  (re: RegExp, what: string): Check =>
  (value, path) => {
    if (typeof value !== 'string' || !re.test(value))
      throw invalidRequest(`${path} must be ${what}`);
    return value;
  };

const country = pattern(COUNTRY, 'an ISO 3166-1 alpha-2 code such as "US"');

const oneOf =
  (values: readonly string[]): Check =>
  (value, path) => {
    if (typeof value !== 'string' || !values.includes(value))
      throw invalidRequest(`${path} must be one of ${values.join(', ')}`);
    return value;
  };

const rateWindow: Check = (value, path) =>
  object({ limit: int(1, 10_000_000), windowSeconds: int(1, 31 * 86_400) }, [
    'limit',
    'windowSeconds',
  ])(value, path);

const rateWindows = list(rateWindow, 8);

function object(shape: Record<string, Check>, required: readonly string[] = []): Check {
  return (value, path) => {
    if (!isPlainObject(value)) throw invalidRequest(`${path} must be an object`);
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const check = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (check === undefined) {
        throw invalidRequest(
          `${path}.${key} is not a known setting (known: ${Object.keys(shape).join(', ')})`,
        );
      }
      if (entry !== undefined) out[key] = check(entry, `${path}.${key}`);
    }
    for (const key of required) {
      if (out[key] === undefined) throw invalidRequest(`${path}.${key} is required`);
    }
    return Object.freeze(out);
  };
}

const webhookUrl: Check = (value, path) => {
  if (typeof value !== 'string' || value.length > 2048)
    throw invalidRequest(`${path} must be a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest(`${path} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidRequest(`${path} must be an http(s) URL`);
  if (url.username || url.password) throw invalidRequest(`${path} must not carry credentials`);
  return value;
};

const SHAPE: Record<keyof TenantConfig, Check> = {
  codeLength: int(4, 10),
  allowShortCodes: bool,
  ttlSeconds: int(30, 600),
  maxAttempts: int(1, 10),
  maxSends: int(1, 10),
  resendCooldownSeconds: int(0, 600),
  fallbackTimeoutSeconds: int(1, 600),
  channels: list(pattern(NAME, 'a channel name'), 16),
  defaultCountry: (value, path) => {
    if (typeof value !== 'string' || !COUNTRY.test(value) || !isSupportedCountry(value)) {
      throw invalidRequest(
        `${path} must be an ISO 3166-1 alpha-2 code of a region libphonenumber-js knows, such as "US"`,
      );
    }
    return value;
  },
  countries: object({ allow: list(country), deny: list(country), sanctioned: list(country) }),
  velocity: object({
    destination: rateWindows,
    ip: rateWindows,
    asn: rateWindows,
    tenant: rateWindows,
  }),
  destinationFailures: object({
    limit: int(1, 100),
    windowSeconds: int(60, 31 * 86_400),
    lockSeconds: int(0, 31 * 86_400),
  }),
  locale: pattern(LOCALE, 'a BCP 47 language tag such as "en" or "es-MX"'),
  auditRetentionDays: int(1, 3_660),
  trustIdpMfa: bool,
  rememberDeviceDays: int(0, 400),
  stepUp: (value, path) => {
    if (!isPlainObject(value)) throw invalidRequest(`${path} must be an object`);
    if (!isJsonData(value, 0))
      throw invalidRequest(
        `${path} must be plain JSON data (no functions, symbols, cycles or deep nesting)`,
      );
    const json = JSON.stringify(value);
    if (json.length > 16_384) throw invalidRequest(`${path} is too large`);
    return Object.freeze(JSON.parse(json) as Record<string, unknown>);
  },
  pumping: object({
    enabled: bool,
    refuseLineTypes: list(oneOf(LINE_TYPES), 16),
    noSmsLineTypes: list(oneOf(LINE_TYPES), 16),
    recentSimSwapSeconds: int(0, 366 * 86_400),
    simSwapSkipMedia: list(oneOf(CHANNEL_MEDIA), 8),
    profile: oneOf(['standard', 'strict']),
    createdAt: int(0, 100_000_000_000_000),
    newTenantDays: int(0, 3_660),
    prefixBurst: rateWindow,
    networkBurst: rateWindow,
    conversionMinPercent: int(0, 100),
    conversionPrefixMinSends: int(1, 1_000_000),
    conversionNetworkMinSends: int(1, 1_000_000),
    conversionCountryMinSends: int(1, 10_000_000),
    conversionCooldownSeconds: int(60, 7 * 86_400),
    reputation: bool,
    allow: list(pattern(/^\+[1-9][0-9]{0,14}$/, "an E.164 number or prefix such as '+4420'"), 300),
  }),
  webhooks: list(
    object(
      {
        url: webhookUrl,
        events: list(pattern(/^[a-z][a-z0-9_.]{0,63}$/, 'an event type'), 64),
      },
      ['url'],
    ),
    16,
  ),
};

/**
 * @internal
 * Validates what `configure()` or `createCheckpoint({ defaults })` was given. Unknown keys are
 * refused (a misspelt `maxAtempts` must not silently keep the default).
 */
export function validateOverrides(value: unknown, path = 'overrides'): TenantOverrides {
  return object(SHAPE)(value, path) as TenantOverrides;
}

/** @internal Rules that span settings, checked on the effective config. */
export function assertConsistent(config: TenantConfig, path = 'config'): void {
  if (config.codeLength < 6 && !config.allowShortCodes) {
    throw invalidRequest(
      `${path}.codeLength below 6 needs allowShortCodes: true (short codes never count toward AAL2)`,
    );
  }
}

/** Plain JSON data only: what a Store can keep and another process can read back the same. */
function isJsonData(value: unknown, depth: number): boolean {
  if (depth > 8) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((entry) => isJsonData(entry, depth + 1));
  return (
    isPlainObject(value) && Object.values(value).every((entry) => isJsonData(entry, depth + 1))
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
