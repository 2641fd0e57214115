import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './Channel.js';
import { outboxChannel } from './outboxChannel.js';

function message(fields: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    verificationId: 'vf_AbCdEfGhIjKlMnOpQrStUvWxYz',
    to: '+14155550100',
    code: '123456',
    text: '123456 is your Checkpoint verification code.',
    locale: 'en',
    purpose: 'login',
    tenantId: 'acme',
    expiresAt: 600_000,
    ...fields,
  };
}

describe('outboxChannel', () => {
  it('is a phone channel named outbox by default', () => {
    const outbox = outboxChannel();
    expect(outbox.name).toBe('outbox');
    expect(outbox.kind).toBe('phone');
  });

  it('takes its name and kind from the options', () => {
    const outbox = outboxChannel({ name: 'email', kind: 'email' });
    expect(outbox.name).toBe('email');
    expect(outbox.kind).toBe('email');
  });

  it('keeps sent messages in order', async () => {
    const outbox = outboxChannel();
    await outbox.send(message({ code: '111111' }));
    await outbox.send(message({ code: '222222', to: '+447400123456' }));
    expect(outbox.messages.map((item) => item.code)).toEqual(['111111', '222222']);
    expect(outbox.messages[1]).toEqual(message({ code: '222222', to: '+447400123456' }));
  });

  it('keeps a copy of each message', async () => {
    const outbox = outboxChannel();
    const sent = message();
    await outbox.send(sent);
    sent.code = '999999';
    expect(outbox.messages[0]?.code).toBe('123456');
  });

  it('returns the latest message to a destination, or undefined', async () => {
    const outbox = outboxChannel();
    await outbox.send(message({ code: '111111' }));
    await outbox.send(message({ code: '222222', to: '+447400123456' }));
    await outbox.send(message({ code: '333333' }));
    expect(outbox.latest('+14155550100')?.code).toBe('333333');
    expect(outbox.latest('+447400123456')?.code).toBe('222222');
    expect(outbox.latest('+12025550100')).toBeUndefined();
  });

  it('forgets every message on clear()', async () => {
    const outbox = outboxChannel();
    await outbox.send(message());
    outbox.clear();
    expect(outbox.messages).toHaveLength(0);
    expect(outbox.latest('+14155550100')).toBeUndefined();
    await outbox.send(message({ code: '444444' }));
    expect(outbox.messages.map((item) => item.code)).toEqual(['444444']);
  });

  it('reports sent by default and the configured status otherwise', async () => {
    expect((await outboxChannel().send(message())).status).toBe('sent');
    expect((await outboxChannel({ status: 'delivered' }).send(message())).status).toBe('delivered');
  });

  it('gives every message a unique provider message id, across outboxes too', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const voice = outboxChannel({ name: 'voice' });
    const ids = new Set<string | undefined>();
    for (let i = 0; i < 50; i += 1) {
      ids.add((await sms.send(message())).providerMessageId);
      ids.add((await voice.send(message())).providerMessageId);
    }
    expect(ids.size).toBe(100);
    expect(ids.has(undefined)).toBe(false);
  });

  it('puts the channel name in its provider message ids', async () => {
    expect((await outboxChannel({ name: 'sms' }).send(message())).providerMessageId).toMatch(
      /^outbox-sms-\d+$/,
    );
  });
});
