import { redisOptions } from '@checkpoint/redis';
import { deleteByPrefix, testPrefix, useTestRedis } from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { redisQuickstart } from './redis.js';

it('runs the @checkpoint/redis README example against a real Redis', async () => {
  const server = await useTestRedis();
  const prefix = testPrefix('example');
  const lines: string[] = [];
  try {
    expect(await redisQuickstart(server.url, prefix, (line) => lines.push(line))).toBe('approved');
    expect(lines[1]).toBe(
      'audit trail from Redis Streams: verification.requested, verification.dispatched, verification.checked, verification.approved',
    );
  } finally {
    const redis = new Redis(server.url, { ...redisOptions(), enableOfflineQueue: true });
    await deleteByPrefix(redis, prefix);
    await deleteByPrefix(redis, `{${prefix}bullmq}`);
    redis.disconnect();
    await server.close();
  }
});
