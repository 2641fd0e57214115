import type { ChannelMedium } from '../channels/Channel.js';
import type { RateWindow, VelocityConfig } from '../config/TenantConfig.js';
import type { LineType } from '../destination/lookupPhone.js';

/** Name of a velocity profile. */
export type VelocityProfileName = 'standard' | 'strict';

/**
 * A tenant's SMS-pumping policy: `configure(tenantId, { pumping: { … } })`, merged one level deep
 * like the other nested settings. The line-type lists and the SIM-swap rule apply to every
 * checkpoint; the rest is enforced by the guards that read it ({@link lineTypeGuard},
 * {@link reputationGuard}, {@link trafficGuard}).
 */
export interface PumpingConfig {
  /** Master switch: `false` turns every pumping refusal and channel rule off for the tenant. @default true */
  enabled: boolean;
  /**
   * Line types refused on every channel (`fraud_detected`, reason `pumping:line_type:<type>`):
   * numbers that earn their owner money per message or call.
   * @default ['premium_rate', 'shared_cost', 'toll_free', 'uan']
   */
  refuseLineTypes: readonly LineType[];
  /**
   * Line types that get no SMS: SMS channels are skipped for them (a voice call can still reach a
   * landline); with no other channel left the send is refused, reason `pumping:line_type:<type>`.
   * @default ['fixed_line', 'voip']
   */
  noSmsLineTypes: readonly LineType[];
  /**
   * A SIM swap younger than this many seconds (reported by a LookupProvider) skips the channels
   * of `simSwapSkipMedia` for the send; with none left it is refused, reason `sim_swap:recent`.
   * 0 turns the rule off. @default 604800 (7 days)
   * @see NIST SP 800-63B §3.1.3.3 (check for SIM change before sending to a PSTN number)
   */
  recentSimSwapSeconds: number;
  /**
   * What a recent SIM swap rules out: the media that ring or text the SIM — a call reaches the
   * new SIM as surely as a text does. `phone` is a channel whose medium is not declared.
   * @default ['sms', 'voice', 'phone']
   */
  simSwapSkipMedia: readonly ChannelMedium[];
  /** Velocity profile {@link trafficGuard} enforces on top of `velocity`. @default 'standard' */
  profile: VelocityProfileName;
  /** When the tenant (the customer account) was created, epoch milliseconds. @default undefined (established) */
  createdAt: number | undefined;
  /** A tenant younger than this many days is held to the `strict` profile; 0 turns it off. @default 14 */
  newTenantDays: number;
  /**
   * Sends to one prefix block (the number without its last digits, see `trafficGuard({ prefixDigits })`)
   * per window, across all tenants: sequential-number attacks. @default { limit: 20, windowSeconds: 600 }
   */
  prefixBurst: RateWindow;
  /**
   * Sends from one network (the client IP's /24, or /48 for IPv6) per window, across all tenants:
   * a burst from one host or data centre range, before its conversion can be judged.
   * @default { limit: 30, windowSeconds: 300 }
   */
  networkBurst: RateWindow;
  /**
   * Approvals below this percentage of the judged sends (with enough sends) close a prefix block,
   * a network or a country to new sends while it lasts. 0 turns the conversion guard off. @default 20
   */
  conversionMinPercent: number;
  /** Judged sends a prefix block needs before its conversion is judged. @default 8 */
  conversionPrefixMinSends: number;
  /** Judged sends a network needs before its conversion is judged. @default 10 */
  conversionNetworkMinSends: number;
  /** Judged sends a country needs before its conversion is judged. @default 20 */
  conversionCountryMinSends: number;
  /**
   * The `retryAfter` of a conversion refusal, and how often `onThrottle` (and the
   * `pumping.throttled` audit event) is told about one closed range. @default 900
   */
  conversionCooldownSeconds: number;
  /** Ask the number-reputation hook of {@link reputationGuard}. @default true */
  reputation: boolean;
  /**
   * Numbers and ranges (E.164 numbers or prefixes such as `'+4420'`) no pumping guard refuses or
   * counts: the team's own test phones. NANP fiction numbers (`+1 NPA 555 0100`–`0199`, the
   * sandbox channel's) are always exempt. @default []
   */
  allow: readonly string[];
}

/**
 * Velocity profiles. `standard` is what `TenantConfig.velocity` says (nothing is added); `strict`
 * adds these caps on top of it (the lower of the two applies), for tenants set to it and for new
 * tenants (account-age gating).
 */
export const VELOCITY_PROFILES: Readonly<Record<VelocityProfileName, VelocityConfig>> = deepFreeze({
  standard: { destination: [], ip: [], asn: [], tenant: [] },
  strict: {
    destination: [
      { limit: 3, windowSeconds: 3_600 },
      { limit: 5, windowSeconds: 86_400 },
    ],
    ip: [
      { limit: 5, windowSeconds: 3_600 },
      { limit: 20, windowSeconds: 86_400 },
    ],
    asn: [{ limit: 50, windowSeconds: 3_600 }],
    tenant: [
      { limit: 100, windowSeconds: 3_600 },
      { limit: 500, windowSeconds: 86_400 },
    ],
  },
});

/** The pumping defaults every tenant starts from. */
export const DEFAULT_PUMPING_CONFIG: PumpingConfig = deepFreeze({
  enabled: true,
  refuseLineTypes: ['premium_rate', 'shared_cost', 'toll_free', 'uan'],
  noSmsLineTypes: ['fixed_line', 'voip'],
  recentSimSwapSeconds: 604_800,
  simSwapSkipMedia: ['sms', 'voice', 'phone'],
  profile: 'standard',
  createdAt: undefined,
  newTenantDays: 14,
  prefixBurst: { limit: 20, windowSeconds: 600 },
  networkBurst: { limit: 30, windowSeconds: 300 },
  conversionMinPercent: 20,
  conversionPrefixMinSends: 8,
  conversionNetworkMinSends: 10,
  conversionCountryMinSends: 20,
  conversionCooldownSeconds: 900,
  reputation: true,
  allow: [],
});

/** Every line type, for validation. */
export const LINE_TYPES: readonly LineType[] = Object.freeze([
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'voip',
  'toll_free',
  'premium_rate',
  'shared_cost',
  'personal_number',
  'pager',
  'uan',
  'voicemail',
  'unknown',
]);

/** Every channel medium, for validation. */
export const CHANNEL_MEDIA: readonly ChannelMedium[] = Object.freeze([
  'sms',
  'voice',
  'whatsapp',
  'email',
  'phone',
]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
