import {
  type Channel,
  type ChannelMessage,
  maskEmail,
  maskPhone,
  outboxChannel,
} from '@checkpoint/core';

/** One message the demo "sent": a code message or a security notice. */
export interface InboxMessage {
  at: number;
  channel: string;
  to: string;
  text: string;
  purpose?: string;
}

/**
 * The development inbox: Checkpoint's outbox channels (SMS, WhatsApp, email) stand in for the
 * providers, and every message lands here for the /dev/inbox page. The console gets one line per
 * message, with the destination masked and never the code.
 */
export class DevInbox {
  private readonly list: InboxMessage[] = [];
  /** While true, nothing is printed (the demo's seeded traffic). */
  quiet = false;

  constructor(
    private readonly now: () => number,
    private readonly announce: (line: string) => void = () => {},
  ) {}

  /** Channels for createCheckpoint: each an outbox channel reporting `delivered` (no fallback timer). */
  channels(): Channel[] {
    return [
      this.channel('sms', 'phone'),
      this.channel('whatsapp', 'phone'),
      this.channel('email', 'email'),
    ];
  }

  /** A security notice (no code), e.g. "a passkey was added". */
  notice(to: string, text: string): void {
    this.add({ at: this.now(), channel: 'notice', to, text });
  }

  /** Newest first. */
  messages(): readonly InboxMessage[] {
    return [...this.list].reverse();
  }

  /** The newest message to `to`, if any. */
  latest(to: string): InboxMessage | undefined {
    return this.list.findLast((message) => message.to === to);
  }

  clear(): void {
    this.list.length = 0;
  }

  private channel(name: string, kind: 'phone' | 'email'): Channel {
    const outbox = outboxChannel({ name, kind, status: 'delivered' });
    return {
      name,
      kind,
      send: async (message: ChannelMessage) => {
        const result = await outbox.send(message);
        outbox.clear(); // the inbox keeps the copy, with its time
        this.add({
          at: this.now(),
          channel: name,
          to: message.to,
          text: message.text,
          purpose: message.purpose,
        });
        return result;
      },
    };
  }

  private add(message: InboxMessage): void {
    this.list.push(message);
    if (this.quiet) return;
    const masked = message.to.includes('@') ? maskEmail(message.to) : maskPhone(message.to, '');
    this.announce(`[${message.channel}] message to ${masked} — read it at /dev/inbox`);
  }
}
