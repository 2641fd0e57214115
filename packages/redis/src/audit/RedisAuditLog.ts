import {
  assertAuditEvent,
  assertAuditQuery,
  type AuditEvent,
  type AuditExportFormat,
  type AuditLog,
  type AuditQuery,
  exportAudit,
} from '@checkpoint/core';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { type AuditKeys, auditKeys, indexEntry, parseIndexEntry } from './auditKeys.js';
import { type AuditCommands, defineAuditCommands } from './auditScripts.js';
import { readRange } from './readRange.js';
import { compareEvents, parseEntries, type StreamEvent } from './streamEntries.js';

const DAY_MS = 86_400_000;

/** Options of {@link RedisAuditLog}. */
export interface RedisAuditLogOptions {
  /** An ioredis client or Cluster (Redis >= 7.0). The log never closes it. */
  redis: Redis | Cluster;
  /** Prepended to every key; must not contain `{` or `}` (the hash tags follow it). @default 'cp:' */
  prefix?: string;
  /**
   * Days a tenant's events are kept: a number, or a function of the tenant id, called on every
   * append and read (keep it cheap, e.g. memoise a lookup of `auditRetentionDays`). @default 365
   */
  retentionDays?: number | ((tenantId: string) => number | Promise<number>);
  /** Approximate cap on a tenant's events (whole Stream nodes are trimmed). @default no cap */
  maxEventsPerTenant?: number;
  /** Clock for the retention cut-off, in epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * The production audit log: one Redis Stream per tenant, trimmed to the tenant's retention, and a
 * small index per verification. Safe on Redis Cluster: a tenant's keys share one hash tag.
 *
 * One append is one round trip (one pipeline; on Cluster two requests sent together, because the
 * verification index sits in another slot). An event that arrives after a later one of the same
 * tenant costs one more (see auditScripts.ts).
 *
 * @example
 * const auditLog = new RedisAuditLog({ redis: new Redis(process.env.REDIS_URL) });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 * for await (const line of auditLog.export({ tenantId: 'acme', from }, 'jsonl')) out.write(line);
 * @see https://redis.io/docs/latest/develop/data-types/streams/
 */
export class RedisAuditLog implements AuditLog {
  private readonly redis: Redis | Cluster;
  private readonly keys: AuditKeys;
  private readonly commands: AuditCommands;
  private readonly retentionDays: (tenantId: string) => number | Promise<number>;
  private readonly maxEventsPerTenant: number;
  private readonly now: () => number;

  constructor(options: RedisAuditLogOptions) {
    if (typeof options !== 'object' || options === null || typeof options.redis !== 'object') {
      throw new TypeError('RedisAuditLog requires { redis }: an ioredis Redis or Cluster client');
    }
    const { redis, prefix = 'cp:', retentionDays = 365, maxEventsPerTenant, now } = options;
    if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
      throw new TypeError(
        'RedisAuditLog: `prefix` must be a string without `{` or `}`, e.g. "cp:" (hash tags follow it)',
      );
    }
    if (typeof retentionDays !== 'function') assertDays(retentionDays, '`retentionDays`');
    if (
      maxEventsPerTenant !== undefined &&
      (!Number.isSafeInteger(maxEventsPerTenant) || maxEventsPerTenant < 1)
    ) {
      throw new TypeError('RedisAuditLog: `maxEventsPerTenant` must be a positive integer');
    }
    if (now !== undefined && typeof now !== 'function') {
      throw new TypeError('RedisAuditLog: `now` must be a function returning epoch milliseconds');
    }
    this.redis = redis;
    this.keys = auditKeys(prefix);
    this.commands = defineAuditCommands(redis);
    this.retentionDays = typeof retentionDays === 'function' ? retentionDays : () => retentionDays;
    this.maxEventsPerTenant = maxEventsPerTenant ?? 0;
    this.now = now ?? Date.now;
  }

  /** Appends an event to its tenant's Stream, trimming what is past the tenant's retention. */
  async append(event: AuditEvent): Promise<void> {
    assertAuditEvent(event, 'RedisAuditLog');
    const { tenantId, verificationId } = event;
    const ttlMs = await this.retentionMs(tenantId);
    // Stream ids are unsigned integer milliseconds; `at` itself is kept as given in the payload.
    const ms = Math.max(0, Math.floor(event.at));
    const streamSide = this.redis.pipeline();
    this.commands.append(
      streamSide,
      { stream: this.keys.stream(tenantId), late: this.keys.late(tenantId) },
      {
        ms,
        minId: Math.max(0, Math.floor(this.now() - ttlMs)),
        ttlMs,
        payload: JSON.stringify(event),
        maxLen: this.maxEventsPerTenant,
      },
    );
    let indexSide: ChainableCommander | undefined;
    if (verificationId !== undefined) {
      // Another slot: on Cluster a second pipeline, sent at the same time as the first.
      indexSide = this.redis.isCluster ? this.redis.pipeline() : streamSide;
      this.commands.index(
        indexSide,
        this.keys.index(verificationId),
        indexEntry(tenantId, `${ms}`),
        ttlMs,
      );
    }
    const [[streamId]] = await Promise.all([
      run(streamSide),
      indexSide === undefined || indexSide === streamSide ? [] : run(indexSide),
    ]);
    if (verificationId !== undefined && !String(streamId).startsWith(`${ms}-`)) {
      // Filed late, under a later millisecond: point the index at the id Redis chose.
      const fix = this.redis.pipeline();
      this.commands.index(
        fix,
        this.keys.index(verificationId),
        indexEntry(tenantId, String(streamId)),
        ttlMs,
      );
      await run(fix);
    }
  }

  /** The events of one verification, oldest first; `[]` for an unknown id. */
  async byVerification(verificationId: string): Promise<AuditEvent[]> {
    if (typeof verificationId !== 'string' || verificationId === '') {
      throw new TypeError('RedisAuditLog.byVerification requires a verification id');
    }
    const byTenant = new Map<string, Set<string>>();
    for (const entry of await this.redis.lrange(this.keys.index(verificationId), 0, -1)) {
      const parsed = parseIndexEntry(entry);
      if (parsed === null) continue;
      const ids = byTenant.get(parsed.tenantId) ?? new Set<string>();
      byTenant.set(parsed.tenantId, ids.add(parsed.streamId));
    }
    const found = await Promise.all(
      [...byTenant].map(([tenantId, ids]) => this.readIds(tenantId, ids, verificationId)),
    );
    return found
      .flat()
      .sort(compareEvents)
      .map((item) => item.event);
  }

  /** A tenant's events with `from <= at < to` (epoch ms), oldest first, read in pages. */
  async *query(query: AuditQuery): AsyncGenerator<AuditEvent> {
    assertAuditQuery(query, 'RedisAuditLog');
    const { tenantId, from, to, types } = query;
    const lower = Math.max(from ?? -Infinity, this.now() - (await this.retentionMs(tenantId)));
    const upper = to ?? Infinity;
    const lateMs = Math.max(0, Number(await this.redis.get(this.keys.late(tenantId))) || 0);
    // An event is filed at its own millisecond or up to lateMs after it, never before.
    const last = Math.ceil(upper) - 1 + lateMs;
    if (!(lower < upper) || last < 0) return;
    yield* readRange({
      redis: this.redis,
      key: this.keys.stream(tenantId),
      start: `${Math.max(0, Math.floor(lower))}`,
      end: upper === Infinity ? '+' : `${last}`,
      lateMs,
      accept: (event) =>
        event.at >= lower &&
        event.at < upper &&
        (types === undefined || types.includes(event.type)),
    });
  }

  /**
   * Streams a tenant's events as JSON lines or CSV (core's `exportAudit`); memory stays bounded.
   * @example for await (const chunk of auditLog.export({ tenantId: 'acme' }, 'csv')) res.write(chunk);
   */
  export(query: AuditQuery, format: AuditExportFormat): AsyncGenerator<string> {
    if (format !== 'jsonl' && format !== 'csv') {
      throw new TypeError('RedisAuditLog.export: `format` must be "jsonl" or "csv"');
    }
    return exportAudit(this.query(query), format);
  }

  /** Reads the entries an index names in one tenant's Stream: one pipelined XRANGE each. */
  private async readIds(
    tenantId: string,
    ids: ReadonlySet<string>,
    verificationId: string,
  ): Promise<StreamEvent[]> {
    const floor = this.now() - (await this.retentionMs(tenantId));
    const key = this.keys.stream(tenantId);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.xrange(key, id, id);
    const seen = new Set<string>();
    const events: StreamEvent[] = [];
    for (const reply of await run(pipeline)) {
      // A millisecond-only entry finds every event filed in that millisecond: keep this one's.
      for (const item of parseEntries(reply)) {
        if (item.event.verificationId !== verificationId || item.event.at < floor) continue;
        if (seen.has(item.streamId)) continue;
        seen.add(item.streamId);
        events.push(item);
      }
    }
    return events;
  }

  private async retentionMs(tenantId: string): Promise<number> {
    const days = await this.retentionDays(tenantId);
    assertDays(days, `retentionDays('${tenantId}')`);
    return Math.max(1, Math.round(days * DAY_MS));
  }
}

async function run(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('RedisAuditLog: the Redis pipeline was discarded');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function assertDays(days: unknown, what: string): asserts days is number {
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
    throw new TypeError(
      `RedisAuditLog: ${what} must be a positive number of days, got ${String(days)}`,
    );
  }
}
