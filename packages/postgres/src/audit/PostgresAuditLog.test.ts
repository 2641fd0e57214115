import type { AuditEvent, AuditQuery } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { usePool } from './fixtures/db.js';
import { PostgresAuditLog, type PostgresAuditLogOptions } from './PostgresAuditLog.js';
import { AUDIT_SCHEMA_VERSION, migrateAuditSchema } from './schema.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 86_400_000;
const db = usePool();

async function makeLog(options: Partial<PostgresAuditLogOptions> = {}): Promise<PostgresAuditLog> {
  const log = new PostgresAuditLog({
    pool: db.pool(),
    table: db.table('audit'),
    now: () => NOW,
    ...options,
  });
  await log.migrate();
  return log;
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function collect(log: PostgresAuditLog, query: AuditQuery): Promise<AuditEvent[]> {
  const found: AuditEvent[] = [];
  for await (const item of log.query(query)) found.push(item);
  return found;
}

async function partitions(table: string): Promise<string[]> {
  const { rows } = await db.pool().query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [table],
  );
  return rows.map((row) => row.name);
}

describe('PostgresAuditLog.migrate', () => {
  it('creates the partitioned table, its indexes and this month\u2019s and the next two partitions, idempotently and concurrently', async () => {
    const table = db.table('migrate');
    await Promise.all(
      Array.from({ length: 3 }, () => migrateAuditSchema(db.pool(), { table, now: () => NOW })),
    );
    await migrateAuditSchema(db.pool(), { table, now: () => NOW });
    expect(await partitions(table)).toEqual([
      `${table}_p202611`,
      `${table}_p202612`,
      `${table}_p202701`,
    ]);
    const { rows: indexes } = await db
      .pool()
      .query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY 1',
        [table],
      );
    expect(indexes.map((row) => row.indexname)).toEqual([
      `${table}_pkey`,
      `${table}_tenant_at`,
      `${table}_verification`,
    ]);
    const { rows } = await db
      .pool()
      .query<{ value: string }>(`SELECT value FROM "${table}_meta" WHERE key = 'schema_version'`);
    expect(rows).toEqual([{ value: String(AUDIT_SCHEMA_VERSION) }]);
  });

  it('refuses schema and table names that are not plain identifiers', () => {
    for (const table of ['Audit', 'audit"; DROP TABLE x; --', '', 'a'.repeat(41), '1audit']) {
      expect(() => new PostgresAuditLog({ pool: db.pool(), table })).toThrow(TypeError);
    }
    expect(() => new PostgresAuditLog({ pool: db.pool(), schema: 'public.x' })).toThrow(TypeError);
    expect(() => new PostgresAuditLog({ pool: db.pool(), pageSize: 0 })).toThrow(TypeError);
    expect(() => new PostgresAuditLog({} as PostgresAuditLogOptions)).toThrow(
      /requires \{ pool \}/,
    );
  });
});

describe('PostgresAuditLog.append and byVerification', () => {
  it('returns a verification\u2019s events oldest first, same-millisecond events in append order', async () => {
    const log = await makeLog();
    await log.append(
      event({ at: NOW, id: 'ae_b1', verificationId: 'vf_b', type: 'verification.checked' }),
    );
    await log.append(
      event({ at: NOW, id: 'ae_b2', verificationId: 'vf_b', type: 'verification.approved' }),
    );
    await log.append(event({ at: NOW - 5, id: 'ae_b0', verificationId: 'vf_b' }));
    await log.append(event({ at: NOW, id: 'ae_other', verificationId: 'vf_c' }));
    expect((await log.byVerification('vf_b')).map((item) => item.id)).toEqual([
      'ae_b0',
      'ae_b1',
      'ae_b2',
    ]);
    expect(await log.byVerification('vf_none')).toEqual([]);
  });

  it('reads back exactly what was appended, field for field', async () => {
    const log = await makeLog();
    const full: AuditEvent = {
      id: 'ae_full',
      type: 'verification.checked',
      at: NOW,
      tenantId: 'acme',
      verificationId: 'vf_full',
      purpose: 'billing_change',
      channel: 'sms',
      destination: {
        kind: 'phone',
        hash: 'k1:9f86d08',
        masked: '+1 \u2022\u2022\u2022 0100',
        country: 'US',
      },
      context: {
        ip: '2001:db8::1',
        asn: 64_500,
        userAgent: 'UA "q", \u00e9',
        deviceId: 'd',
        consent: 'c-1',
      },
      result: 'failed',
      reasons: ['velocity:ip'],
      latencyMs: 12,
      data: { attempt: 2, ok: true, note: 'x' },
    };
    await log.append(full);
    expect(await log.byVerification('vf_full')).toEqual([full]);
    expect(JSON.stringify((await log.byVerification('vf_full'))[0])).toBe(JSON.stringify(full));
  });

  it('keeps one row when the same event is appended twice (a retried append)', async () => {
    const log = await makeLog();
    const once = event({ at: NOW, verificationId: 'vf_twice' });
    await log.append(once);
    await log.append(once);
    expect(await log.byVerification('vf_twice')).toHaveLength(1);
  });

  it('creates the partition of a month that has none, also when appends race for it', async () => {
    const table = db.table('ondemand');
    const log = await makeLog({ table, retentionDays: 3 * 365 });
    const old = Date.UTC(2025, 2, 10);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        log.append(event({ at: old + index, tenantId: 'acme' })),
      ),
    );
    expect(await partitions(table)).toContain(`${table}_p202503`);
    expect(await collect(log, { tenantId: 'acme', to: Date.UTC(2025, 3, 1) })).toHaveLength(8);
  });

  it('stores hostile text as data: parameters, never SQL', async () => {
    const log = await makeLog();
    const tenantId = "acme'; DROP TABLE pg_class; --";
    await log.append(event({ at: NOW, tenantId, verificationId: 'vf_\'"\\', purpose: "x'); --" }));
    expect(await collect(log, { tenantId })).toHaveLength(1);
    expect(await log.byVerification('vf_\'"\\')).toHaveLength(1);
  });

  it('refuses what is not an audit event', async () => {
    const log = await makeLog();
    await expect(log.append({ id: 'ae_x', tenantId: '', at: NOW } as AuditEvent)).rejects.toThrow(
      TypeError,
    );
    await expect(log.append(event({ at: Number.NaN }))).rejects.toThrow(TypeError);
  });
});

describe('PostgresAuditLog.query', () => {
  it('returns one tenant\u2019s events in [from, to), filtered by type, across many pages', async () => {
    const log = await makeLog({ pageSize: 3 });
    const types = [
      'verification.requested',
      'verification.checked',
      'verification.approved',
    ] as const;
    for (let index = 0; index < 20; index += 1) {
      // Pairs share a millisecond: the page boundary falls between equal times.
      await log.append(
        event({
          at: NOW - 100 + Math.floor(index / 2),
          id: `ae_q${index}`,
          type: types[index % 3] ?? 'verification.requested',
        }),
      );
      await log.append(event({ at: NOW - 100 + index, tenantId: 'globex' }));
    }
    const all = await collect(log, { tenantId: 'acme' });
    expect(all.map((item) => item.id)).toEqual(
      Array.from({ length: 20 }, (_, index) => `ae_q${index}`),
    );
    const range = await collect(log, { tenantId: 'acme', from: NOW - 98, to: NOW - 95 });
    expect(range.map((item) => item.id)).toEqual([
      'ae_q4',
      'ae_q5',
      'ae_q6',
      'ae_q7',
      'ae_q8',
      'ae_q9',
    ]);
    const checked = await collect(log, { tenantId: 'acme', types: ['verification.checked'] });
    expect(checked.map((item) => item.id)).toEqual([
      'ae_q1',
      'ae_q4',
      'ae_q7',
      'ae_q10',
      'ae_q13',
      'ae_q16',
      'ae_q19',
    ]);
    expect(await collect(log, { tenantId: 'acme', types: [] })).toEqual([]);
    expect(await collect(log, { tenantId: 'acme', from: NOW, to: NOW })).toEqual([]);
    expect(await collect(log, { tenantId: 'initech' })).toEqual([]);
  });

  it('refuses a query without a tenant or with a bound that is not a number', async () => {
    const log = await makeLog();
    await expect(collect(log, { tenantId: '' })).rejects.toThrow(TypeError);
    await expect(collect(log, { tenantId: 'acme', from: Number.NaN })).rejects.toThrow(TypeError);
    expect(() => log.export({ tenantId: 'acme' }, 'xml' as 'csv')).toThrow(TypeError);
  });

  it('keeps the events of a day-old clock skew and a future event readable', async () => {
    const log = await makeLog();
    await log.append(event({ at: NOW + DAY, id: 'ae_future' }));
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.id)).toEqual([
      'ae_future',
    ]);
  });
});
