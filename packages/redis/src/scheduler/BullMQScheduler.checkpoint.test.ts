// Two processes of one deployment (RedisStore + BullMQ): a fallback timer fires in whichever
// process takes it, and each verification escalates to the next channel exactly once.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
import { type Child, startChild } from './fixtures/childProcess.js';
import type { ChildConfig } from './fixtures/protocol.js';
import { createRedisCheckpoint, type RedisCheckpoint } from './fixtures/redisCheckpoint.js';

let server: TestRedis;
let redis: Redis;
let config: ChildConfig;
let child: Child | undefined;
let app: RedisCheckpoint | undefined;

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url, { lazyConnect: true });
  await redis.connect();
});

afterEach(async () => {
  child?.kill();
  child = undefined;
  await app?.close();
  app = undefined;
  await deleteByPrefix(redis, config.prefix);
  await deleteByPrefix(redis, config.storePrefix ?? 'cp:');
});

afterAll(async () => {
  await redis.quit();
  await server.close();
});

describe('BullMQScheduler with createCheckpoint and RedisStore', () => {
  it('escalates each verification once when two processes run workers', async () => {
    config = {
      redis: { url: server.url },
      prefix: `{${testPrefix('scheduler-e2e').slice(0, -1)}}`,
      queueName: 'checkpoint',
      worker: true,
      storePrefix: testPrefix('scheduler-e2e-store'),
    };
    const sent: Array<{ pid: number; channel: string; verificationId: string }> = [];
    app = await createRedisCheckpoint(config, (channel, verificationId) => {
      sent.push({ pid: process.pid, channel, verificationId });
    });
    child = await startChild('checkpointProcess.ts', config);
    const voiceSends = () => [
      ...sent.filter((s) => s.channel === 'voice'),
      ...child!.messages.flatMap((m) => (m.type === 'sent' && m.channel === 'voice' ? [m] : [])),
    ];

    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { id, channel } = await app.checkpoint.send({
        to: '+14155550100',
        purpose: 'login',
        context: {},
      });
      expect(channel).toBe('sms');
      ids.push(id);
    }

    // No delivery receipt comes: after the 1 s fallback timeout each one moves to voice.
    await vi.waitFor(() => expect(voiceSends()).toHaveLength(ids.length), {
      timeout: 8_000,
      interval: 50,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(
      voiceSends()
        .map((s) => s.verificationId)
        .sort(),
    ).toEqual([...ids].sort());
    for (const id of ids) {
      expect(await app.checkpoint.get(id)).toMatchObject({
        channel: 'voice',
        sends: 2,
        status: 'pending',
      });
    }
    expect(await child.close()).toBe(0);
  });
});
