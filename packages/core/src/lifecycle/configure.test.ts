import { describe, expect, it } from 'vitest';
import { createCheckpoint } from './createCheckpoint.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { outboxChannel } from '../channels/outboxChannel.js';
import { harness, TEST_SECRET } from '../testing/harness.js';

const TO = '+14155550100';

describe('configure', () => {
  it('takes effect on the next call and returns the effective config', async () => {
    const { checkpoint, sms, clock } = harness();
    const effective = await checkpoint.configure('default', { codeLength: 8, ttlSeconds: 300 });
    expect(effective).toMatchObject({ codeLength: 8, ttlSeconds: 300, maxAttempts: 5 });
    const { expiresAt } = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(sms.latest(TO)?.code).toMatch(/^\d{8}$/);
    expect(expiresAt).toBe(clock.now() + 300_000);
  });

  it('is shared by every instance on the same store', async () => {
    const store = new MemoryStore();
    const sms = outboxChannel({ name: 'sms' });
    const a = createCheckpoint({ secret: TEST_SECRET, channels: [sms], store });
    const b = createCheckpoint({ secret: TEST_SECRET, channels: [sms], store });
    await a.configure('acme', { codeLength: 7 });
    await b.send({ to: TO, purpose: 'login', tenantId: 'acme' });
    expect(sms.latest(TO)?.code).toMatch(/^\d{7}$/);
    await a.close();
    await b.close();
  });

  it('merges successive calls one level deep, and replaces with { replace: true }', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('acme', {
      maxAttempts: 3,
      velocity: { ip: [{ limit: 1, windowSeconds: 60 }] },
    });
    const merged = await checkpoint.configure('acme', {
      velocity: { asn: [{ limit: 9, windowSeconds: 60 }] },
    });
    expect(merged.maxAttempts).toBe(3);
    expect(merged.velocity.ip).toEqual([{ limit: 1, windowSeconds: 60 }]);
    expect(merged.velocity.asn).toEqual([{ limit: 9, windowSeconds: 60 }]);
    const replaced = await checkpoint.configure('acme', { maxSends: 2 }, { replace: true });
    expect(replaced.maxAttempts).toBe(5);
    expect(replaced.maxSends).toBe(2);
  });

  it('refuses invalid overrides with invalid_request and keeps the previous config', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('acme', { maxAttempts: 3 });
    await expect(checkpoint.configure('acme', { ttlSeconds: 3_600 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(checkpoint.configure('acme', { codeLength: 4 })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('allowShortCodes') as unknown,
    });
    await expect(checkpoint.configure('acme', { maxAtempts: 3 } as never)).rejects.toMatchObject({
      message: expect.stringContaining('maxAtempts') as unknown,
    });
    await expect(checkpoint.configure('bad tenant id', {})).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect((await checkpoint.config('acme')).maxAttempts).toBe(3);
  });

  it('treats a tenant as unknown until it is configured, and audits each configuration', async () => {
    const { checkpoint, auditLog } = harness();
    await expect(checkpoint.config('globex')).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      checkpoint.send({ to: TO, purpose: 'login', tenantId: 'globex' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await checkpoint.configure('globex', { allowShortCodes: true, codeLength: 4 });
    expect((await checkpoint.config('globex')).codeLength).toBe(4);
    const events = [];
    for await (const event of auditLog.query({ tenantId: 'globex' })) events.push(event);
    expect(events).toMatchObject([
      { type: 'tenant.configured', data: { keys: 'allowShortCodes,codeLength' } },
    ]);
  });
});
