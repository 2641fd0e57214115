import { randomInt } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { type RedisServerHandle, startRedisServer } from './redisServer.js';

/** What {@link useTestRedis} resolves with. */
export interface TestRedis {
  /** `REDIS_URL` when set, else the private server's `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** The private server, or undefined when `REDIS_URL` names a shared one. */
  readonly server: RedisServerHandle | undefined;
  /** Stops the private server; a no-op for a shared `REDIS_URL` server. */
  close(): Promise<void>;
}

const SCAN_COUNT = 1_000;
const SUFFIX_SPACE = 36 ** 8;

/**
 * A Redis for a test file: the server named by `REDIS_URL` when that is set (CI or a developer's
 * shared server — use {@link testPrefix} keys and {@link deleteByPrefix}), otherwise a private
 * `redis-server` started for the caller.
 *
 * @example
 * let redis: TestRedis;
 * beforeAll(async () => { redis = await useTestRedis(); });
 * afterAll(() => redis.close());
 */
export async function useTestRedis(): Promise<TestRedis> {
  const shared = process.env['REDIS_URL'];
  if (shared !== undefined && shared !== '') {
    return { url: shared, server: undefined, close: async () => {} };
  }
  const server = await startRedisServer();
  return { url: server.url, server, close: () => server.stop() };
}

/**
 * A key prefix unique to one test: `cpt:<label>:<8 random base36 chars>:`.
 *
 * It never contains `{` or `}`: store keys carry Redis Cluster hash tags after the prefix, and a
 * brace in the prefix would become the hash tag instead.
 *
 * @param label Names the test in `redis-cli` output; must not contain `{` or `}`.
 * @example testPrefix('store') // 'cpt:store:k3v9x0qa:'
 */
export function testPrefix(label?: string): string {
  if (label !== undefined && /[{}]/.test(label)) {
    throw new TypeError(`testPrefix: label must not contain { or } (hash tags), got ${label}`);
  }
  const suffix = randomInt(SUFFIX_SPACE).toString(36).padStart(8, '0');
  return label === undefined || label === '' ? `cpt:${suffix}:` : `cpt:${label}:${suffix}:`;
}

/**
 * Deletes (UNLINK) every key that starts with `prefix`, on a single server or on every master of
 * a Cluster, and resolves with how many were deleted. Keys under other prefixes are untouched.
 *
 * @param client An ioredis client without `keyPrefix` (SCAN would see raw keys, UNLINK would prefix them again).
 * @example afterEach(() => deleteByPrefix(redis, prefix))
 */
export async function deleteByPrefix(client: Redis | Cluster, prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of await scanNodes(client)) {
    for await (const keys of scanPrefix(node, prefix)) {
      if (keys.length === 0) continue;
      // One UNLINK per key: on a Cluster node a multi-key UNLINK across slots fails with CROSSSLOT.
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      for (const [error, count] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        deleted += Number(count);
      }
    }
  }
  return deleted;
}

/**
 * Every key that starts with `prefix`, sorted, on a single server or across a Cluster's masters:
 * for "no keys left behind" assertions.
 *
 * @example expect(await keysByPrefix(redis, prefix)).toEqual([])
 */
export async function keysByPrefix(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  for (const node of await scanNodes(client)) {
    for await (const keys of scanPrefix(node, prefix)) {
      for (const key of keys) found.add(key);
    }
  }
  return [...found].sort();
}

/** The servers whose keyspaces together hold every key: the client's, or each Cluster master's. */
async function scanNodes(client: Redis | Cluster): Promise<Redis[]> {
  // Waits for a lazy or still-connecting client; a Cluster knows its masters once ready.
  await client.ping();
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  for (const node of nodes) {
    if (node.options.keyPrefix) {
      throw new TypeError('deleteByPrefix/keysByPrefix: pass a client without keyPrefix');
    }
  }
  return nodes;
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return client.isCluster;
}

/** SCAN pages of keys matching `prefix` literally; a page may repeat keys or be empty. */
async function* scanPrefix(node: Redis, prefix: string): AsyncGenerator<string[]> {
  const pattern = `${escapeGlob(prefix)}*`;
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    yield keys;
  } while (cursor !== '0');
}

/** Escapes the characters Redis's glob matcher treats specially. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}
