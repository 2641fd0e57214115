import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer } from './redisServer.js';
import { deleteByPrefix, keysByPrefix, testPrefix, useTestRedis } from './testRedis.js';
import type { TestRedis } from './testRedis.js';

describe('testPrefix', () => {
  it('builds cpt:<label>:<8 base36 chars>: without braces', () => {
    const prefix = testPrefix('store');
    expect(prefix).toMatch(/^cpt:store:[0-9a-z]{8}:$/);
    expect(prefix).not.toMatch(/[{}]/);
  });

  it('leaves the label out when none is given', () => {
    expect(testPrefix()).toMatch(/^cpt:[0-9a-z]{8}:$/);
  });

  it('gives a different prefix on every call', () => {
    const prefixes = new Set(Array.from({ length: 100 }, () => testPrefix('x')));
    expect(prefixes.size).toBe(100);
  });

  it('refuses a label with a brace, which would become the hash tag', () => {
    expect(() => testPrefix('{tag}')).toThrow(TypeError);
  });
});

describe('deleteByPrefix and keysByPrefix on a single server', () => {
  let redis: TestRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await useTestRedis();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    client.disconnect();
    await redis.close();
  });

  it('deletes every key under the prefix and nothing under another', async () => {
    const mine = testPrefix('mine');
    const other = testPrefix('other');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => [
        client.set(`${mine}k${i}`, '1'),
        client.hset(`${mine}{tag}:h${i}`, 'f', '1'),
        client.set(`${other}k${i}`, '1'),
      ]).flat(),
    );

    expect(await deleteByPrefix(client, mine)).toBe(100);
    expect(await keysByPrefix(client, mine)).toEqual([]);
    expect(await keysByPrefix(client, other)).toHaveLength(50);

    expect(await deleteByPrefix(client, other)).toBe(50);
  });

  it('treats glob characters in the prefix literally', async () => {
    const base = testPrefix('glob');
    const starred = `${base}a*[b]?:`;
    const lookalike = `${base}a-xb-:`;
    await client.set(`${starred}k`, '1');
    await client.set(`${lookalike}k`, '1');

    expect(await keysByPrefix(client, starred)).toEqual([`${starred}k`]);
    expect(await deleteByPrefix(client, starred)).toBe(1);
    expect(await keysByPrefix(client, base)).toEqual([`${lookalike}k`]);
    await deleteByPrefix(client, base);
  });

  it('returns 0 when no key matches', async () => {
    expect(await deleteByPrefix(client, testPrefix('empty'))).toBe(0);
  });
});

describe('useTestRedis', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses REDIS_URL when set and leaves that server running on close()', async () => {
    const shared = await startRedisServer();
    try {
      vi.stubEnv('REDIS_URL', shared.url);
      const redis = await useTestRedis();
      expect(redis.url).toBe(shared.url);
      expect(redis.server).toBeUndefined();

      await redis.close();
      const client = new Redis(shared.url);
      try {
        expect(await client.ping()).toBe('PONG');
      } finally {
        client.disconnect();
      }
    } finally {
      await shared.stop();
    }
  });

  it('starts a private server when REDIS_URL is unset and stops it on close()', async () => {
    vi.stubEnv('REDIS_URL', undefined);
    const redis = await useTestRedis();
    expect(redis.server).toBeDefined();
    expect(redis.url).toBe(redis.server?.url);
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }

    await redis.close();
    const pid = redis.server?.pid ?? 0;
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
