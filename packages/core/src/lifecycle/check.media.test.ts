// Threat: an email code counted as a phone code — by the channel's name, or by the channel a
// fallback moved to after the email code was sent — would buy AAL2 that email cannot give.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../channels/Channel.js';
import { outboxChannel } from '../channels/outboxChannel.js';
import { harness, TEST_SECRET } from '../testing/harness.js';
import { createCheckpoint } from './createCheckpoint.js';

const PHONE = '+14155550100';
const EMAIL = 'jane@example.com';
const BOTH = { phone: PHONE, email: EMAIL };

describe('check reports the media of every code that could have been typed', () => {
  it('reports email and sms after a fallback from email to SMS, for either code', async () => {
    const { checkpoint, clock, sms, email } = harness();
    for (const typed of ['email', 'sms'] as const) {
      const { id } = await checkpoint.send({
        to: BOTH,
        purpose: 'login',
        channels: ['email', 'sms'],
      });
      const emailCode = email.latest(EMAIL)?.code ?? '';
      await clock.advance(30_000);
      const smsCode = sms.latest(PHONE)?.code ?? '';
      expect(smsCode).toMatch(/^\d{6}$/);
      const result = await checkpoint.check({ id, code: typed === 'email' ? emailCode : smsCode });
      // The last channel is SMS, but the email code was live too: both are reported, in send order.
      expect(result).toMatchObject({ status: 'approved', channel: 'sms', media: ['email', 'sms'] });
      expect((await checkpoint.get(id)).media).toEqual(['email', 'sms']);
    }
  });

  it('reports each medium once, in the order codes were sent', async () => {
    const { checkpoint, clock, codeFor } = harness();
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
    await clock.advance(30_000); // sms -> voice
    await clock.advance(60_000); // the resend cooldown
    await checkpoint.resend(id, { channel: 'sms' });
    expect(await checkpoint.check({ id, code: codeFor(PHONE) })).toMatchObject({
      status: 'approved',
      media: ['sms', 'voice'],
    });
  });

  it.each(['console', 'mail', 'sandbox', 'sms'])(
    'reports email for a channel of kind email named %s',
    async (name) => {
      const outbox = outboxChannel({ name, kind: 'email' });
      const { checkpoint } = harness({ channels: [outbox] });
      const { id } = await checkpoint.send({ to: EMAIL, purpose: 'login' });
      expect(await checkpoint.check({ id, code: outbox.latest(EMAIL)?.code ?? '' })).toMatchObject({
        status: 'approved',
        channel: name,
        media: ['email'],
      });
      expect((await checkpoint.get(id)).media).toEqual(['email']);
    },
  );

  it('reports email for a channel of kind email, whatever medium it declares', async () => {
    const outbox = outboxChannel({ name: 'sms', kind: 'email' });
    const { checkpoint } = harness({ channels: [{ ...outbox, medium: 'sms' }] });
    const { id } = await checkpoint.send({ to: EMAIL, purpose: 'login' });
    expect(await checkpoint.check({ id, code: outbox.latest(EMAIL)?.code ?? '' })).toMatchObject({
      status: 'approved',
      media: ['email'],
    });
  });

  it('reports the medium a channel declares, whatever its name', async () => {
    const outbox = outboxChannel({ name: 'sms-backup' });
    const declared: Channel = { ...outbox, medium: 'voice' };
    const { checkpoint } = harness({ channels: [declared] });
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
    expect(await checkpoint.check({ id, code: outbox.latest(PHONE)?.code ?? '' })).toMatchObject({
      status: 'approved',
      media: ['voice'],
    });
  });

  it('reports a wrong code with the same media', async () => {
    const { checkpoint, wrongFor, codeFor } = harness();
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
    expect(await checkpoint.check({ id, code: wrongFor(codeFor(PHONE)) })).toMatchObject({
      status: 'failed',
      media: ['sms'],
    });
  });

  it('counts a channel no longer configured as the weakest medium the destination allows', async () => {
    const { checkpoint, clock, store, email } = harness();
    const { id } = await checkpoint.send({ to: BOTH, purpose: 'login', channels: ['email'] });
    // Another process, or this one after a redeploy, without the channel that sent the code.
    const later = createCheckpoint({
      secret: TEST_SECRET,
      channels: [outboxChannel({ name: 'sms' })],
      store,
      clock,
    });
    expect(await later.check({ id, code: email.latest(EMAIL)?.code ?? '' })).toMatchObject({
      status: 'approved',
      media: ['email'],
    });

    // A code that went to a phone-only destination went by phone, by some medium no longer known.
    const phoneOnly = await checkpoint.send({ to: PHONE, purpose: 'login', channels: ['voice'] });
    expect((await later.get(phoneOnly.id)).media).toEqual(['phone']);
  });
});
