/**
 * @internal
 * Key layout of the Redis audit log. A tenant's keys carry the hash tag `{a:<tenantId>}` and so
 * share one Redis Cluster slot; a verification's index key has its own tag, `{a:v:<id>}`, because
 * `byVerification` knows only the verification id.
 */
export interface AuditKeys {
  /** The tenant's Stream of events: `<prefix>{a:<tenantId>}:events`. */
  stream(tenantId: string): string;
  /** The tenant's largest filing delay in ms (see appendScript.ts): `<prefix>{a:<tenantId>}:late`. */
  late(tenantId: string): string;
  /** The verification's List of `<tenantId>|<streamId>`: `<prefix>{a:v:<verificationId>}`. */
  index(verificationId: string): string;
}

/** @internal */
export function auditKeys(prefix: string): AuditKeys {
  return {
    stream: (tenantId) => `${prefix}{a:${tenantId}}:events`,
    late: (tenantId) => `${prefix}{a:${tenantId}}:late`,
    index: (verificationId) => `${prefix}{a:v:${verificationId}}`,
  };
}

/** @internal One index entry: the tenant and the Stream id (or millisecond) of an event. */
export function indexEntry(tenantId: string, streamId: string): string {
  return `${tenantId}|${streamId}`;
}

/**
 * @internal
 * Splits an index entry at its last `|`: a Stream id never contains one, a tenant id might.
 */
export function parseIndexEntry(entry: string): { tenantId: string; streamId: string } | null {
  const bar = entry.lastIndexOf('|');
  if (bar <= 0 || bar === entry.length - 1) return null;
  return { tenantId: entry.slice(0, bar), streamId: entry.slice(bar + 1) };
}
