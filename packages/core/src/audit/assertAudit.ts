import type { AuditEvent, AuditQuery } from './AuditEvent.js';

/**
 * For audit sink authors: throws a TypeError naming `sink` unless `event` is an AuditEvent a sink
 * can store (`id`, `type`, `tenantId`, finite `at`, and a non-empty `verificationId` when given).
 *
 * @example assertAuditEvent(event, 'PostgresAuditLog');
 */
export function assertAuditEvent(event: AuditEvent, sink: string): void {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    event.id === '' ||
    typeof event.type !== 'string' ||
    typeof event.tenantId !== 'string' ||
    event.tenantId === '' ||
    typeof event.at !== 'number' ||
    !Number.isFinite(event.at) ||
    (event.verificationId !== undefined &&
      (typeof event.verificationId !== 'string' || event.verificationId === ''))
  ) {
    throw new TypeError(`${sink}.append requires an AuditEvent: { id, type, at, tenantId, … }`);
  }
}

/**
 * For audit sink authors: throws a TypeError naming `sink` unless `query` has a tenant, epoch
 * millisecond bounds when given, and an array of types when given.
 *
 * @example assertAuditQuery(query, 'PostgresAuditLog');
 */
export function assertAuditQuery({ tenantId, from, to, types }: AuditQuery, sink: string): void {
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new TypeError(`${sink}.query requires a \`tenantId\``);
  }
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
      throw new TypeError(`${sink}.query: \`${name}\` must be epoch milliseconds`);
    }
  }
  if (types !== undefined && !Array.isArray(types)) {
    throw new TypeError(`${sink}.query: \`types\` must be an array of event types`);
  }
}
