import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';

describe('check', () => {
  it('approves one second before the time to live ends', async () => {
    const { checkpoint, clock, codeFor } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(599_000);
    // By now the fallback timer has moved the verification to voice; the SMS code stays valid.
    expect(await checkpoint.check({ id, code: codeFor(TO) })).toMatchObject({
      status: 'approved',
      remainingAttempts: 4,
      channel: 'voice',
    });
  });

  it('answers expired at the time to live, even for the right code, and records the expiry once', async () => {
    const { checkpoint, clock, codeFor } = harness();
    await checkpoint.configure('default', { ttlSeconds: 120 });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    clock.set(clock.now() + 120_000); // jump without firing the expiry timer: the check itself must see it
    expect(await checkpoint.check({ id, code: codeFor(TO) })).toMatchObject({
      status: 'expired',
      remainingAttempts: 5,
    });
    expect(await checkpoint.check({ id, code: codeFor(TO) })).toMatchObject({ status: 'expired' });
    await clock.advance(0); // now the timer fires, and finds nothing to do
    const types = (await checkpoint.audit(id)).map((event) => event.type);
    expect(types.filter((type) => type === 'verification.expired')).toHaveLength(1);
  });

  it('expires a verification nobody checked, on its timer, and stops its fallback', async () => {
    const { checkpoint, clock, voice } = harness();
    await checkpoint.configure('default', { ttlSeconds: 60, fallbackTimeoutSeconds: 120 });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    await clock.advance(60_000);
    expect((await checkpoint.get(id)).status).toBe('expired');
    await clock.advance(120_000);
    expect(voice.messages).toHaveLength(0);
    expect((await checkpoint.audit(id)).map((event) => event.type)).toContain(
      'verification.expired',
    );
  });

  it('counts down remaining attempts and locks after the last wrong code', async () => {
    const { checkpoint, codeFor, wrongFor } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const wrong = wrongFor(codeFor(TO));
    const remaining = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await checkpoint.check({ id, code: wrong });
      expect(result.status).toBe('failed');
      remaining.push(result.remainingAttempts);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(await checkpoint.check({ id, code: codeFor(TO) })).toMatchObject({
      status: 'max_attempts',
      remainingAttempts: 0,
    });
  });

  it('records each check with its result, and the approval once', async () => {
    const { checkpoint, codeFor, wrongFor } = harness();
    const { id } = await checkpoint.send({
      to: TO,
      purpose: 'login',
      context: { ip: '192.0.2.1' },
    });
    const failed = await checkpoint.check({
      id,
      code: wrongFor(codeFor(TO)),
      context: { ip: '192.0.2.2', userAgent: 'test/1.0' },
    });
    const approved = await checkpoint.check({ id, code: codeFor(TO) });
    const events = await checkpoint.audit(id);
    const checks = events.filter((event) => event.type === 'verification.checked');
    expect(checks.map((event) => [event.id, event.result])).toEqual([
      [failed.auditEventId, 'failed'],
      [approved.auditEventId, 'approved'],
    ]);
    expect(checks[0]).toMatchObject({
      context: { ip: '192.0.2.2', userAgent: 'test/1.0' },
      data: { evaluated: true, attempt: 1 },
    });
    expect(events.filter((event) => event.type === 'verification.approved')).toHaveLength(1);
  });

  it('answers canceled after cancel, and not_found for cancel after approval', async () => {
    const { checkpoint, codeFor } = harness();
    const first = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(await checkpoint.cancel(first.id)).toEqual({ id: first.id, status: 'canceled' });
    expect(await checkpoint.check({ id: first.id, code: codeFor(TO) })).toMatchObject({
      status: 'canceled',
    });
    const second = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.check({ id: second.id, code: codeFor(TO) });
    await expect(checkpoint.cancel(second.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(checkpoint.resend(second.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('hides code hashes from get()', async () => {
    const { checkpoint } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const verification = await checkpoint.get(id);
    expect(verification).not.toHaveProperty('codeHashes');
    expect(verification).toMatchObject({
      id,
      status: 'pending',
      sends: 1,
      attempts: 0,
      to: { phone: { e164: TO } },
    });
  });
});
