import { cloneEvent } from './cloneEvent.js';
import type { AuditEvent, AuditLog, AuditQuery } from './AuditEvent.js';
import { type AuditExportFormat, exportAudit } from './exportAudit.js';
import { type RetentionDays, retentionResolver } from './retention.js';

/** Options of {@link MemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /**
   * Days a tenant's events are kept: a number, or a function of the tenant id (may be async,
   * e.g. {@link retentionFromConfig}). @default 365
   */
  retentionDays?: RetentionDays;
  /**
   * Clock for the retention cut-off, in epoch ms. @default the time of the newest event appended:
   * events are stamped by createCheckpoint's clock, so a test's fake clock drives retention too.
   */
  now?: () => number;
}

/**
 * The embedded audit log: events in memory, per tenant in time order, kept for each tenant's
 * retention (older events are dropped on that tenant's next append and never returned). For one
 * process and tests; production keeps audit in Redis Streams or PostgreSQL.
 *
 * @example
 * const auditLog = new MemoryAuditLog({ retentionDays: RETENTION_PRESETS.sixYears });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 */
export class MemoryAuditLog implements AuditLog {
  private readonly byTenant = new Map<string, AuditEvent[]>();
  private readonly byId = new Map<string, AuditEvent[]>();
  private readonly retentionMs: (tenantId: string) => Promise<number>;
  private readonly clock: (() => number) | undefined;
  private newest = -Infinity;

  constructor({ retentionDays, now }: MemoryAuditLogOptions = {}) {
    if (now !== undefined && typeof now !== 'function') {
      throw new TypeError('MemoryAuditLog: `now` must be a function returning epoch milliseconds');
    }
    this.retentionMs = retentionResolver(retentionDays, 'MemoryAuditLog');
    this.clock = now;
  }

  /** Stores a copy of the event, then drops the tenant's events that are past its retention. */
  async append(event: AuditEvent): Promise<void> {
    // Inserted before the first await: appends keep their order whatever the retention lookup does.
    const frozen = cloneEvent(event);
    const tenantEvents = this.byTenant.get(event.tenantId) ?? [];
    insertByTime(tenantEvents, frozen);
    this.byTenant.set(event.tenantId, tenantEvents);
    if (event.verificationId !== undefined) {
      const list = this.byId.get(event.verificationId) ?? [];
      insertByTime(list, frozen);
      this.byId.set(event.verificationId, list);
    }
    if (event.at > this.newest) this.newest = event.at;
    await this.trim(event.tenantId);
  }

  /** The events of one verification within their tenant's retention, oldest first. */
  async byVerification(verificationId: string): Promise<AuditEvent[]> {
    const events = this.byId.get(verificationId) ?? [];
    const cutoffs = new Map<string, number>();
    for (const { tenantId } of events) {
      if (!cutoffs.has(tenantId)) cutoffs.set(tenantId, await this.cutoff(tenantId));
    }
    return events
      .filter((event) => event.at >= (cutoffs.get(event.tenantId) ?? Infinity))
      .map(cloneEvent);
  }

  /** A tenant's events with `from <= at < to` within its retention, oldest first. */
  async *query({
    tenantId,
    from = -Infinity,
    to = Infinity,
    types,
  }: AuditQuery): AsyncGenerator<AuditEvent> {
    const lower = Math.max(from, await this.cutoff(tenantId));
    const list = this.byTenant.get(tenantId) ?? [];
    // A snapshot of references (not of events): appends and trims during a long export neither
    // skip nor repeat events.
    const range = list.slice(firstAtOrAfter(list, lower), firstAtOrAfter(list, to));
    for (const event of range) {
      if (types !== undefined && !types.includes(event.type)) continue;
      yield cloneEvent(event);
    }
  }

  /** Streams a tenant's events as JSON lines or CSV. */
  export(query: AuditQuery, format: AuditExportFormat): AsyncGenerator<string> {
    return exportAudit(this.query(query), format);
  }

  /**
   * Drops every tenant's events that are past its retention (appends do it for their own tenant;
   * call this to shrink tenants that have gone quiet). Resolves with how many were dropped.
   */
  async enforceRetention(): Promise<number> {
    let dropped = 0;
    for (const tenantId of [...this.byTenant.keys()]) dropped += await this.trim(tenantId);
    return dropped;
  }

  /** Every event held, serialised: for tests that prove no plaintext code is kept. */
  dump(): string {
    return JSON.stringify([...this.byTenant.values()]);
  }

  private async cutoff(tenantId: string): Promise<number> {
    return (this.clock?.() ?? this.newest) - (await this.retentionMs(tenantId));
  }

  private async trim(tenantId: string): Promise<number> {
    const cutoff = await this.cutoff(tenantId);
    const list = this.byTenant.get(tenantId);
    if (list === undefined) return 0;
    const count = firstAtOrAfter(list, cutoff);
    if (count === 0) return 0;
    for (const event of list.splice(0, count)) {
      if (event.verificationId === undefined) continue;
      const events = this.byId.get(event.verificationId)?.filter((item) => item !== event) ?? [];
      if (events.length === 0) this.byId.delete(event.verificationId);
      else this.byId.set(event.verificationId, events);
    }
    if (list.length === 0) this.byTenant.delete(tenantId);
    return count;
  }
}

/** Events arrive nearly in order: insert from the end, keeping the list sorted by time (stable). */
function insertByTime(list: AuditEvent[], event: AuditEvent): void {
  let index = list.length;
  while (index > 0 && (list[index - 1] as AuditEvent).at > event.at) index -= 1;
  list.splice(index, 0, event);
}

/** Index of the first event with `at >= time` in a list sorted by time (binary search). */
function firstAtOrAfter(list: readonly AuditEvent[], time: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as AuditEvent).at < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
