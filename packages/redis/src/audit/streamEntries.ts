import type { AuditEvent } from '@checkpoint/core';

/** @internal The field of a Stream entry that holds the event as JSON. */
export const EVENT_FIELD = 'e';

/** @internal An event as read back, with the Stream id it was filed under. */
export interface StreamEvent {
  streamId: string;
  /** The millisecond part of `streamId`: the event's `at`, or later if it arrived late. */
  ms: number;
  seq: number;
  event: AuditEvent;
}

/**
 * @internal
 * Parses an XRANGE reply: `[[id, [field, value, …]], …]`. ioredis gives this shape under RESP2
 * and RESP3 alike (with either `replyMapping`); only XREAD's reply differs between protocols.
 */
export function parseEntries(reply: unknown): StreamEvent[] {
  if (!Array.isArray(reply)) throw new TypeError('unexpected XRANGE reply from Redis');
  return reply.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) {
      throw new TypeError('unexpected Stream entry from Redis');
    }
    const [streamId, fields] = entry as [string, unknown[]];
    const at = fields.indexOf(EVENT_FIELD);
    const json = at % 2 === 0 ? fields[at + 1] : undefined;
    if (typeof json !== 'string') throw new TypeError(`Stream entry ${streamId} holds no event`);
    const [ms = '', seq = ''] = streamId.split('-');
    return { streamId, ms: Number(ms), seq: Number(seq), event: JSON.parse(json) as AuditEvent };
  });
}

/** @internal Orders by event time, then by Stream id (arrival order): "oldest first", stable. */
export function compareEvents(a: StreamEvent, b: StreamEvent): number {
  return a.event.at - b.event.at || a.ms - b.ms || a.seq - b.seq;
}

/**
 * @internal
 * Inserts into a sorted list from the end: events are nearly in order, so this is usually O(1).
 */
export function insertSorted(list: StreamEvent[], item: StreamEvent): void {
  let index = list.length;
  while (index > 0 && compareEvents(list[index - 1] as StreamEvent, item) > 0) index -= 1;
  list.splice(index, 0, item);
}
