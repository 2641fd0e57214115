import type { Channel, ChannelMessage, ChannelSendResult } from './Channel.js';

/** Options of {@link outboxChannel}. */
export interface OutboxChannelOptions {
  /** @default 'outbox' */
  name?: string;
  /** @default 'phone' */
  kind?: 'phone' | 'email';
  /** Status the channel reports on send. `delivered` stops fallback at once. @default 'sent' */
  status?: ChannelSendResult['status'];
}

/** A channel that keeps messages in memory, for tests and a development inbox. */
export interface OutboxChannel extends Channel {
  /** Messages in the order they were sent. */
  readonly messages: readonly ChannelMessage[];
  /** The latest message to `to`, if any. */
  latest(to: string): ChannelMessage | undefined;
  clear(): void;
}

let sequence = 0;

/**
 * A development and test channel: messages go to an in-memory list instead of a provider.
 * @example
 * const sms = outboxChannel({ name: 'sms' });
 * await checkpoint.send({ to: '+14155550100', purpose: 'login' });
 * sms.latest('+14155550100')?.code // the code a user would have received
 */
export function outboxChannel({
  name = 'outbox',
  kind = 'phone',
  status = 'sent',
}: OutboxChannelOptions = {}): OutboxChannel {
  const messages: ChannelMessage[] = [];
  return {
    name,
    kind,
    messages,
    send(message) {
      messages.push({ ...message });
      sequence += 1;
      return Promise.resolve({ providerMessageId: `outbox-${name}-${sequence}`, status });
    },
    latest(to) {
      return messages.findLast((message) => message.to === to);
    },
    clear() {
      messages.length = 0;
    },
  };
}
