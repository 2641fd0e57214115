import {
  type Clock,
  type DeliveryReceipt,
  createCheckpoint,
  isCheckpointError,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { describe, expect, it } from 'vitest';
import { channelMessage, rejectionOf } from '../fixtures/channelMessage.js';
import { type SandboxChannelOptions, sandboxChannel } from './sandboxChannel.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

/** Every delay over at once, so retries run without waiting. */
const immediate: Clock = {
  now: Date.now,
  setTimer: (callback) => setTimeout(() => void callback(), 0),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** An app wired as the README says: receipts go to checkpoint.recordDelivery. */
function app(options: Omit<SandboxChannelOptions, 'onReceipt' | 'name' | 'kind'> = {}) {
  const onReceipt = (receipt: DeliveryReceipt) => checkpoint.recordDelivery(receipt);
  const sms = sandboxChannel({ name: 'sms', onReceipt, receiptDelayMs: 5, ...options });
  const email = sandboxChannel({
    name: 'email',
    kind: 'email',
    onReceipt,
    receiptDelayMs: 5,
    ...options,
  });
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms, email],
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return { checkpoint, sms, email };
}

describe('sandboxChannel', () => {
  it('delivers to a deliver number: a delivered receipt, and the code approves', async () => {
    const { checkpoint, sms, email } = app();
    const { id, channel } = await checkpoint.send({
      to: { phone: '+14155550100', email: 'deliver@sandbox.test' },
      purpose: 'login',
    });
    await sms.settled();

    expect(channel).toBe('sms');
    const verification = await checkpoint.get(id);
    expect(verification.deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['sms', 'delivered'],
    ]);
    const code = sms.latest('+14155550100')?.code ?? '';
    expect((await checkpoint.check({ id, code })).status).toBe('approved');
    expect(email.messages).toHaveLength(0);
    await checkpoint.close();
  });

  it('fails a fail number by receipt, and core escalates to the next channel at once', async () => {
    const { checkpoint, sms, email } = app();
    const { id } = await checkpoint.send({
      to: { phone: '+14155550120', email: 'deliver@sandbox.test' },
      purpose: 'login',
    });
    await sms.settled();
    await email.settled();

    const verification = await checkpoint.get(id);
    expect(verification.deliveries.map((d) => [d.channel, d.status, d.errorCode])).toEqual([
      ['sms', 'failed', 'sandbox_failed'],
      ['email', 'delivered', undefined],
    ]);
    expect(sms.latest('+14155550120')).toBeUndefined();
    expect(email.latest('deliver@sandbox.test')?.code).toMatch(/^\d{6}$/);
    await checkpoint.close();
  });

  it('never sends a receipt for a silent number: core escalates after its fallback timeout', async () => {
    const clock = new ManualClock();
    const { checkpoint, sms, email } = app({ clock });
    const { id } = await checkpoint.send({
      to: { phone: '+14155550130', email: 'silent@sandbox.test' },
      purpose: 'login',
    });
    await clock.advance(29_000);
    expect(email.messages).toHaveLength(0);
    await clock.advance(1_000);

    expect(email.messages).toHaveLength(1);
    const verification = await checkpoint.get(id);
    expect(verification.deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['sms', 'sent'],
      ['email', 'sent'],
    ]);
    expect(sms.latest('+14155550130')?.code).toMatch(/^\d{6}$/);
    await checkpoint.close();
  });

  it('times out on a timeout number, as channel_unavailable', async () => {
    const sms = sandboxChannel({ timeoutMs: 20 });
    const error = await rejectionOf(sms.send(channelMessage({ to: '+14155550140' })));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['sandbox:timeout']);
  });

  it('lets core move a timed-out code to the next channel', async () => {
    const { checkpoint } = app({ timeoutMs: 20 });
    const { channel } = await checkpoint.send({
      to: { phone: '+14155550141', email: 'deliver@sandbox.test' },
      purpose: 'login',
    });
    expect(channel).toBe('email');
    await checkpoint.close();
  });

  it('refuses an invalid number and finds the provider down for an unavailable one', async () => {
    const sms = sandboxChannel();
    const invalid = await rejectionOf(sms.send(channelMessage({ to: '+14155550150' })));
    expect(isCheckpointError(invalid) && invalid.code).toBe('invalid_number');
    const down = await rejectionOf(sms.send(channelMessage({ to: '+14155550160' })));
    expect(isCheckpointError(down) && down.code).toBe('channel_unavailable');
    expect(sms.messages.map((m) => m.behaviour)).toEqual(['invalid', 'unavailable']);
  });

  it('refuses every destination that is not reserved, masked', async () => {
    const sms = sandboxChannel();
    const error = await rejectionOf(sms.send(channelMessage({ to: '+14155551234' })));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['sandbox:not_reserved']);
    expect((error as Error).message).not.toContain('4155551234');
    expect(sms.messages).toHaveLength(0);
  });

  it('offers a receipt again while the app does not know the message yet', async () => {
    const answers = [{ found: false }, { found: false }, { found: true }];
    const seen: unknown[] = [];
    const sms = sandboxChannel({
      receiptDelayMs: 0,
      onReceipt: (receipt) => {
        seen.push(receipt);
        return answers.shift();
      },
    });
    const { providerMessageId } = await sms.send(channelMessage({ to: '+14155550101' }));
    await sms.settled();
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual({ channel: 'sandbox', providerMessageId, status: 'delivered' });
  });

  it('gives up on a receipt after five offers', async () => {
    let offers = 0;
    const sms = sandboxChannel({
      receiptDelayMs: 0,
      onReceipt: () => {
        offers += 1;
        throw new Error('receiver down');
      },
      clock: immediate,
    });
    await sms.send(channelMessage({ to: '+14155550102' }));
    await sms.settled();
    expect(offers).toBe(5);
  });

  it('releases a hanging send and pending receipts on close', async () => {
    let offers = 0;
    const sms = sandboxChannel({ onReceipt: () => (offers += 1) });
    const hanging = rejectionOf(sms.send(channelMessage({ to: '+14155550142' })));
    await sms.send(channelMessage({ to: '+14155550103' }));
    sms.close();
    expect(isCheckpointError(await hanging)).toBe(true);
    await sms.settled();
    expect(offers).toBe(0);
  });
});
