import { once } from 'node:events';
import type { Store } from '@checkpoint/core';
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/**
 * @internal
 * Test fixture: the stores a test file runs against — a MemoryStore (from `memory`) and a
 * RedisStore on a Redis of its own (`REDIS_URL`, else a private server) under a fresh prefix per
 * store, deleted after the file. Call it at the top level of the test file.
 */
export function memoryAndRedis(
  label: string,
  memory: () => Store,
): Array<[string, () => Promise<Store>]> {
  let server: TestRedis;
  let redis: Redis;
  const prefixes: string[] = [];
  beforeAll(async () => {
    server = await useTestRedis();
    redis = new Redis(server.url, redisOptions());
    if (redis.status !== 'ready') await once(redis, 'ready');
  });
  afterAll(async () => {
    for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
    redis.disconnect();
    await server.close();
  });
  return [
    ['MemoryStore', async () => memory()],
    [
      'RedisStore',
      async () => {
        const prefix = testPrefix(label);
        prefixes.push(prefix);
        return createRedisStore({ redis, prefix });
      },
    ],
  ];
}
