import type { Queryable } from './Queryable.js';
import { type AuditTableNames, nextMonth } from './schema.js';

/** What one retention run removed. */
export interface RetentionReport {
  /** Monthly partitions dropped whole (every tenant in them past its retention, or empty). */
  droppedPartitions: string[];
  /** Rows deleted one tenant at a time from partitions that had to stay. */
  deletedRows: number;
}

/** @internal */
export interface EnforceRetentionInput {
  pool: Queryable;
  names: AuditTableNames;
  now: number;
  retentionMs: (tenantId: string) => Promise<number>;
  /** Rows per DELETE statement, so no single transaction grows with a tenant's size. @default 10000 */
  batchSize?: number;
}

/** @internal See PostgresAuditLog.enforceRetention. */
export async function enforceRetention({
  pool,
  names,
  now,
  retentionMs,
  batchSize = 10_000,
}: EnforceRetentionInput): Promise<RetentionReport> {
  const report: RetentionReport = { droppedPartitions: [], deletedRows: 0 };
  const { rows } = await pool.query<{ name: string }>(
    `SELECT child.relname AS name FROM pg_inherits
       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
       JOIN pg_namespace ns ON ns.oid = parent.relnamespace
      WHERE ns.nspname = $1 AND parent.relname = $2
      ORDER BY child.relname`,
    [names.schema, names.table],
  );
  const cutoffs = new Map<string, number>();
  const cutoff = async (tenantId: string): Promise<number> => {
    let value = cutoffs.get(tenantId);
    if (value === undefined) {
      value = now - (await retentionMs(tenantId));
      cutoffs.set(tenantId, value);
    }
    return value;
  };
  for (const { name } of rows) {
    const start = names.partitionMonth(name);
    if (start === undefined || start > now) continue;
    const end = nextMonth(start);
    const partition = names.quotedPartition(name);
    const tenants = await tenantsIn(pool, partition);
    const past = await Promise.all(
      tenants.map(async (tenantId) => (await cutoff(tenantId)) >= end),
    );
    if (end <= now && past.every(Boolean)) {
      await pool.query(`DROP TABLE IF EXISTS ${partition}`);
      report.droppedPartitions.push(name);
      continue;
    }
    for (const tenantId of tenants) {
      const floor = await cutoff(tenantId);
      if (floor <= start) continue;
      report.deletedRows += await deleteBefore(pool, partition, tenantId, floor, batchSize);
    }
  }
  return report;
}

/**
 * The tenants with rows in one partition: a loose index scan on (tenant_id, …), one index probe
 * per tenant instead of reading every row.
 */
async function tenantsIn(pool: Queryable, partition: string): Promise<string[]> {
  const { rows } = await pool.query<{ tenant_id: string }>(
    `WITH RECURSIVE tenants AS (
       (SELECT tenant_id FROM ${partition} ORDER BY tenant_id LIMIT 1)
       UNION ALL
       SELECT (SELECT tenant_id FROM ${partition} WHERE tenant_id > tenants.tenant_id
                ORDER BY tenant_id LIMIT 1)
         FROM tenants WHERE tenants.tenant_id IS NOT NULL
     ) SELECT tenant_id FROM tenants WHERE tenant_id IS NOT NULL`,
  );
  return rows.map((row) => row.tenant_id);
}

/** Deletes a tenant's rows older than `before` from one partition, `batchSize` rows a statement. */
async function deleteBefore(
  pool: Queryable,
  partition: string,
  tenantId: string,
  before: number,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  // ctid is unique within one (leaf) table, which a partition is.
  const sql = `DELETE FROM ${partition} WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM ${partition} WHERE tenant_id = $1 AND at_ms < $2 LIMIT $3))`;
  for (;;) {
    const { rowCount } = await pool.query(sql, [tenantId, Math.floor(before), batchSize]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
}
