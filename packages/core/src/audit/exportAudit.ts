import type { AuditEvent } from './AuditEvent.js';

/** Export formats for audit events. */
export type AuditExportFormat = 'jsonl' | 'csv';

/** CSV columns, in order. Nested fields are flattened with dots; `reasons` joined with `;`. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'type',
  'tenantId',
  'verificationId',
  'purpose',
  'channel',
  'result',
  'reasons',
  'latencyMs',
  'destination.kind',
  'destination.masked',
  'destination.hash',
  'destination.country',
  'context.ip',
  'context.asn',
  'context.userAgent',
  'context.deviceId',
  'context.consent',
  'data',
] as const;

/**
 * Streams audit events as JSON lines or CSV (RFC 4180, header first). Memory stays bounded:
 * each event becomes one chunk as it is read.
 * @example for await (const chunk of exportAudit(auditLog.query({ tenantId }), 'csv')) out.write(chunk);
 */
export async function* exportAudit(
  events: AsyncIterable<AuditEvent>,
  format: AuditExportFormat,
): AsyncGenerator<string> {
  if (format === 'jsonl') {
    for await (const event of events) yield `${JSON.stringify(event)}\n`;
    return;
  }
  yield `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  for await (const event of events)
    yield `${AUDIT_CSV_COLUMNS.map((column) => csvCell(cell(event, column))).join(',')}\r\n`;
}

function cell(event: AuditEvent, column: (typeof AUDIT_CSV_COLUMNS)[number]): string {
  switch (column) {
    case 'at':
      return new Date(event.at).toISOString();
    case 'reasons':
      return event.reasons?.join(';') ?? '';
    case 'data':
      return event.data === undefined ? '' : JSON.stringify(event.data);
    default: {
      const [head, tail] = column.split('.') as [string, string | undefined];
      const value: unknown = (event as unknown as Record<string, unknown>)[head];
      const leaf =
        tail === undefined ? value : (value as Record<string, unknown> | undefined)?.[tail];
      return typeof leaf === 'string' || typeof leaf === 'number' ? String(leaf) : '';
    }
  }
}

// A cell starting with = + - @ (or tab/CR) is a formula in spreadsheet apps: prefix it with '.
// @see OWASP "CSV Injection"
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
