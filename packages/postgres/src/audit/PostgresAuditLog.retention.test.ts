// Audit events must be kept for each tenant's retention (one to six years) and not a month longer.
import { type AuditEvent, RETENTION_PRESETS } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { usePool } from './fixtures/db.js';
import { PostgresAuditLog, type PostgresAuditLogOptions } from './PostgresAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 86_400_000;
const db = usePool();

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function ids(log: PostgresAuditLog, tenantId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of log.query({ tenantId })) found.push(item.id);
  return found;
}

function setUp(options: Partial<PostgresAuditLogOptions> = {}) {
  const table = db.table('retention');
  const clock = { now: NOW };
  const log = new PostgresAuditLog({ pool: db.pool(), table, now: () => clock.now, ...options });
  const rows = async (): Promise<number> =>
    Number(
      (await db.pool().query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n,
    );
  return { table, clock, log, rows };
}

describe('PostgresAuditLog retention', () => {
  it('returns nothing past the retention even before a retention run deleted it', async () => {
    const { clock, log, rows } = setUp({ retentionDays: 30 });
    await log.migrate();
    await log.append(event({ at: NOW - 10 * DAY, id: 'ae_kept', verificationId: 'vf_a' }));
    expect(await ids(log, 'acme')).toEqual(['ae_kept']);
    clock.now = NOW + 25 * DAY;
    expect(await ids(log, 'acme')).toEqual([]);
    expect(await log.byVerification('vf_a')).toEqual([]);
    expect(await rows()).toBe(1);
  });

  it('does not keep an event that arrives already past its tenant\u2019s retention', async () => {
    const { log, rows } = setUp({ retentionDays: 7 });
    await log.migrate();
    await log.append(event({ at: NOW - 8 * DAY }));
    expect(await rows()).toBe(0);
  });

  it('drops whole months every tenant is done with and deletes per tenant in the others', async () => {
    const days: Record<string, number> = {
      brief: 30,
      standard: 365,
      bank: RETENTION_PRESETS.fiveYears,
      clinic: RETENTION_PRESETS.sixYears,
    };
    const { table, clock, log, rows } = setUp({
      retentionDays: async (tenantId) => days[tenantId] ?? 365,
    });
    await log.migrate();
    // Appended as it happened: the clock walks back through seven years of one event a tenant a
    // quarter, each appended when it was recent.
    const ages = [5, 45, 200, 400, 900, 1_700, 1_830, 2_100, 2_300, 2_600];
    for (const age of ages) {
      clock.now = NOW - age * DAY;
      for (const tenantId of Object.keys(days)) {
        await log.append(event({ at: clock.now, tenantId, id: `ae_${tenantId}_${age}` }));
      }
    }
    clock.now = NOW;
    expect(await rows()).toBe(ages.length * 4);
    const report = await log.enforceRetention();
    const kept = async (tenantId: string) =>
      (await ids(log, tenantId)).map((id) => Number(id.split('_').at(-1)));
    expect(await kept('brief')).toEqual([5]);
    expect(await kept('standard')).toEqual([200, 45, 5]);
    expect(await kept('bank')).toEqual([1_700, 900, 400, 200, 45, 5]);
    expect(await kept('clinic')).toEqual([2_100, 1_830, 1_700, 900, 400, 200, 45, 5]);
    // What reads show is what is stored: nothing hidden is left behind.
    expect(await rows()).toBe(1 + 3 + 6 + 8);
    // Months older than six years (and a bank month past five) went whole; younger ones by tenant.
    const monthOf = (age: number) => {
      const date = new Date(NOW - age * DAY);
      return `${table}_p${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    expect(report.droppedPartitions).toEqual(
      expect.arrayContaining([monthOf(2_300), monthOf(2_600)]),
    );
    expect(report.droppedPartitions).not.toContain(monthOf(2_100));
    expect(report.deletedRows).toBeGreaterThan(0);
    // A second run finds nothing more to do.
    expect(await log.enforceRetention()).toEqual({ droppedPartitions: [], deletedRows: 0 });
  });

  it('deletes in batches and keeps a month whose newest events are still within retention', async () => {
    const { clock, log, rows } = setUp({ retentionDays: 30 });
    await log.migrate();
    const start = Date.UTC(2026, 9, 1);
    clock.now = start + 20 * DAY;
    for (let day = 0; day < 20; day += 1) {
      await log.append(event({ at: start + day * DAY, id: `ae_oct${day}` }));
    }
    clock.now = start + 45 * DAY; // 2026-11-15: cut-off 2026-10-16
    const report = await log.enforceRetention();
    expect(report.droppedPartitions).toEqual([]);
    expect(report.deletedRows).toBe(15);
    expect(await rows()).toBe(5);
  });

  it('fails the run rather than guess when a tenant\u2019s retention cannot be read', async () => {
    const { log, rows } = setUp({
      retentionDays: async (tenantId) => {
        if (tenantId === 'broken') throw new Error('store unavailable');
        return 1;
      },
    });
    await log.migrate();
    await log.append(event({ at: NOW, tenantId: 'fine' }));
    await expect(log.append(event({ at: NOW, tenantId: 'broken' }))).rejects.toThrow(
      /store unavailable/,
    );
    expect(await rows()).toBe(1);
  });
});
