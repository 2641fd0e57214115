import type { AuditExportFormat } from '@checkpoint/core';
import pg from 'pg';
import { PostgresAuditLog } from '../audit/PostgresAuditLog.js';
import { seedAuditEvents } from './seedAuditEvents.js';
import { testTableName, useTestDatabase } from './testDatabase.js';

const FROM = Date.UTC(2026, 9, 1);

/**
 * A PostgresAuditLog filled for an export benchmark (test/bench/audit): a database of its own
 * (the `useTestDatabase` rules), `count` events seeded inside PostgreSQL, dropped by `cleanup`.
 * Shaped as the bench's `ExportBenchSink`.
 *
 * @example const results = await benchAuditExport({ sinks: [postgresExportSink()] });
 */
export function postgresExportSink({ pageSize = 1_000 }: { pageSize?: number } = {}): {
  readonly name: string;
  prepare(count: number): Promise<{
    export(format: AuditExportFormat): AsyncIterable<string>;
    cleanup(): Promise<void>;
  }>;
} {
  return {
    name: 'PostgresAuditLog',
    async prepare(count) {
      const database = await useTestDatabase();
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      const table = testTableName('bench');
      try {
        const log = new PostgresAuditLog({ pool, table, pageSize, now: () => FROM + count });
        await log.migrate({ monthsAhead: 0 });
        await seedAuditEvents(pool, { table, tenantId: 'bench', count, from: FROM });
        await pool.query(`VACUUM ANALYZE "${table}"`);
        return {
          export: (format) => log.export({ tenantId: 'bench' }, format),
          cleanup: async () => {
            await pool.query(`DROP TABLE IF EXISTS "${table}", "${table}_meta"`);
            await pool.query(`DROP SEQUENCE IF EXISTS "${table}_seq"`);
            await pool.end();
            await database.close();
          },
        };
      } catch (error) {
        await pool.end();
        await database.close();
        throw error;
      }
    },
  };
}
