// Threat: SMS pumping through numbers that pay their owner per message (premium-rate and friends).
import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditLog, LookupProvider } from '../index.js';
import { CheckpointError, defaultGuards, lineTypeGuard } from '../index.js';
import { harness } from '../testing/harness.js';

async function blockedEvents(auditLog: AuditLog): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of auditLog.query({
    tenantId: 'default',
    types: ['verification.blocked'],
  }))
    events.push(event);
  return events;
}

describe('line-type gating', () => {
  it.each([
    ['+19005550100', 'premium_rate'],
    ['+448712345678', 'premium_rate'],
    ['+33810123456', 'shared_cost'],
    ['+18005550100', 'toll_free'],
    ['+448001234567', 'toll_free'],
    ['+445512345678', 'uan'],
  ])(
    'refuses %s (%s) on a checkpoint created without guards, before any message',
    async (to, type) => {
      const { checkpoint, sms, voice, auditLog } = harness();
      const error = await checkpoint
        .send({ to, purpose: 'signup' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error).toMatchObject({
        code: 'fraud_detected',
        reasons: [`pumping:line_type:${type}`],
      });
      expect(sms.messages).toHaveLength(0);
      expect(voice.messages).toHaveLength(0);
      expect(await blockedEvents(auditLog)).toMatchObject([
        { result: 'fraud_detected', reasons: [`pumping:line_type:${type}`] },
      ]);
    },
  );

  it('lets mobile numbers through', async () => {
    const { checkpoint } = harness();
    for (const to of ['+447400123456', '+33612345678', '+14155550100', '+4915123456789']) {
      await expect(checkpoint.send({ to, purpose: 'signup' })).resolves.toMatchObject({
        channel: 'sms',
      });
    }
  });

  it('is the first of what defaultGuards() holds', () => {
    expect(defaultGuards().map((guard) => guard.name)).toEqual([
      'pumping:line_type',
      'pumping:traffic',
    ]);
  });

  it('takes the line type a LookupProvider reports into account', async () => {
    const provider: LookupProvider = { lookup: async () => ({ lineType: 'premium_rate' }) };
    const { checkpoint } = harness({ lookupProvider: provider });
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'signup' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:line_type:premium_rate'],
    });
  });

  it("follows each tenant's list, and the tenant's master switch", async () => {
    const { checkpoint } = harness({ guards: [lineTypeGuard()] });
    await checkpoint.configure('hotline', { pumping: { refuseLineTypes: ['premium_rate'] } });
    await checkpoint.configure('off', { pumping: { enabled: false } });
    await expect(
      checkpoint.send({ to: '+18005550100', purpose: 'signup', tenantId: 'hotline' }),
    ).resolves.toMatchObject({ status: 'pending' });
    await expect(
      checkpoint.send({ to: '+19005550100', purpose: 'signup', tenantId: 'hotline' }),
    ).rejects.toMatchObject({ code: 'fraud_detected' });
    await expect(
      checkpoint.send({ to: '+19005550100', purpose: 'signup', tenantId: 'off' }),
    ).resolves.toMatchObject({ status: 'pending' });
    await expect(checkpoint.send({ to: '+18005550100', purpose: 'signup' })).rejects.toMatchObject({
      reasons: ['pumping:line_type:toll_free'],
    });
  });

  it('is gone when the app passes its own guard list', async () => {
    const { checkpoint } = harness({ guards: [] });
    await expect(checkpoint.send({ to: '+19005550100', purpose: 'signup' })).resolves.toMatchObject(
      { status: 'pending' },
    );
  });

  it('refuses a misspelt line type in configure()', async () => {
    const { checkpoint } = harness();
    await expect(
      checkpoint.configure('acme', { pumping: { refuseLineTypes: ['premium'] as never } }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
