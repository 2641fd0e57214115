import type { ChannelMedium } from '../channels/Channel.js';
import type { TenantConfig } from '../config/TenantConfig.js';
import type { LookupResult } from '../destination/lookupPhone.js';
import type { Destination } from '../destination/normalizeDestination.js';
import { lineTypesOf } from './lineTypeGuard.js';

/** @internal Media a send must not use for a phone number, and why. */
export interface ChannelDemand {
  media: ChannelMedium[];
  reasons: string[];
}

/**
 * @internal
 * What the tenant's pumping policy rules out for this number: SMS for line types that get none
 * (`noSmsLineTypes`, fixed lines and VoIP by default), and the channels that reach the SIM when a
 * LookupProvider reports a SIM swap younger than `recentSimSwapSeconds`. Without a provider
 * there is no SIM-swap fact, and nothing is assumed.
 */
export function channelDemand(
  config: TenantConfig,
  phone: NonNullable<Destination['phone']>,
  lookup: LookupResult | undefined,
): ChannelDemand | undefined {
  const policy = config.pumping;
  if (!policy.enabled) return undefined;
  const media = new Set<ChannelMedium>();
  const reasons: string[] = [];
  const swapAge = lookup?.simSwapAgeSeconds;
  if (swapAge !== undefined && policy.recentSimSwapSeconds > 0) {
    if (swapAge < policy.recentSimSwapSeconds) {
      for (const medium of policy.simSwapSkipMedia) media.add(medium);
      reasons.push('sim_swap:recent');
    }
  }
  if (policy.noSmsLineTypes.length > 0) {
    const type = lineTypesOf(phone, lookup?.lineType).find((each) =>
      policy.noSmsLineTypes.includes(each),
    );
    if (type !== undefined) {
      media.add('sms');
      reasons.push(`pumping:line_type:${type}`);
    }
  }
  return reasons.length === 0 ? undefined : { media: [...media], reasons };
}
