import { type Channel, mediumOf } from '../../channels/Channel.js';
import type { TenantConfig } from '../../config/TenantConfig.js';
import type { LookupResult } from '../../destination/lookupPhone.js';
import type { Destination } from '../../destination/normalizeDestination.js';
import { CheckpointError, invalidRequest } from '../../errors/CheckpointError.js';
import { channelDemand } from '../../pumping/channelDemand.js';
import { addressFor } from '../dispatch.js';
import type { Runtime } from '../runtime.js';

/**
 * @internal
 * The channels of a verification: the requested names (each must be configured), else the
 * tenant's order, else every configured channel; kept only where the destination has an address.
 */
export function selectChannels(
  runtime: Runtime,
  config: TenantConfig,
  requested: string[] | undefined,
  destination: Destination,
): string[] {
  const names = requested ?? config.channels ?? [...runtime.channels.keys()];
  const usable: string[] = [];
  for (const name of names) {
    const channel = runtime.channels.get(name);
    if (channel === undefined) {
      if (requested !== undefined)
        throw invalidRequest(
          `unknown channel '${name}' (configured: ${[...runtime.channels.keys()].join(', ')})`,
        );
      continue;
    }
    if (addressFor(channel, destination) !== undefined && !usable.includes(name)) usable.push(name);
  }
  return usable;
}

export function smsChannel(channel: Channel | undefined): boolean {
  return channel !== undefined && mediumOf(channel) === 'sms';
}

/** The channels a send may use; `demandReasons` when the pumping policy took some away. */
export interface PlannedChannels {
  channels: string[];
  demandReasons?: string[];
  refusal?: undefined;
}

/** {@link PlannedChannels}, or the refusal when no channel is left. */
export type ChannelPlan = PlannedChannels | { channels?: undefined; refusal: CheckpointError };

/**
 * @internal
 * The candidates minus the media this number opted out of (STOP) and minus those the pumping
 * policy rules out for it; when nothing is left, the refusal that says why.
 */
export function planChannels(
  runtime: Runtime,
  config: TenantConfig,
  destination: Destination,
  candidates: readonly string[],
  optedOut: readonly string[],
  lookup: LookupResult | undefined,
): ChannelPlan {
  const reachable = candidates.filter((name) => {
    const channel = runtime.channels.get(name);
    return channel === undefined || !optedOut.includes(mediumOf(channel));
  });
  if (reachable.length === 0 && candidates.length > 0) {
    return {
      refusal: new CheckpointError(
        'channel_unavailable',
        'this number opted out of text messages (STOP) and no other channel can reach it',
        { reasons: ['opted_out'] },
      ),
    };
  }
  // Pumping policy: no SMS to fixed lines and VoIP, nothing that reaches the SIM after a recent swap.
  const demand =
    destination.phone === undefined ? undefined : channelDemand(config, destination.phone, lookup);
  const channels = reachable.filter((name) => {
    const channel = runtime.channels.get(name);
    return (
      channel === undefined || demand === undefined || !demand.media.includes(mediumOf(channel))
    );
  });
  if (channels.length === 0 && reachable.length > 0 && demand !== undefined) {
    return {
      refusal: new CheckpointError(
        'fraud_detected',
        `no channel this policy allows can reach this number (${demand.reasons.join(', ')})`,
        { reasons: demand.reasons },
      ),
    };
  }
  if (channels.length === 0) {
    return {
      refusal: new CheckpointError(
        'channel_unavailable',
        'no configured channel can reach this destination',
        { reasons: ['no_channel'] },
      ),
    };
  }
  return demand === undefined || channels.length === reachable.length
    ? { channels }
    : { channels, demandReasons: demand.reasons };
}
