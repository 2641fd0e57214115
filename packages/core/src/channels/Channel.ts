import type { DeliveryStatus } from '../store/Store.js';

/** What a channel is asked to deliver. `text` is rendered from the template; `code` is for channels that render their own. */
export interface ChannelMessage {
  verificationId: string;
  /** E.164 number for phone channels, address for email channels. */
  to: string;
  code: string;
  text: string;
  locale: string;
  purpose: string;
  tenantId: string;
  /** Epoch milliseconds after which the code is worthless (set provider TTLs no later than this). */
  expiresAt: number;
}

/** What carries a channel's messages. */
export type ChannelMedium = 'sms' | 'voice' | 'whatsapp' | 'email' | 'phone';

/**
 * @internal The medium of a channel: `email` for every email channel, whatever its name or
 * declared medium; for a phone channel its declared medium, else read from its name.
 */
export function mediumOf(channel: Pick<Channel, 'name' | 'kind' | 'medium'>): ChannelMedium {
  // The kind decides where the code goes: an email channel never counts as a phone one.
  if (channel.kind === 'email') return 'email';
  if (channel.medium !== undefined) return channel.medium;
  const name = channel.name.toLowerCase();
  if (name.includes('whatsapp')) return 'whatsapp';
  if (name.includes('voice') || name.includes('call')) return 'voice';
  if (name.includes('sms')) return 'sms';
  return 'phone';
}

/** What a channel reports right after handing a message to its provider. */
export interface ChannelSendResult {
  /** The provider's id for the message, matched against delivery receipts. */
  providerMessageId?: string;
  /** Usually `queued` or `sent`; `delivered` for channels that know at once. */
  status: DeliveryStatus;
}

/**
 * A way to deliver a code. Implementations throw a `CheckpointError` (`invalid_number`,
 * `channel_unavailable`, …) when the provider refuses; the orchestrator then tries the next channel.
 * @example
 * const channel: Channel = { name: 'sms', kind: 'phone', send: async (m) => ({ providerMessageId: await twilio(m), status: 'queued' }) };
 */
export interface Channel {
  /** Unique among the configured channels; used in `channels` lists and receipts. */
  readonly name: string;
  readonly kind: 'phone' | 'email';
  /**
   * What carries the message: for opt-out rules (a number that texted STOP gets no `sms` channel)
   * and for the factor an approved code counts as. Declare it on a phone channel whose name does
   * not say; an email channel is always `email`.
   * @default email kind → email; else from the name: `…whatsapp…` → whatsapp, `…voice…`/`…call…` → voice, `…sms…` → sms, else `phone`
   */
  readonly medium?: ChannelMedium;
  send(message: ChannelMessage): Promise<ChannelSendResult>;
}
