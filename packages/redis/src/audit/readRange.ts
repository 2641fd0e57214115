import type { AuditEvent } from '@checkpoint/core';
import type { Cluster, Redis } from 'ioredis';
import { insertSorted, parseEntries, type StreamEvent } from './streamEntries.js';

/** @internal Events read per XRANGE call. */
export const PAGE_SIZE = 500;

/**
 * @internal
 * Most events held back for reordering. Only a clock far behind the others (a lateness of many
 * pages) reaches it; past it the oldest held events go out early and order is best effort.
 */
export const MAX_HELD = 20 * PAGE_SIZE;

/** @internal */
export interface ReadRangeOptions {
  redis: Redis | Cluster;
  key: string;
  /** First Stream id to read (XRANGE syntax). */
  start: string;
  /** Last Stream id to read (XRANGE syntax). */
  end: string;
  /** The tenant's largest lateness in ms: how long an event may sit behind later ones. */
  lateMs: number;
  accept: (event: AuditEvent) => boolean;
}

/**
 * @internal
 * Reads a Stream range in pages of {@link PAGE_SIZE} and yields the accepted events in time order.
 *
 * An event that arrived late was filed at most `lateMs` after its own time, so once the reader has
 * passed Stream millisecond S no unread event can be older than S - lateMs: everything held up to
 * there is released. With no late arrivals (lateMs = 0) each page goes out as it is read.
 */
export async function* readRange({
  redis,
  key,
  start,
  end,
  lateMs,
  accept,
}: ReadRangeOptions): AsyncGenerator<AuditEvent> {
  const held: StreamEvent[] = [];
  let cursor = start;
  for (;;) {
    const page = parseEntries(await redis.xrange(key, cursor, end, 'COUNT', PAGE_SIZE));
    for (const item of page) if (accept(item.event)) insertSorted(held, item);
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE_SIZE) break;
    cursor = `(${last.streamId}`;
    const safe = last.ms - lateMs;
    let release = 0;
    while (
      release < held.length &&
      ((held[release] as StreamEvent).event.at <= safe || held.length - release > MAX_HELD)
    ) {
      release += 1;
    }
    for (const item of held.splice(0, release)) yield item.event;
  }
  for (const item of held) yield item.event;
}
