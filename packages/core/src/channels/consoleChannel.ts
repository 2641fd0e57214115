import type { Channel, ChannelMessage, ChannelSendResult } from './Channel.js';

/** Options of {@link consoleChannel}. */
export interface ConsoleChannelOptions {
  /** @default 'console' */
  name?: string;
  /** @default 'phone' */
  kind?: 'phone' | 'email';
  /** Where lines go. @default console.log */
  write?: (line: string) => void;
  /** The console channel prints codes; it refuses to start when NODE_ENV is `production` unless this is true. @default false */
  allowInProduction?: boolean;
}

let sequence = 0;

/**
 * A development channel that prints each message, code included, to the console.
 * @example createCheckpoint({ secret, channels: [consoleChannel({ name: 'sms' })] })
 */
export function consoleChannel({
  name = 'console',
  kind = 'phone',
  write = (line) => console.log(line),
  allowInProduction = false,
}: ConsoleChannelOptions = {}): Channel {
  if (process.env.NODE_ENV === 'production' && !allowInProduction) {
    throw new TypeError(
      'consoleChannel prints codes and is for development; pass allowInProduction: true to use it in production',
    );
  }
  return {
    name,
    kind,
    send(message: ChannelMessage): Promise<ChannelSendResult> {
      sequence += 1;
      write(`[checkpoint:${name}] to ${message.to}: ${message.text}`);
      return Promise.resolve({ providerMessageId: `console-${sequence}`, status: 'delivered' });
    },
  };
}
