import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';

describe('resend', () => {
  it('waits out a cooldown that doubles with each resend', async () => {
    const { checkpoint, clock, sms } = harness();
    await checkpoint.configure('default', { fallbackTimeoutSeconds: 600 });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await expect(checkpoint.resend(id)).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 30,
      reasons: ['resend_cooldown'],
    });
    await clock.advance(29_000);
    await expect(checkpoint.resend(id)).rejects.toMatchObject({ retryAfter: 1 });
    await clock.advance(1_000);
    await checkpoint.resend(id);
    await clock.advance(59_000);
    await expect(checkpoint.resend(id)).rejects.toMatchObject({ retryAfter: 1 });
    await clock.advance(1_000);
    await checkpoint.resend(id);
    expect(sms.messages).toHaveLength(3);
  });

  it('stops at maxSends, counting the first send, and tells how long until the verification ends', async () => {
    const { checkpoint, clock } = harness();
    await checkpoint.configure('default', {
      maxSends: 2,
      resendCooldownSeconds: 0,
      fallbackTimeoutSeconds: 600,
    });
    const { id, expiresAt } = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.resend(id);
    const error = await checkpoint.resend(id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'rate_limited',
      reasons: ['max_sends'],
      retryAfter: (expiresAt - clock.now()) / 1_000,
    });
  });

  it('sends on another of the verification’s channels when asked, keeping earlier codes valid', async () => {
    const { checkpoint, clock, sms, voice } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const smsCode = sms.latest(TO)?.code ?? '';
    await clock.advance(30_000); // the fallback timer escalates to voice at 30 s
    expect(voice.messages).toHaveLength(1);
    await clock.advance(60_000);
    const result = await checkpoint.resend(id, { channel: 'sms' });
    expect(result.channel).toBe('sms');
    expect(sms.messages).toHaveLength(2);
    expect(await checkpoint.check({ id, code: smsCode })).toMatchObject({ status: 'approved' });
    await expect(checkpoint.resend(id, { channel: 'email' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a channel the verification does not have', async () => {
    const { checkpoint } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] });
    await expect(checkpoint.resend(id, { channel: 'voice' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('counts resends against the destination’s velocity caps', async () => {
    const { checkpoint, clock } = harness();
    await checkpoint.configure('default', {
      resendCooldownSeconds: 0,
      fallbackTimeoutSeconds: 600,
      velocity: { destination: [{ limit: 2, windowSeconds: 600 }] },
    });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(1_000);
    await checkpoint.resend(id);
    await expect(checkpoint.resend(id)).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['velocity:destination'],
      retryAfter: 599,
    });
  });
});
