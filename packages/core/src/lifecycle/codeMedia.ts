import { type Channel, type ChannelMedium, mediumOf } from '../channels/Channel.js';
import type { VerificationRecord } from '../store/Store.js';

/**
 * @internal
 * The media of every channel a code of `record` was handed to, in send order, each once: any of
 * those codes may be the one typed, because every code stays valid until the verification
 * expires. A delivery reported as failed still counts (a failure report does not prove the message
 * never arrived). A channel is read by its kind and declared medium, never by its name alone; one
 * that is no longer configured counts as `email` when the destination has an address (the weakest
 * it could have been), else as `phone`.
 */
export function codeMedia(
  channels: ReadonlyMap<string, Channel>,
  record: Pick<VerificationRecord, 'deliveries' | 'channels' | 'to'>,
): ChannelMedium[] {
  // Without a delivery log, any channel of the verification may have carried a code.
  const names =
    record.deliveries.length === 0
      ? record.channels
      : record.deliveries.map((delivery) => delivery.channel);
  const media: ChannelMedium[] = [];
  for (const name of names) {
    const channel = channels.get(name);
    const medium =
      channel !== undefined ? mediumOf(channel) : record.to.email !== undefined ? 'email' : 'phone';
    if (!media.includes(medium)) media.push(medium);
  }
  return media;
}
