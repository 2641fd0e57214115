import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/**
 * Appends one event to a tenant's Stream, trims it and refreshes its TTL, in one atomic call.
 * KEYS: the Stream, the tenant's `late` key (same hash tag, same slot).
 * ARGV: event millisecond, MINID millisecond, TTL ms, JSON payload, MAXLEN (`0`: none).
 *
 * The Stream id is `<event ms>-*`, so Stream order is time order and XRANGE by time needs no index.
 * Redis only accepts growing ids: an event that arrives after a later one (another process, a
 * slower clock) is filed at the Stream's last millisecond instead, its own `at` kept in the payload,
 * and the largest such delay is kept in the `late` key so that a query knows how far past its end
 * to read and how long to hold events back to restore time order.
 */
const APPEND_LUA = `
local ms, minId, ttl, payload, maxLen = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local id = redis.pcall('XADD', KEYS[1], 'MINID', '~', minId, ms .. '-*', 'e', payload)
if type(id) == 'table' and id.err then
  if not string.find(id.err, 'equal or smaller', 1, true) then return id end
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local last = '0-0'
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then last = info[i + 1] end
  end
  local lastMs = string.match(last, '^(%d+)-')
  id = redis.call('XADD', KEYS[1], 'MINID', '~', minId, lastMs .. '-*', 'e', payload)
  local delay = tonumber(lastMs) - tonumber(ms)
  if delay > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], string.format('%d', delay), 'PX', ttl)
  end
end
if maxLen > 0 then redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', maxLen) end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return id
`;

/** Adds one entry to a verification's index and sets its TTL, atomically (no key left without one). */
const INDEX_LUA = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

const APPEND = 'checkpointAuditAppend';
const INDEX = 'checkpointAuditIndex';

/** @internal The two audit commands, queued on a pipeline. */
export interface AuditCommands {
  append(
    pipeline: ChainableCommander,
    keys: { stream: string; late: string },
    args: { ms: number; minId: number; ttlMs: number; payload: string; maxLen: number },
  ): void;
  index(pipeline: ChainableCommander, key: string, entry: string, ttlMs: number): void;
}

/**
 * @internal
 * Defines the audit scripts on a client with ioredis `defineCommand` (EVALSHA, falling back to
 * EVAL on NOSCRIPT; works in pipelines and on Cluster). The names are namespaced so they sit
 * beside other commands defined on the same client.
 */
export function defineAuditCommands(redis: Redis | Cluster): AuditCommands {
  redis.defineCommand(APPEND, { numberOfKeys: 2, lua: APPEND_LUA });
  redis.defineCommand(INDEX, { numberOfKeys: 1, lua: INDEX_LUA });
  return {
    append(pipeline, { stream, late }, { ms, minId, ttlMs, payload, maxLen }) {
      scripted(pipeline, APPEND)(
        stream,
        late,
        String(ms),
        String(minId),
        String(ttlMs),
        payload,
        String(maxLen),
      );
    },
    index(pipeline, key, entry, ttlMs) {
      scripted(pipeline, INDEX)(key, entry, String(ttlMs));
    },
  };
}

// defineCommand adds methods that ioredis's types do not know about.
function scripted(pipeline: ChainableCommander, name: string): (...args: string[]) => unknown {
  const method = (pipeline as unknown as Record<string, unknown>)[name];
  if (typeof method !== 'function') throw new Error(`ioredis command ${name} is not defined`);
  return (...args) => (method as (...args: string[]) => unknown).apply(pipeline, args);
}
