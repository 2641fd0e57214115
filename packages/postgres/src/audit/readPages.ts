import type { AuditEvent, AuditEventType } from '@checkpoint/core';
import type { Queryable } from './Queryable.js';

// Beyond any Date: stands in for an open end of a range.
const MAX_MS = 8.64e15;

/** @internal */
export interface ReadPagesInput {
  pool: Queryable;
  table: string;
  tenantId: string;
  lower: number;
  upper: number;
  types: readonly AuditEventType[] | undefined;
  pageSize: number;
}

/**
 * @internal
 * Keyset pagination: each page asks for rows after the last (at_ms, seq) seen, in index order,
 * so every page is one short statement whatever the depth — no OFFSET, no open transaction.
 * `at_ms` holds whole milliseconds; the exact bounds are applied to each event's own `at`.
 */
export async function* readPages({
  pool,
  table,
  tenantId,
  lower,
  upper,
  types,
  pageSize,
}: ReadPagesInput): AsyncGenerator<AuditEvent> {
  const from = Math.max(-MAX_MS, Math.floor(lower));
  const to = Math.min(MAX_MS, Math.ceil(upper));
  const sql = `SELECT at_ms, seq, event FROM ${table}
    WHERE tenant_id = $1 AND at_ms >= $2 AND at_ms < $3 AND (at_ms, seq) > ($4, $5)
      AND ($6::text[] IS NULL OR type = ANY($6::text[]))
    ORDER BY at_ms, seq LIMIT $7`;
  let cursor: [number | string, number | string] = [from, -1];
  for (;;) {
    const { rows } = await pool.query<{ at_ms: string; seq: string; event: AuditEvent }>(sql, [
      tenantId,
      from,
      to,
      cursor[0],
      cursor[1],
      types === undefined ? null : [...types],
      pageSize,
    ]);
    for (const { event } of rows) {
      if (event.at >= lower && event.at < upper) yield event;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return;
    cursor = [last.at_ms, last.seq];
  }
}
