import type { Queryable } from '../audit/Queryable.js';
import {
  type AuditTableOptions,
  auditTableNames,
  ensurePartition,
  monthStart,
  nextMonth,
} from '../audit/schema.js';

/** Options of {@link seedAuditEvents}. */
export interface SeedAuditEventsOptions extends AuditTableOptions {
  tenantId: string;
  count: number;
  /** Time of the first event, epoch ms. */
  from: number;
  /** Milliseconds between events. @default 1 */
  stepMs?: number;
  /** Rows per INSERT statement. @default 100000 */
  batchSize?: number;
}

/**
 * Fills a migrated audit table with `count` realistic `verification.checked` events of one tenant,
 * generated inside PostgreSQL (`generate_series`), for benchmarks and export tests: a million rows
 * take seconds instead of a million round trips. Each event looks like core's (masked destination,
 * keyed hash, context, latency) at about 450 bytes of JSON.
 *
 * @example await seedAuditEvents(pool, { tenantId: 'bench', count: 1_000_000, from: Date.UTC(2026, 0, 1) });
 */
export async function seedAuditEvents(
  pool: Queryable,
  { tenantId, count, from, stepMs = 1, batchSize = 100_000, ...table }: SeedAuditEventsOptions,
): Promise<void> {
  const names = auditTableNames(table);
  const last = from + (count - 1) * stepMs;
  for (let month = monthStart(from); month <= last; month = nextMonth(month)) {
    await ensurePartition(pool, names, month);
  }
  for (let offset = 0; offset < count; offset += batchSize) {
    const size = Math.min(batchSize, count - offset);
    await pool.query(
      `INSERT INTO ${names.qualified}
         (at_ms, id, tenant_id, type, verification_id, purpose, channel, result, event)
       SELECT at_ms, id, $1, 'verification.checked', vid, 'login', 'sms', 'approved',
         json_build_object(
           'id', id, 'at', at_ms, 'type', 'verification.checked', 'tenantId', $1::text,
           'verificationId', vid, 'purpose', 'login',
           'destination', json_build_object('kind', 'phone', 'hash', 'k1:' || md5(vid),
             'masked', '+1 \u2022\u2022\u2022 \u2022\u2022\u2022 ' || lpad((n % 10000)::text, 4, '0'), 'country', 'US'),
           'context', json_build_object('ip', '203.0.113.' || (n % 250)::text, 'asn', 64500,
             'userAgent', 'Mozilla/5.0 (X11; Linux x86_64) Bench/1.0', 'deviceId', 'dev-' || (n % 5000)::text),
           'channel', 'sms', 'result', 'approved', 'latencyMs', 1000 + n % 50000,
           'data', json_build_object('evaluated', 1, 'attempt', 1, 'remainingAttempts', 4))
       FROM (SELECT n, $2::bigint + n * $3::bigint AS at_ms, 'ae_seed' || n::text AS id,
                    'vf_seed' || (n / 4)::text AS vid
               FROM generate_series($4::bigint, $5::bigint) AS n) AS rows`,
      [tenantId, Math.floor(from), stepMs, offset, offset + size - 1],
    );
  }
}
