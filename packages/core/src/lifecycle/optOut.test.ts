import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';

describe('opt-out (carrier STOP / START keywords)', () => {
  it('skips SMS for a number that texted STOP and falls back to the next channel', async () => {
    const { checkpoint, sms, voice } = harness();
    expect(
      await checkpoint.optOut({ to: TO, optedOut: true, source: 'twilio:STOP' }),
    ).toMatchObject({ changed: true });
    const sent = await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms', 'voice'] });
    expect(sent.channel).toBe('voice');
    expect(sms.messages).toHaveLength(0);
    expect(voice.latest(TO)?.code).toMatch(/^\d{6}$/);
    expect((await checkpoint.get(sent.id)).channels).toEqual(['voice']);
  });

  it('answers channel_unavailable (opted_out) when SMS was the only way, and audits the refusal', async () => {
    const { checkpoint, sms, auditLog } = harness();
    await checkpoint.optOut({ to: TO, optedOut: true });
    const refused = checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] });
    await expect(refused).rejects.toMatchObject({
      code: 'channel_unavailable',
      reasons: ['opted_out'],
    });
    expect(sms.messages).toHaveLength(0);
    const events = [];
    for await (const event of auditLog.query({ tenantId: 'default' })) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'destination.opted_out',
      'verification.blocked',
    ]);
    expect(events[0]).toMatchObject({
      result: 'opted_out',
      channel: 'sms',
      destination: { kind: 'phone', masked: '+1********00', country: 'US' },
    });
    expect(JSON.stringify(events)).not.toContain('4155550100');
  });

  it('lifts the opt-out on START; a repeated keyword changes nothing and is not audited twice', async () => {
    const { checkpoint, auditLog } = harness();
    await checkpoint.optOut({ to: TO, optedOut: true });
    expect(await checkpoint.optOut({ to: TO, optedOut: true })).toEqual({ changed: false });
    expect(await checkpoint.optOuts(TO)).toEqual(['sms']);
    const started = await checkpoint.optOut({ to: '+1 415 555 0100', optedOut: false });
    expect(started.changed).toBe(true);
    expect(await checkpoint.optOuts(TO)).toEqual([]);
    expect((await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] })).channel).toBe(
      'sms',
    );
    const types = [];
    for await (const event of auditLog.query({ tenantId: 'default' })) types.push(event.type);
    expect(types.filter((type) => type.startsWith('destination.'))).toEqual([
      'destination.opted_out',
      'destination.opted_in',
    ]);
  });

  it('keeps opt-outs per tenant, and leaves email and voice alone', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('acme', {});
    await checkpoint.optOut({ to: TO, optedOut: true, tenantId: 'acme' });
    expect(await checkpoint.optOuts(TO, 'acme')).toEqual(['sms']);
    expect(await checkpoint.optOuts(TO)).toEqual([]);
    const elsewhere = await checkpoint.send({ to: TO, purpose: 'login', channels: ['sms'] });
    expect(elsewhere.channel).toBe('sms');
    const both = await checkpoint.send({
      to: { phone: TO, email: 'ada@example.com' },
      purpose: 'login',
      tenantId: 'acme',
      channels: ['sms', 'email'],
    });
    expect(both.channel).toBe('email');
  });

  it('refuses malformed input with invalid_request', async () => {
    const { checkpoint } = harness();
    await expect(checkpoint.optOut({ to: TO } as never)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(
      checkpoint.optOut({ to: TO, optedOut: true, medium: 'pigeon' as never }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      checkpoint.optOut({ to: 'ada@example.com', optedOut: true }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(checkpoint.optOut({ to: '12', optedOut: true })).rejects.toMatchObject({
      code: 'invalid_number',
    });
  });
});
