import { cloneEvent } from './cloneEvent.js';
import type { AuditEvent, AuditLog, AuditQuery } from './AuditEvent.js';
import { type AuditExportFormat, exportAudit } from './exportAudit.js';

/**
 * The embedded audit log: events in memory, per tenant in time order. For one process and tests;
 * production keeps audit in Redis Streams or PostgreSQL.
 */
export class MemoryAuditLog implements AuditLog {
  private readonly byTenant = new Map<string, AuditEvent[]>();
  private readonly byId = new Map<string, AuditEvent[]>();

  append(event: AuditEvent): Promise<void> {
    const frozen = cloneEvent(event);
    const tenantEvents = this.byTenant.get(event.tenantId) ?? [];
    insertByTime(tenantEvents, frozen);
    this.byTenant.set(event.tenantId, tenantEvents);
    if (event.verificationId !== undefined) {
      const list = this.byId.get(event.verificationId) ?? [];
      insertByTime(list, frozen);
      this.byId.set(event.verificationId, list);
    }
    return Promise.resolve();
  }

  byVerification(verificationId: string): Promise<AuditEvent[]> {
    return Promise.resolve((this.byId.get(verificationId) ?? []).map(cloneEvent));
  }

  async *query({
    tenantId,
    from = -Infinity,
    to = Infinity,
    types,
  }: AuditQuery): AsyncGenerator<AuditEvent> {
    for (const event of this.byTenant.get(tenantId) ?? []) {
      if (event.at < from) continue;
      if (event.at >= to) break;
      if (types !== undefined && !types.includes(event.type)) continue;
      yield cloneEvent(event);
    }
  }

  /** Streams a tenant's events as JSON lines or CSV. */
  export(query: AuditQuery, format: AuditExportFormat): AsyncGenerator<string> {
    return exportAudit(this.query(query), format);
  }

  /** Every event held, serialised: for tests that prove no plaintext code is kept. */
  dump(): string {
    return JSON.stringify([...this.byTenant.values()]);
  }
}

/** Events arrive nearly in order: insert from the end, keeping the list sorted by time (stable). */
function insertByTime(list: AuditEvent[], event: AuditEvent): void {
  let index = list.length;
  while (index > 0 && (list[index - 1] as AuditEvent).at > event.at) index -= 1;
  list.splice(index, 0, event);
}
