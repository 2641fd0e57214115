import type { CountryPolicy } from '../destination/countries.js';
import { DEFAULT_PUMPING_CONFIG, type PumpingConfig } from '../pumping/PumpingConfig.js';

/** At most `limit` events per `windowSeconds`. */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

/**
 * A failure budget: wrong codes tolerated before sends and checks are refused for a while. Every
 * `limit` failures lock it: first for `lockSeconds`, then twice as long each time, never past the
 * window's end; the lock that would let the count pass 100 in the window lasts until the window
 * ends. An approval clears it.
 * @example { limit: 20, windowSeconds: 86_400, lockSeconds: 300 } // 5, 10, 20, 40 min, then the rest of the day
 * @see NIST SP 800-63B rev 4 §3.2.2 (at most 100 consecutive failures; growing delays to keep the rightful user in)
 */
export interface FailureBudget extends RateWindow {
  /** The first lock; 0 locks until the window ends at the first `limit`. */
  lockSeconds: number;
}

/** Send velocity caps, each a list of windows (e.g. 5 per 10 minutes and 10 per day). */
export interface VelocityConfig {
  /** Per destination (phone number or email), keyed by its keyed hash. */
  destination: readonly RateWindow[];
  /** Per client IP, as given in `context.ip`. */
  ip: readonly RateWindow[];
  /** Per autonomous system, as given in `context.asn`. */
  asn: readonly RateWindow[];
  /** Per tenant: a ceiling on a tenant's total sends. */
  tenant: readonly RateWindow[];
}

/** The effective policy of one tenant: built-in defaults, then `createCheckpoint({ defaults })`, then `configure()`. */
export interface TenantConfig {
  /** Digits per code, 6–10; 4–5 only with `allowShortCodes` (never counted as AAL2). @default 6 */
  codeLength: number;
  /** @default false */
  allowShortCodes: boolean;
  /** Seconds a verification lives; at most 600 (NIST SP 800-63B §3.1.3.2). @default 600 */
  ttlSeconds: number;
  /** Wrong-code checks allowed per verification, across all its codes. @default 5 */
  maxAttempts: number;
  /** Codes sent per verification, counting resends and fallbacks. @default 5 */
  maxSends: number;
  /** Wait before the first resend; it doubles with each further resend. @default 30 */
  resendCooldownSeconds: number;
  /** Escalate to the next channel when no `delivered` receipt arrives within this time. @default 30 */
  fallbackTimeoutSeconds: number;
  /** Channel names in fallback order; `undefined` means every configured channel, in order. */
  channels: readonly string[] | undefined;
  /** Region for national-format numbers, e.g. `'US'`. @default undefined (E.164 required) */
  defaultCountry: string | undefined;
  countries: CountryPolicy;
  velocity: VelocityConfig;
  /**
   * Wrong codes tolerated per destination across verifications before sends and checks to it are
   * refused for a while (see {@link FailureBudget}); stops guessing by opening new verifications.
   * Kept per destination, tenant and subject: verifications without a subject (sign-up, anonymous
   * sends) spend a budget of their own, so strangers with a victim's number cannot lock the
   * victim's account out. @default { limit: 20, windowSeconds: 86400, lockSeconds: 300 }
   */
  destinationFailures: FailureBudget;
  /** @default 'en' */
  locale: string;
  /** Days audit events are kept (enforced by the audit sinks). @default 365 */
  auditRetentionDays: number;
  /** Accept the enterprise IdP's MFA for AAL2 checkpoints. Used by @checkpoint/policy. @default false */
  trustIdpMfa: boolean;
  /**
   * Days a remembered browser skips the login's second factor (never a step-up); 0 turns
   * remembering off. Used by @checkpoint/factors. @default 30
   */
  rememberDeviceDays: number;
  /** Step-up overrides per checkpoint name; validated by @checkpoint/policy. @default {} */
  stepUp: Readonly<Record<string, unknown>>;
  /** Endpoints for signed event webhooks. @default [] */
  webhooks: readonly WebhookEndpoint[];
  /** SMS-pumping policy: line types, SIM swap, velocity profile, prefix bursts, conversion. */
  pumping: PumpingConfig;
}

export interface WebhookEndpoint {
  url: string;
  /** Event types to deliver; all when omitted. */
  events?: readonly string[];
}

/** What `configure()` accepts: any subset of {@link TenantConfig}; nested objects merge one level deep. */
export type TenantOverrides = {
  [K in keyof TenantConfig]?: TenantConfig[K] extends
    | RateWindow
    | FailureBudget
    | CountryPolicy
    | VelocityConfig
    | PumpingConfig
    ? Partial<TenantConfig[K]>
    : TenantConfig[K];
};

/** The built-in defaults a security reviewer would accept for SMS OTP. */
export const DEFAULT_TENANT_CONFIG: TenantConfig = deepFreeze({
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
  velocity: {
    destination: [
      { limit: 5, windowSeconds: 600 },
      { limit: 10, windowSeconds: 86_400 },
    ],
    ip: [
      { limit: 20, windowSeconds: 600 },
      { limit: 100, windowSeconds: 86_400 },
    ],
    asn: [{ limit: 500, windowSeconds: 600 }],
    tenant: [{ limit: 10_000, windowSeconds: 3_600 }],
  },
  destinationFailures: { limit: 20, windowSeconds: 86_400, lockSeconds: 300 },
  locale: 'en',
  auditRetentionDays: 365,
  trustIdpMfa: false,
  rememberDeviceDays: 30,
  stepUp: {},
  webhooks: [],
  pumping: DEFAULT_PUMPING_CONFIG,
});

const NESTED = new Set<keyof TenantConfig>([
  'countries',
  'velocity',
  'destinationFailures',
  'pumping',
]);

/** @internal Merges overrides onto a base config, nested objects one level deep. */
export function mergeConfig(
  base: TenantConfig,
  ...layers: Array<TenantOverrides | null | undefined>
): TenantConfig {
  const result: Record<string, unknown> = { ...base };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      result[key] = NESTED.has(key as keyof TenantConfig)
        ? { ...(result[key] as object), ...(value as object) }
        : value;
    }
  }
  return result as unknown as TenantConfig;
}

/** @internal Merges two override layers (a `configure()` call onto what was stored). */
export function mergeOverrides(base: TenantOverrides, next: TenantOverrides): TenantOverrides {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    result[key] = NESTED.has(key as keyof TenantConfig)
      ? { ...(result[key] ?? {}), ...(value as object) }
      : value;
  }
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
