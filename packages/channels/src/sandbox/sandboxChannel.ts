import { randomBytes } from 'node:crypto';
import {
  type Channel,
  type ChannelMessage,
  type ChannelSendResult,
  CheckpointError,
  type Clock,
  type DeliveryReceipt,
  maskEmail,
  maskPhone,
  systemClock,
} from '@checkpoint/core';
import { type SandboxBehaviour, sandboxBehaviour } from './sandboxBehaviour.js';

/** Options of {@link sandboxChannel}. */
export interface SandboxChannelOptions {
  /** @default 'sandbox' */
  name?: string;
  /** @default 'phone' */
  kind?: 'phone' | 'email';
  /**
   * Where receipts go: wire it to `checkpoint.recordDelivery`. When it answers
   * `{ found: false }` (the send is not recorded yet) or throws, the receipt is offered again,
   * up to 5 times, 100 ms apart, then doubling.
   */
  onReceipt?: (receipt: DeliveryReceipt) => unknown;
  /** Delay before a receipt, as a provider would take. @default 250 */
  receiptDelayMs?: number;
  /** How long a `timeout` destination hangs before failing. @default 10000 */
  timeoutMs?: number;
  /** Time for the delays: core's `ManualClock` makes them instant in tests. @default systemClock */
  clock?: Clock;
}

/** A message the sandbox was asked to send. */
export interface SandboxMessage extends ChannelMessage {
  behaviour: SandboxBehaviour;
  /** Set for the messages it accepted (`deliver`, `fail`, `silent`). */
  providerMessageId?: string;
}

/** The sandbox channel: a core `Channel` that also shows what it sent. */
export interface SandboxChannel extends Channel {
  /** Every message it was asked to send, refused ones included, oldest first. */
  readonly messages: readonly SandboxMessage[];
  /** The latest message to `to` that reached its inbox (`deliver` or `silent`): read the code here. */
  latest(to: string): SandboxMessage | undefined;
  /** Resolves once every receipt due so far was handed over (or given up); keeps the process alive meanwhile. */
  settled(): Promise<void>;
  /** Cancels pending receipts and releases hanging sends. */
  close(): void;
}

const RECEIPT_ATTEMPTS = 5;
const RECEIPT_RETRY_MS = 100;

/**
 * A channel with no provider behind it, for testing an app's flows end to end: reserved test
 * numbers and addresses deliver, fail, never send a receipt, or time out, deterministically
 * (see {@link sandboxBehaviour}). Any other destination is refused (`channel_unavailable`,
 * reason `sandbox:not_reserved`), so the sandbox can never pretend to have reached a real user.
 *
 * @example
 * const sandbox = sandboxChannel({ name: 'sms', onReceipt: (receipt) => checkpoint.recordDelivery(receipt) });
 * const checkpoint = createCheckpoint({ secret, channels: [sandbox, email] });
 * const { id } = await checkpoint.send({ to: '+14155550100', purpose: 'login' });
 * await checkpoint.check({ id, code: sandbox.latest('+14155550100')!.code });
 */
export function sandboxChannel({
  name = 'sandbox',
  kind = 'phone',
  onReceipt,
  receiptDelayMs = 250,
  timeoutMs = 10_000,
  clock = systemClock,
}: SandboxChannelOptions = {}): SandboxChannel {
  const messages: SandboxMessage[] = [];
  const pending = new Set<Promise<void>>();
  const releases = new Set<() => void>();

  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const handle = clock.setTimer(() => {
        releases.delete(release);
        resolve(true);
      }, ms);
      const release = () => {
        clock.clearTimer(handle);
        releases.delete(release);
        resolve(false);
      };
      releases.add(release);
    });

  async function report(receipt: DeliveryReceipt): Promise<void> {
    if (onReceipt === undefined) return;
    if (!(await wait(receiptDelayMs))) return;
    for (let attempt = 0; attempt < RECEIPT_ATTEMPTS; attempt += 1) {
      try {
        const result: unknown = await onReceipt(receipt);
        if ((result as { found?: unknown } | undefined)?.found !== false) return;
      } catch {
        // offered again below
      }
      if (!(await wait(RECEIPT_RETRY_MS * 2 ** attempt))) return;
    }
  }

  return {
    name,
    kind,
    messages,
    async send(message: ChannelMessage): Promise<ChannelSendResult> {
      const behaviour = sandboxBehaviour(message.to);
      const masked = message.to.includes('@') ? maskEmail(message.to) : maskPhone(message.to);
      if (behaviour === undefined) {
        throw new CheckpointError(
          'channel_unavailable',
          `sandbox: ${masked} is not a reserved sandbox destination (+1 NPA 555 01XX, <behaviour>@sandbox.test)`,
          { reasons: ['sandbox:not_reserved'] },
        );
      }
      const recorded: SandboxMessage = { ...message, behaviour };
      messages.push(recorded);
      switch (behaviour) {
        case 'invalid':
          throw new CheckpointError('invalid_number', `sandbox: ${masked} is not a valid number`, {
            reasons: ['sandbox:invalid'],
          });
        case 'unavailable':
          throw new CheckpointError(
            'channel_unavailable',
            `sandbox: the provider is down (message to ${masked})`,
            {
              reasons: ['sandbox:unavailable'],
            },
          );
        case 'timeout':
          // A real request holds a socket open; so does the hanging send.
          await keepingAlive(wait(timeoutMs));
          throw new CheckpointError(
            'channel_unavailable',
            `sandbox did not answer within ${timeoutMs} ms (message to ${masked})`,
            { reasons: ['sandbox:timeout'] },
          );
        default: {
          const providerMessageId = `sandbox_${randomBytes(12).toString('hex')}`;
          recorded.providerMessageId = providerMessageId;
          if (behaviour !== 'silent') {
            const receipt: DeliveryReceipt = {
              channel: name,
              providerMessageId,
              status: behaviour === 'deliver' ? 'delivered' : 'failed',
              ...(behaviour === 'fail' ? { errorCode: 'sandbox_failed' } : {}),
            };
            const done = report(receipt).finally(() => pending.delete(done));
            pending.add(done);
          }
          return { providerMessageId, status: 'sent' };
        }
      }
    },
    latest(to) {
      return messages.findLast(
        (message) =>
          message.to === to && (message.behaviour === 'deliver' || message.behaviour === 'silent'),
      );
    },
    async settled() {
      await keepingAlive(
        (async () => {
          while (pending.size > 0) await Promise.all([...pending]);
        })(),
      );
    },
    close() {
      for (const release of [...releases]) release();
    },
  };
}

/**
 * Keeps the process alive until `work` settles: clocks unref their timers, and a script that
 * awaits the sandbox would otherwise end with the await unsettled.
 */
async function keepingAlive<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 60_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
