import type { Queryable } from './Queryable.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

/** Where the audit tables live. */
export interface AuditTableOptions {
  /** Schema of the tables; created when missing. @default 'public' */
  schema?: string;
  /**
   * Name of the partitioned events table; the sequence is `<table>_seq`, the metadata table
   * `<table>_meta`, the monthly partitions `<table>_pYYYYMM`. @default 'checkpoint_audit'
   */
  table?: string;
}

/** @internal Validated, quoted names of every object the sink creates. */
export interface AuditTableNames {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"` */
  readonly qualified: string;
  readonly sequence: string;
  readonly meta: string;
  /** A bigint for pg_advisory_xact_lock, as SQL text. */
  readonly lockKey: string;
  partition(monthStart: number): string;
  /** The partition's month start (epoch ms) from its bare name, or undefined for another table. */
  partitionMonth(name: string): number | undefined;
  quotedPartition(name: string): string;
}

/**
 * @internal
 * Identifiers cannot be bound as parameters: they are checked against a strict pattern (lower-case
 * letters, digits, `_`, at most 40) and double-quoted, so no caller text ever reaches SQL unchecked.
 */
export function auditTableNames({
  schema = 'public',
  table = 'checkpoint_audit',
}: AuditTableOptions = {}): AuditTableNames {
  for (const [what, name] of [
    ['schema', schema],
    ['table', table],
  ] as const) {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
      throw new TypeError(
        `PostgresAuditLog: \`${what}\` must be 1 to 40 lower-case letters, digits or _, starting with a letter or _, got ${String(name)}`,
      );
    }
  }
  const q = (name: string): string => `"${schema}"."${name}"`;
  const pattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})$`);
  return {
    schema,
    table,
    qualified: q(table),
    sequence: q(`${table}_seq`),
    meta: q(`${table}_meta`),
    // Literal text built from the checked identifiers only.
    lockKey: `hashtext('checkpoint_audit:${schema}.${table}')::bigint`,
    partition(monthStart) {
      const date = new Date(monthStart);
      const month = String(date.getUTCMonth() + 1).padStart(2, '0');
      return `${table}_p${String(date.getUTCFullYear()).padStart(4, '0')}${month}`;
    },
    partitionMonth(name) {
      const match = pattern.exec(name);
      if (match === null) return undefined;
      return Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
    },
    quotedPartition: q,
  };
}

/** @internal The first millisecond of the UTC month holding `ms`. */
export function monthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** @internal The first millisecond of the UTC month after the one starting at `start`. */
export function nextMonth(start: number): number {
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** The schema version {@link migrateAuditSchema} brings a database to. */
export const AUDIT_SCHEMA_VERSION = 1;

/** Options of {@link migrateAuditSchema}. */
export interface MigrateAuditSchemaOptions extends AuditTableOptions {
  /** Monthly partitions created ahead of the current month (more are created on demand). @default 2 */
  monthsAhead?: number;
  /** Clock for "the current month", epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * Creates (or brings up to date) the audit tables: a table partitioned by month on `at_ms`, with
 * indexes on (tenant_id, at_ms, seq) and (verification_id, at_ms, seq), its sequence, a metadata
 * table holding the schema version, and the partitions of this month and the next `monthsAhead`.
 * Idempotent and safe to run from several processes at once (a transaction-scoped advisory lock).
 *
 * @example await migrateAuditSchema(pool, { table: 'checkpoint_audit' });
 * @see https://www.postgresql.org/docs/current/ddl-partitioning.html
 */
export async function migrateAuditSchema(
  pool: Queryable,
  { monthsAhead = 2, now = Date.now, ...names }: MigrateAuditSchemaOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 24) {
    throw new TypeError('migrateAuditSchema: `monthsAhead` must be an integer from 0 to 24');
  }
  const n = auditTableNames(names);
  const partitions: string[] = [];
  let start = monthStart(now());
  for (let index = 0; index <= monthsAhead; index += 1) {
    partitions.push(partitionDdl(n, start));
    start = nextMonth(start);
  }
  // One DO block is one transaction: the advisory lock serialises concurrent migrations.
  await pool.query(`DO $migrate$ BEGIN
  PERFORM pg_advisory_xact_lock(${n.lockKey});
  CREATE SCHEMA IF NOT EXISTS "${n.schema}";
  CREATE SEQUENCE IF NOT EXISTS ${n.sequence};
  CREATE TABLE IF NOT EXISTS ${n.qualified} (
    at_ms bigint NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('${n.sequence}'),
    id text NOT NULL,
    tenant_id text NOT NULL,
    type text NOT NULL,
    verification_id text,
    purpose text,
    channel text,
    result text,
    reasons text[],
    event json NOT NULL,
    PRIMARY KEY (id, at_ms)
  ) PARTITION BY RANGE (at_ms);
  CREATE INDEX IF NOT EXISTS "${n.table}_tenant_at" ON ${n.qualified} (tenant_id, at_ms, seq);
  CREATE INDEX IF NOT EXISTS "${n.table}_verification" ON ${n.qualified} (verification_id, at_ms, seq)
    WHERE verification_id IS NOT NULL;
  CREATE TABLE IF NOT EXISTS ${n.meta} (key text PRIMARY KEY, value text NOT NULL);
  INSERT INTO ${n.meta} (key, value) VALUES ('schema_version', '${AUDIT_SCHEMA_VERSION}')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
  ${partitions.join('\n  ')}
END $migrate$`);
}

/**
 * @internal
 * Creates the partition of the month starting at `start` unless it exists, under the same lock
 * as migrations so that two processes creating it at once do not collide.
 */
export async function ensurePartition(
  pool: Queryable,
  names: AuditTableNames,
  start: number,
): Promise<void> {
  await pool.query(`DO $partition$ BEGIN
  PERFORM pg_advisory_xact_lock(${names.lockKey});
  ${partitionDdl(names, start)}
END $partition$`);
}

function partitionDdl(names: AuditTableNames, start: number): string {
  // Bounds are integers computed here, never caller text.
  const from = Math.trunc(start);
  const to = Math.trunc(nextMonth(start));
  return `CREATE TABLE IF NOT EXISTS ${names.quotedPartition(names.partition(start))} PARTITION OF ${names.qualified} FOR VALUES FROM (${from}) TO (${to});`;
}
