import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';
const BOTH = { phone: TO, email: 'jane@example.com' };

async function messageId(
  checkpoint: ReturnType<typeof harness>['checkpoint'],
  id: string,
  channel: string,
): Promise<string> {
  const delivery = (await checkpoint.get(id)).deliveries.findLast(
    (entry) => entry.channel === channel,
  );
  return delivery?.providerMessageId ?? '';
}

describe('fallback', () => {
  it('escalates to the next channel with a new code when no delivered receipt arrives in time', async () => {
    const { checkpoint, clock, sms, voice, wrongFor } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.check({ id, code: wrongFor(sms.latest(TO)?.code ?? '') });
    await clock.advance(29_999);
    expect(voice.messages).toHaveLength(0);
    await clock.advance(1);
    expect(voice.messages).toHaveLength(1);
    const smsCode = sms.latest(TO)?.code;
    const verification = await checkpoint.get(id);
    // The attempt already spent stays spent: fallback never resets the budget.
    expect(verification).toMatchObject({ channel: 'voice', sends: 2, attempts: 1 });
    const fallback = (await checkpoint.audit(id)).find(
      (event) => event.type === 'verification.fallback',
    );
    expect(fallback).toMatchObject({
      result: 'escalated',
      reasons: ['fallback_timeout'],
      data: { from: 'sms', to: 'voice' },
    });
    expect(await checkpoint.check({ id, code: smsCode ?? '' })).toMatchObject({
      status: 'approved',
    });
  });

  it('does not escalate once the message is delivered', async () => {
    const { checkpoint, clock, voice } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(10_000);
    const result = await checkpoint.recordDelivery({
      channel: 'sms',
      providerMessageId: await messageId(checkpoint, id, 'sms'),
      status: 'delivered',
    });
    expect(result).toEqual({ found: true, verificationId: id, applied: true, status: 'delivered' });
    await clock.advance(600_000);
    expect(voice.messages).toHaveLength(0);
    const receipt = (await checkpoint.audit(id)).find((event) => event.type === 'delivery.receipt');
    expect(receipt).toMatchObject({ channel: 'sms', result: 'delivered', latencyMs: 10_000 });
  });

  it('does not escalate for silence when the delivered receipt beat the timer it cancels', async () => {
    const { checkpoint, clock, voice, scheduler } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.recordDelivery({
      channel: 'sms',
      providerMessageId: await messageId(checkpoint, id, 'sms'),
      status: 'delivered',
    });
    // The race: a timeout job armed after the receipt canceled the first one.
    await scheduler.schedule({
      key: `late-timer:${id}`,
      kind: 'fallback',
      verificationId: id,
      runAt: clock.now() + 1_000,
      channel: 'sms',
    });
    await clock.advance(2_000);
    expect(voice.messages).toHaveLength(0);
    expect((await checkpoint.get(id)).channel).toBe('sms');
  });

  it('escalates at once on a failed receipt, and only once when the timer fires too', async () => {
    const { checkpoint, clock, voice } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const providerMessageId = await messageId(checkpoint, id, 'sms');
    await clock.advance(5_000);
    await Promise.all([
      checkpoint.recordDelivery({
        channel: 'sms',
        providerMessageId,
        status: 'undelivered',
        errorCode: '30003',
      }),
      checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'failed' }),
    ]);
    expect(voice.messages).toHaveLength(1);
    await clock.advance(25_000); // the SMS timer would have fired now; it was replaced by voice's
    expect(voice.messages).toHaveLength(1);
    expect((await checkpoint.get(id)).sends).toBe(2);
  });

  it('ignores duplicate and out-of-order receipts and acknowledges unknown message ids', async () => {
    const { checkpoint, clock, voice } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const providerMessageId = await messageId(checkpoint, id, 'sms');
    await checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'delivered' });
    expect(
      await checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'delivered' }),
    ).toMatchObject({ applied: false });
    expect(
      await checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'sent' }),
    ).toMatchObject({ applied: false, status: 'delivered' });
    expect(
      await checkpoint.recordDelivery({ channel: 'sms', providerMessageId, status: 'failed' }),
    ).toMatchObject({ applied: false });
    expect(
      await checkpoint.recordDelivery({
        channel: 'sms',
        providerMessageId: 'SMunknown',
        status: 'failed',
      }),
    ).toEqual({ found: false, applied: false });
    await clock.advance(60_000);
    expect(voice.messages).toHaveLength(0);
    expect(
      (await checkpoint.audit(id)).filter((event) => event.type === 'delivery.receipt'),
    ).toHaveLength(1);
  });

  it('falls back from phone channels to email when the destination has both', async () => {
    const { checkpoint, clock, voice, email } = harness();
    const { id } = await checkpoint.send({ to: BOTH, purpose: 'login' });
    await clock.advance(30_000);
    expect(voice.messages).toHaveLength(1);
    await clock.advance(30_000);
    expect(email.latest('jane@example.com')?.code).toMatch(/^\d{6}$/);
    expect((await checkpoint.get(id)).channel).toBe('email');
    await clock.advance(30_000);
    const last = (await checkpoint.audit(id))
      .filter((event) => event.type === 'verification.fallback')
      .map((event) => event.result);
    expect(last).toEqual(['escalated', 'escalated']);
  });

  it('records that fallback is exhausted when the last channel fails', async () => {
    const { checkpoint } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] });
    await checkpoint.recordDelivery({
      channel: 'sms',
      providerMessageId: await messageId(checkpoint, id, 'sms'),
      status: 'failed',
    });
    const events = (await checkpoint.audit(id)).filter(
      (event) => event.type === 'verification.fallback',
    );
    expect(events).toMatchObject([{ result: 'exhausted', reasons: ['receipt_failed'] }]);
  });

  it('never sends more than maxSends codes through fallback', async () => {
    const { checkpoint, clock, sms, voice, email } = harness();
    await checkpoint.configure('default', { maxSends: 2 });
    const { id } = await checkpoint.send({ to: BOTH, purpose: 'login' });
    await clock.advance(120_000);
    expect(sms.messages.length + voice.messages.length + email.messages.length).toBe(2);
    expect(
      (await checkpoint.audit(id))
        .filter((event) => event.type === 'verification.fallback')
        .map((event) => event.result),
    ).toEqual(['escalated', 'max_sends']);
  });

  it('stops escalating once the verification is approved', async () => {
    const { checkpoint, clock, voice, codeFor } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.check({ id, code: codeFor(TO) });
    await clock.advance(60_000);
    expect(voice.messages).toHaveLength(0);
  });

  it('uses the tenant’s channel order and fallback timeout', async () => {
    const { checkpoint, clock, sms, voice } = harness();
    await checkpoint.configure('acme', { channels: ['voice', 'sms'], fallbackTimeoutSeconds: 90 });
    const { channel } = await checkpoint.send({ to: TO, purpose: 'login', tenantId: 'acme' });
    expect(channel).toBe('voice');
    await clock.advance(89_000);
    expect(sms.messages).toHaveLength(0);
    await clock.advance(1_000);
    expect(sms.messages).toHaveLength(1);
    expect(voice.messages).toHaveLength(1);
  });
});
