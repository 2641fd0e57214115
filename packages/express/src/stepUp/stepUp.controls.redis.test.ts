// Threat: a control that holds in one process only — a second export, or a new admin's privileged action, sent to another app process that shares Redis.
import { ManualClock } from '@checkpoint/core/testing';
import { createRedisStore, redisOptions } from '@checkpoint/redis';
import {
  deleteByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlsApp } from './fixtures/controlsApp.js';

let redis: TestRedis;
let ioredis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await useTestRedis();
  ioredis = new Redis(redis.url, redisOptions());
});

afterAll(async () => {
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(ioredis, prefix);
  ioredis.disconnect();
  await redis.close();
});

/** Two app processes' worth of Checkpoint on one Redis (each with its own RedisStore). */
async function twoProcesses() {
  const prefix = testPrefix('controls');
  prefixes.push(prefix);
  const clock = new ManualClock(Date.now());
  const one = controlsApp({ store: await createRedisStore({ redis: ioredis, prefix }), clock });
  const two = controlsApp({ store: await createRedisStore({ redis: ioredis, prefix }), clock });
  return { one, two };
}

describe('the controls on Redis', () => {
  it('lets exactly one of concurrent exports through across processes, and refuses the rest with 429', async () => {
    const { one, two } = await twoProcesses();
    const first = request.agent(one.app);
    const second = request.agent(two.app);
    await first.post('/login/alice').expect(200);
    await second.post('/login/alice').expect(200);
    const statuses = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map(async (index) =>
        (index % 2 === 0 ? first : second).get('/export').then((answer) => answer.status),
      ),
    );
    expect(statuses.sort()).toEqual([200, 429, 429, 429, 429, 429, 429, 429]);
  });

  it('holds a new admin back on every process, and an approval on one frees them on all', async () => {
    const { one, two } = await twoProcesses();
    const alice = request.agent(one.app);
    await alice.post('/login/alice').expect(200);
    await alice.post('/members/bob/admin').expect(200);
    const bob = request.agent(two.app);
    await bob.post('/login/bob').expect(200);
    await bob.get('/admin/settings').expect(403);
    const carol = request.agent(one.app);
    await carol.post('/login/carol').expect(200);
    await carol.post('/members/bob/approve').expect(200);
    await bob.get('/admin/settings').expect(200);
  });
});
