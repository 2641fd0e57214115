import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/CheckpointError.js';
import type { SendGuard } from './SendGuard.js';
import { harness } from '../testing/harness.js';
import type { Channel } from '../channels/Channel.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { VerificationRecord } from '../store/Store.js';

const TO = '+14155550100';

describe('send', () => {
  it('normalises the number, sends a 6-digit code on the first channel and records the steps', async () => {
    const { checkpoint, sms, clock } = harness();
    const result = await checkpoint.send({
      to: '+1 (415) 555-0100',
      purpose: 'signup',
      context: { ip: '203.0.113.9' },
    });
    expect(result).toMatchObject({
      status: 'pending',
      channel: 'sms',
      expiresAt: clock.now() + 600_000,
    });
    expect(result.id).toMatch(/^vf_[A-Za-z0-9_-]{26}$/);
    expect(sms.latest(TO)?.code).toMatch(/^\d{6}$/);
    expect(sms.latest(TO)?.text).toContain(sms.latest(TO)?.code);
    const events = await checkpoint.audit(result.id);
    expect(events.map((event) => event.type)).toEqual([
      'verification.requested',
      'verification.dispatched',
    ]);
    expect(events[0]).toMatchObject({
      id: result.auditEventId,
      tenantId: 'default',
      purpose: 'signup',
      context: { ip: '203.0.113.9' },
      destination: { kind: 'phone', masked: '+1********00', country: 'US' },
    });
  });

  it('accepts national numbers when the tenant sets a default country', async () => {
    const { checkpoint, sms } = harness();
    await checkpoint.configure('acme', { defaultCountry: 'US' });
    await checkpoint.send({ to: '(415) 555-0100', purpose: 'login', tenantId: 'acme' });
    expect(sms.latest(TO)).toBeDefined();
    await expect(checkpoint.send({ to: '(415) 555-0100', purpose: 'login' })).rejects.toMatchObject(
      { code: 'invalid_number' },
    );
  });

  it('sends email destinations on email channels only', async () => {
    const { checkpoint, email, sms } = harness();
    const { channel } = await checkpoint.send({ to: 'Jane@Example.COM', purpose: 'signup' });
    expect(channel).toBe('email');
    expect(email.latest('Jane@example.com')?.code).toMatch(/^\d{6}$/);
    expect(sms.messages).toHaveLength(0);
  });

  it('refuses with rate_limited and retryAfter once a destination cap is reached, and lets it through when the window ends', async () => {
    const { checkpoint, clock, sms } = harness();
    await checkpoint.configure('default', {
      velocity: { destination: [{ limit: 2, windowSeconds: 600 }] },
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(100_000);
    await checkpoint.send({ to: TO, purpose: 'login' });
    const refused = await checkpoint
      .send({ to: TO, purpose: 'login' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CheckpointError);
    expect(refused).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfter: 500,
      reasons: ['velocity:destination'],
    });
    expect(sms.messages).toHaveLength(2);
    await clock.advance(499_000);
    await expect(checkpoint.send({ to: TO, purpose: 'login' })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 1,
    });
    await clock.advance(1_000);
    await expect(checkpoint.send({ to: TO, purpose: 'login' })).resolves.toMatchObject({
      status: 'pending',
    });
  });

  it('caps sends per IP, per ASN and per tenant independently', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('default', {
      velocity: {
        ip: [{ limit: 1, windowSeconds: 60 }],
        asn: [{ limit: 2, windowSeconds: 60 }],
        tenant: [{ limit: 3, windowSeconds: 60 }],
      },
    });
    await checkpoint.send({
      to: '+14155550101',
      purpose: 'login',
      context: { ip: '198.51.100.1', asn: 64500 },
    });
    await expect(
      checkpoint.send({ to: '+14155550102', purpose: 'login', context: { ip: '198.51.100.1' } }),
    ).rejects.toMatchObject({
      reasons: ['velocity:ip'],
    });
    await checkpoint.send({
      to: '+14155550103',
      purpose: 'login',
      context: { ip: '198.51.100.2', asn: 'AS64500' as unknown as number },
    });
    await expect(
      checkpoint.send({
        to: '+14155550104',
        purpose: 'login',
        context: { ip: '198.51.100.3', asn: 64500 },
      }),
    ).rejects.toMatchObject({
      reasons: ['velocity:asn'],
    });
    await checkpoint.send({ to: '+14155550105', purpose: 'login' });
    await expect(checkpoint.send({ to: '+14155550106', purpose: 'login' })).rejects.toMatchObject({
      reasons: ['velocity:tenant'],
    });
  });

  it('refuses sanctioned and denied countries, honours an allowlist, and audits the reason', async () => {
    const { checkpoint, auditLog, sms } = harness();
    await expect(checkpoint.send({ to: '+989121234567', purpose: 'signup' })).rejects.toMatchObject(
      {
        code: 'country_blocked',
        status: 403,
        reasons: ['country:sanctioned:IR'],
      },
    );
    await checkpoint.configure('eu-only', { countries: { allow: ['DE', 'FR'] } });
    await expect(
      checkpoint.send({ to: TO, purpose: 'signup', tenantId: 'eu-only' }),
    ).rejects.toMatchObject({
      reasons: ['country:not_allowed:US'],
    });
    await checkpoint.send({ to: '+4915123456789', purpose: 'signup', tenantId: 'eu-only' });
    await checkpoint.configure('no-de', { countries: { deny: ['DE'] } });
    await expect(
      checkpoint.send({ to: '+4915123456789', purpose: 'signup', tenantId: 'no-de' }),
    ).rejects.toMatchObject({
      reasons: ['country:denied:DE'],
    });
    expect(sms.messages).toHaveLength(1);
    const blocked = [];
    for await (const event of auditLog.query({
      tenantId: 'default',
      types: ['verification.blocked'],
    }))
      blocked.push(event);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      result: 'country_blocked',
      reasons: ['country:sanctioned:IR'],
      destination: { country: 'IR' },
    });
  });

  it('asks each send guard and answers with its refusal', async () => {
    const seen: string[] = [];
    const guard: SendGuard = {
      name: 'premium-rate',
      evaluate: async (input) => {
        seen.push(input.destinationHash);
        return input.destination.phone?.e164.endsWith('99')
          ? { code: 'fraud_detected', reason: 'test:ends_in_99' }
          : undefined;
      },
    };
    const { checkpoint } = harness({ guards: [guard] });
    await checkpoint.send({ to: TO, purpose: 'signup' });
    await expect(checkpoint.send({ to: '+14155550199', purpose: 'signup' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['test:ends_in_99'],
    });
    expect(seen).toHaveLength(2);
  });

  it('moves on to the next channel, with the same code, when a channel refuses', async () => {
    const broken: Channel = {
      name: 'broken',
      kind: 'phone',
      send: () => Promise.reject(new CheckpointError('channel_unavailable', 'provider down')),
    };
    const { checkpoint, voice } = harness();
    const second = harness({ channels: [broken, voice] });
    void checkpoint;
    const sent = await second.checkpoint.send({ to: TO, purpose: 'login' });
    expect(sent.channel).toBe('voice');
    const events = await second.checkpoint.audit(sent.id);
    expect(events.map((event) => [event.type, event.channel, event.result])).toEqual([
      ['verification.requested', undefined, undefined],
      ['verification.dispatch_failed', 'broken', 'channel_unavailable'],
      ['verification.dispatched', 'voice', 'sent'],
    ]);
    const record = await second.checkpoint.get(sent.id);
    expect(record.sends).toBe(1);
    expect(record.deliveries.map((delivery) => [delivery.channel, delivery.status])).toEqual([
      ['broken', 'failed'],
      ['voice', 'sent'],
    ]);
    expect(
      await second.checkpoint.check({ id: sent.id, code: voice.latest(TO)?.code ?? '' }),
    ).toMatchObject({ status: 'approved' });
  });

  it('cancels the verification and answers channel_unavailable when every channel refuses', async () => {
    const broken: Channel = {
      name: 'broken',
      kind: 'phone',
      send: () => Promise.reject(new Error('socket hang up')),
    };
    const { checkpoint, auditLog } = harness({ channels: [broken] });
    const error = await checkpoint
      .send({ to: TO, purpose: 'login' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'channel_unavailable', status: 503 });
    const events = [];
    for await (const event of auditLog.query({ tenantId: 'default' })) events.push(event.type);
    expect(events).toEqual([
      'verification.requested',
      'verification.dispatch_failed',
      'verification.canceled',
    ]);
  });

  it('refuses new codes to a destination whose failure budget is spent, until its window ends when it has no lock time', async () => {
    const { checkpoint, clock, codeFor, wrongFor } = harness();
    await checkpoint.configure('default', {
      destinationFailures: { limit: 6, windowSeconds: 3_600, lockSeconds: 0 },
      velocity: { destination: [] },
    });
    // Guessing by opening new verifications: 5 wrong codes on one, then a fresh one.
    const first = await checkpoint.send({ to: TO, purpose: 'login' });
    for (let i = 0; i < 5; i += 1)
      await checkpoint.check({ id: first.id, code: wrongFor(codeFor(TO)) });
    const second = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(await checkpoint.check({ id: second.id, code: wrongFor(codeFor(TO)) })).toMatchObject({
      status: 'failed',
      remainingAttempts: 4,
    });
    // The budget is spent: the live verification locks, and no new code is sent.
    expect(await checkpoint.check({ id: second.id, code: codeFor(TO) })).toMatchObject({
      status: 'max_attempts',
    });
    await expect(checkpoint.send({ to: TO, purpose: 'login' })).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['destination_failures'],
      retryAfter: 3_600,
    });
    await clock.advance(3_600_000);
    const third = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(await checkpoint.check({ id: third.id, code: codeFor(TO) })).toMatchObject({
      status: 'approved',
    });
  });

  it('answers channel_unavailable when no configured channel can reach the destination', async () => {
    const { checkpoint } = harness();
    await expect(
      checkpoint.send({ to: 'jane@example.com', purpose: 'login', channels: ['sms'] }),
    ).rejects.toMatchObject({
      code: 'channel_unavailable',
    });
  });
});

describe('send for an action-bound step-up', () => {
  it('says in the message what the code approves, on every channel and resend', async () => {
    const { checkpoint, clock, sms, voice } = harness();
    const { id } = await checkpoint.send({
      to: TO,
      purpose: 'billing_change',
      approving: 'changing the billing card to …4242',
    });
    expect(sms.latest(TO)?.text).toMatch(
      /^\d{6} approves changing the billing card to …4242\. It expires in 10 minutes/,
    );
    await clock.advance(30_000); // fallback to voice
    expect(voice.latest(TO)?.text).toContain('approves changing the billing card to …4242');
    expect((await checkpoint.get(id)).approving).toBe('changing the billing card to …4242');
    await expect(
      checkpoint.send({ to: TO, purpose: 'login', approving: 'x'.repeat(121) }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      checkpoint.send({ to: TO, purpose: 'login', approving: 'line\nbreak' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('send with pure guards (counted and created in one store step)', () => {
  const endsIn99: SendGuard = {
    name: 'ends-in-99',
    pure: true,
    evaluate: async (input) =>
      input.destination.phone?.e164.endsWith('99')
        ? { code: 'fraud_detected', reason: 'test:ends_in_99' }
        : undefined,
  };

  /** A MemoryStore that cannot create with the counters (as RedisStore on a Cluster). */
  class SeparateCreateStore extends MemoryStore {
    creates = 0;
    override hitCounters(...[rules, now, reads]: Parameters<MemoryStore['hitCounters']>) {
      const { create: _ignored, ...rest } = reads ?? {};
      return super.hitCounters(rules, now, rest);
    }
    override create(record: VerificationRecord): Promise<void> {
      this.creates += 1;
      return super.create(record);
    }
  }

  it('asks free guards before the counters: a send a pure guard refuses counts nothing', async () => {
    const { checkpoint } = harness({ guards: [endsIn99] });
    await checkpoint.configure('default', {
      velocity: { destination: [{ limit: 1, windowSeconds: 600 }] },
    });
    for (const to of ['+14155550199', '+14155550199', '+14155550199']) {
      await expect(checkpoint.send({ to, purpose: 'signup' })).rejects.toMatchObject({
        code: 'fraud_detected',
        reasons: ['test:ends_in_99'],
      });
    }
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'signup' })).resolves.toMatchObject(
      {
        status: 'pending',
      },
    );
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'signup' })).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['velocity:destination'],
    });
  });

  it('creates nothing for a refused send and exactly one verification for an allowed one', async () => {
    const store = new SeparateCreateStore();
    const { checkpoint, codeFor } = harness({ store, guards: [endsIn99] });
    await expect(checkpoint.send({ to: '+14155550199', purpose: 'signup' })).rejects.toMatchObject({
      code: 'fraud_detected',
    });
    expect(store.creates).toBe(0);
    const { id } = await checkpoint.send({ to: TO, purpose: 'signup' });
    expect(store.creates).toBe(1);
    expect(await checkpoint.check({ id, code: codeFor(TO) })).toMatchObject({ status: 'approved' });
  });

  it('sends on the channels left after an opt-out, created by a step of its own', async () => {
    const { checkpoint, sms, voice } = harness({ guards: [endsIn99] });
    await checkpoint.optOut({ to: TO, optedOut: true });
    const sent = await checkpoint.send({ to: TO, purpose: 'signup' });
    expect(sent.channel).toBe('voice');
    expect(sms.latest(TO)).toBeUndefined();
    expect(voice.latest(TO)?.code).toMatch(/^\d{6}$/);
    expect((await checkpoint.get(sent.id))?.channels).toEqual(['voice']);
  });
});
