// An embedded audit log must not grow forever nor hand out events past their tenant's retention.
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '../lifecycle/createCheckpoint.js';
import { outboxChannel } from '../channels/outboxChannel.js';
import { ManualClock } from '../testing/ManualClock.js';
import type { AuditEvent, AuditQuery } from './AuditEvent.js';
import { MemoryAuditLog } from './MemoryAuditLog.js';
import { RETENTION_PRESETS, retentionFromConfig } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12);

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_r${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function ids(log: MemoryAuditLog, query: AuditQuery): Promise<string[]> {
  const found: string[] = [];
  for await (const item of log.query(query)) found.push(item.id);
  return found;
}

describe('MemoryAuditLog retention', () => {
  it('keeps 365 days by default and drops older events from memory on the next append', async () => {
    let clock = NOW - 400 * DAY;
    const log = new MemoryAuditLog({ now: () => clock });
    for (let index = 0; index < 50; index += 1) {
      await log.append(
        event({ at: clock + index, id: `ae_old${index}`, verificationId: 'vf_old' }),
      );
    }
    clock = NOW;
    await log.append(event({ at: NOW - 364 * DAY, id: 'ae_kept' }));
    expect(await ids(log, { tenantId: 'acme' })).toEqual(['ae_kept']);
    expect(await log.byVerification('vf_old')).toEqual([]);
    expect(log.dump()).not.toContain('ae_old');
  });

  it('returns nothing past the retention even before an append has trimmed it', async () => {
    let clock = NOW;
    const log = new MemoryAuditLog({ retentionDays: 30, now: () => clock });
    await log.append(event({ at: NOW - 10 * DAY, id: 'ae_a', verificationId: 'vf_a' }));
    clock = NOW + 25 * DAY;
    expect(await ids(log, { tenantId: 'acme' })).toEqual([]);
    expect(await log.byVerification('vf_a')).toEqual([]);
    expect(await log.enforceRetention()).toBe(1);
    expect(log.dump()).toBe('[]');
  });

  it('applies each tenant its own retention, from a preset or an async function', async () => {
    const days: Record<string, number> = {
      brief: 7,
      bank: RETENTION_PRESETS.fiveYears,
      clinic: RETENTION_PRESETS.sixYears,
    };
    const log = new MemoryAuditLog({
      retentionDays: async (tenantId) => days[tenantId] ?? 365,
      now: () => NOW,
    });
    const ages = [8, 400, 5 * 365, 5 * 366 + 5, 6 * 366 + 5];
    for (const tenantId of ['brief', 'other', 'bank', 'clinic']) {
      for (const age of ages) {
        await log.append(event({ at: NOW - age * DAY, tenantId, id: `ae_${tenantId}_${age}` }));
      }
    }
    const kept = async (tenantId: string) =>
      (await ids(log, { tenantId })).map((id) => Number(id.split('_').at(-1)));
    expect(await kept('brief')).toEqual([]);
    expect(await kept('other')).toEqual([8]);
    expect(await kept('bank')).toEqual([5 * 365, 400, 8]);
    expect(await kept('clinic')).toEqual([5 * 366 + 5, 5 * 365, 400, 8]);
  });

  it('has presets that cover whole calendar years, leap days included', () => {
    expect(RETENTION_PRESETS.oneYear).toBeGreaterThanOrEqual(366);
    expect(RETENTION_PRESETS.fiveYears).toBeGreaterThanOrEqual(
      (Date.UTC(2028, 11, 31) - Date.UTC(2023, 11, 31)) / DAY,
    );
    expect(RETENTION_PRESETS.sixYears).toBeGreaterThanOrEqual(
      (Date.UTC(2029, 11, 31) - Date.UTC(2023, 11, 31)) / DAY,
    );
  });

  it('refuses a retention that is not a positive number of days', async () => {
    expect(() => new MemoryAuditLog({ retentionDays: 0 })).toThrow(TypeError);
    const log = new MemoryAuditLog({ retentionDays: () => Number.NaN });
    await expect(log.append(event({ at: NOW }))).rejects.toThrow(/positive number of days/);
  });

  it('follows the fake clock given to createCheckpoint when no `now` is given', async () => {
    const clock = new ManualClock(NOW);
    const sms = outboxChannel({ name: 'sms' });
    const auditLog = new MemoryAuditLog({ retentionDays: 1 });
    const checkpoint = createCheckpoint({
      secret: 'memory-retention-secret-0123456789abcdef',
      channels: [sms],
      clock,
      auditLog,
    });
    try {
      const { id } = await checkpoint.send({ to: '+14155550100', purpose: 'login' });
      expect((await checkpoint.audit(id)).length).toBeGreaterThan(0);
      await clock.advance(2 * DAY);
      await checkpoint.send({ to: '+14155550101', purpose: 'login' });
      expect(await checkpoint.audit(id)).toEqual([]);
    } finally {
      await checkpoint.close();
    }
  });
});

describe('retentionFromConfig', () => {
  it('reads each tenant\u2019s auditRetentionDays from its configuration, cached', async () => {
    let clock = NOW;
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: 'memory-retention-secret-0123456789abcdef',
      channels: [sms],
    });
    await checkpoint.configure('clinic', { auditRetentionDays: RETENTION_PRESETS.sixYears });
    const days = retentionFromConfig((tenantId) => checkpoint.config(tenantId), {
      cacheMs: 1_000,
      now: () => clock,
    });
    expect(await days('clinic')).toBe(RETENTION_PRESETS.sixYears);
    expect(await days('default')).toBe(365);
    await checkpoint.configure('clinic', { auditRetentionDays: 30 });
    expect(await days('clinic')).toBe(RETENTION_PRESETS.sixYears);
    clock += 1_000;
    expect(await days('clinic')).toBe(30);
    await expect(days('unknown')).rejects.toThrow(/unknown tenant/);
    await checkpoint.close();
  });
});
