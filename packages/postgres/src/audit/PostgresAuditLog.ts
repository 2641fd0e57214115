import {
  assertAuditEvent,
  assertAuditQuery,
  type AuditEvent,
  type AuditExportFormat,
  type AuditLog,
  type AuditQuery,
  exportAudit,
  type RetentionDays,
  retentionResolver,
} from '@checkpoint/core';
import type { Queryable } from './Queryable.js';
import { enforceRetention, type RetentionReport } from './enforceRetention.js';
import { readPages } from './readPages.js';
import {
  type AuditTableNames,
  type AuditTableOptions,
  auditTableNames,
  ensurePartition,
  type MigrateAuditSchemaOptions,
  migrateAuditSchema,
  monthStart,
} from './schema.js';

/** Options of {@link PostgresAuditLog}. */
export interface PostgresAuditLogOptions extends AuditTableOptions {
  /** A `pg` Pool (or Client). The log never closes it. */
  pool: Queryable;
  /**
   * Days a tenant's events are kept: a number, or a function of the tenant id (may be async, e.g.
   * core's `retentionFromConfig`). Reads never return older events; {@link PostgresAuditLog.enforceRetention}
   * deletes them. @default 365
   */
  retentionDays?: RetentionDays;
  /** Rows read per page by `query` and `export` (one statement each). @default 1000 */
  pageSize?: number;
  /** Clock for retention and partition creation, epoch ms. @default Date.now */
  now?: () => number;
}

// `no partition of relation … found for row`.
const NO_PARTITION = '23514';

/**
 * An audit log in PostgreSQL for long retention (one to six years and more): one table
 * partitioned by month, indexed by (tenant_id, at_ms, seq) for tenant/time queries and by
 * verification id for `checkpoint.audit(id)`. Appends are idempotent (the event id is a key);
 * queries stream in keyset pages; retention drops whole monthly partitions where every tenant in
 * them is past its retention and deletes by tenant otherwise.
 *
 * Call {@link PostgresAuditLog.migrate} (or `migrateAuditSchema`) once at deploy or start-up.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const auditLog = new PostgresAuditLog({ pool, retentionDays: RETENTION_PRESETS.sixYears });
 * await auditLog.migrate();
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 * for await (const line of auditLog.export({ tenantId: 'acme', from }, 'csv')) res.write(line);
 */
export class PostgresAuditLog implements AuditLog {
  private readonly pool: Queryable;
  private readonly names: AuditTableNames;
  private readonly retentionMs: (tenantId: string) => Promise<number>;
  private readonly pageSize: number;
  private readonly now: () => number;

  constructor(options: PostgresAuditLogOptions) {
    if (
      typeof options !== 'object' ||
      options === null ||
      typeof options.pool?.query !== 'function'
    ) {
      throw new TypeError(
        'PostgresAuditLog requires { pool }: a pg Pool, e.g. new pg.Pool({ connectionString })',
      );
    }
    const { pool, retentionDays, pageSize = 1_000, now = Date.now } = options;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 100_000) {
      throw new TypeError('PostgresAuditLog: `pageSize` must be an integer from 1 to 100000');
    }
    if (typeof now !== 'function') {
      throw new TypeError(
        'PostgresAuditLog: `now` must be a function returning epoch milliseconds',
      );
    }
    this.pool = pool;
    this.names = auditTableNames(options);
    this.retentionMs = retentionResolver(retentionDays, 'PostgresAuditLog');
    this.pageSize = pageSize;
    this.now = now;
  }

  /** Creates or updates the tables (see `migrateAuditSchema`). Idempotent. */
  migrate(options: Pick<MigrateAuditSchemaOptions, 'monthsAhead'> = {}): Promise<void> {
    return migrateAuditSchema(this.pool, {
      ...options,
      schema: this.names.schema,
      table: this.names.table,
      now: this.now,
    });
  }

  /**
   * Inserts an event once (a repeated append of the same event id is a no-op). The month's
   * partition is created on first use. An event already past its tenant's retention is not kept.
   */
  async append(event: AuditEvent): Promise<void> {
    assertAuditEvent(event, 'PostgresAuditLog');
    if (event.at < this.now() - (await this.retentionMs(event.tenantId))) return;
    const values = [
      Math.floor(event.at),
      event.id,
      event.tenantId,
      event.type,
      event.verificationId ?? null,
      event.purpose ?? null,
      event.channel ?? null,
      event.result ?? null,
      event.reasons ?? null,
      JSON.stringify(event),
    ];
    const sql = `INSERT INTO ${this.names.qualified}
      (at_ms, id, tenant_id, type, verification_id, purpose, channel, result, reasons, event)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json) ON CONFLICT DO NOTHING`;
    try {
      await this.pool.query(sql, values);
    } catch (error) {
      if ((error as { code?: unknown }).code !== NO_PARTITION) throw error;
      await ensurePartition(this.pool, this.names, monthStart(event.at));
      await this.pool.query(sql, values);
    }
  }

  /** The events of one verification within their tenant's retention, oldest first. */
  async byVerification(verificationId: string): Promise<AuditEvent[]> {
    if (typeof verificationId !== 'string' || verificationId === '') {
      throw new TypeError('PostgresAuditLog.byVerification requires a verification id');
    }
    const { rows } = await this.pool.query<{ tenant_id: string; event: AuditEvent }>(
      `SELECT tenant_id, event FROM ${this.names.qualified}
        WHERE verification_id = $1 ORDER BY at_ms, seq`,
      [verificationId],
    );
    const floors = new Map<string, number>();
    const events: AuditEvent[] = [];
    for (const { tenant_id: tenantId, event } of rows) {
      let floor = floors.get(tenantId);
      if (floor === undefined) {
        floor = this.now() - (await this.retentionMs(tenantId));
        floors.set(tenantId, floor);
      }
      if (event.at >= floor) events.push(event);
    }
    return events;
  }

  /**
   * A tenant's events with `from <= at < to` (epoch ms) within its retention, oldest first,
   * streamed: one indexed statement per page of `pageSize` rows, keyed on (at_ms, seq), so no
   * connection or transaction stays open between pages and memory holds one page at a time.
   */
  async *query(query: AuditQuery): AsyncGenerator<AuditEvent> {
    assertAuditQuery(query, 'PostgresAuditLog');
    const { tenantId, from, to, types } = query;
    const lower = Math.max(from ?? -Infinity, this.now() - (await this.retentionMs(tenantId)));
    const upper = to ?? Infinity;
    if (!(lower < upper)) return;
    yield* readPages({
      pool: this.pool,
      table: this.names.qualified,
      tenantId,
      lower,
      upper,
      types,
      pageSize: this.pageSize,
    });
  }

  /**
   * Streams a tenant's events as JSON lines or CSV (core's `exportAudit`); memory stays bounded.
   * @example for await (const chunk of auditLog.export({ tenantId: 'acme' }, 'csv')) res.write(chunk);
   */
  export(query: AuditQuery, format: AuditExportFormat): AsyncGenerator<string> {
    if (format !== 'jsonl' && format !== 'csv') {
      throw new TypeError('PostgresAuditLog.export: `format` must be "jsonl" or "csv"');
    }
    return exportAudit(this.query(query), format);
  }

  /**
   * Deletes what is past each tenant's retention: drops a whole monthly partition when every
   * tenant in it is past its retention (and empty past months), and deletes one tenant's old rows
   * in batches otherwise. Run it daily (cron, a BullMQ repeatable job, setInterval); running it
   * from several processes at once is harmless.
   */
  enforceRetention(): Promise<RetentionReport> {
    return enforceRetention({
      pool: this.pool,
      names: this.names,
      now: this.now(),
      retentionMs: this.retentionMs,
    });
  }
}
