// The same contract on a real Redis: single use and replay refusal hold across connections.
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpoint, MemoryStore, outboxChannel } from '@checkpoint/core';
import { createFactors } from '../createFactors.js';
import { factorStoreConformance } from '../testing/factorStoreConformance.js';
import { RedisFactorStore } from './RedisFactorStore.js';

let server: TestRedis;
let redis: Redis;
const connections: Redis[] = [];
const prefix = testPrefix('factors');

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  await Promise.all([redis, ...connections].map((client) => client.quit()));
  await server.close();
});

// A new connection per store: concurrent calls really travel separately.
factorStoreConformance('RedisFactorStore', () => {
  const client = new Redis(server.url);
  connections.push(client);
  return new RedisFactorStore({ redis: client, prefix });
});

describe('RedisFactorStore', () => {
  it('never holds a TOTP secret or a recovery code in clear', async () => {
    const secret = 'factors-redis-test-secret-0123456789abcdef';
    const checkpoint = createCheckpoint({
      secret,
      channels: [outboxChannel({ name: 'sms' })],
      store: new MemoryStore(),
    });
    const factors = createFactors({
      secret,
      checkpoint,
      store: new RedisFactorStore({ redis, prefix }),
      totp: { issuer: 'Acme' },
    });
    const owner = { tenantId: 'acme', userId: 'u_clear' };
    const enrolment = await factors.totp.enrol({ owner, accountName: 'ada@acme.example' });
    const { codes } = await factors.recoveryCodes.generate({ owner });
    const dump: string[] = [];
    for (const key of await keysByPrefix(redis, prefix)) {
      const type = await redis.type(key);
      if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'set') dump.push(...(await redis.smembers(key)));
      if (type === 'string') dump.push((await redis.get(key)) ?? '');
    }
    const everything = dump.join('\n');
    expect(everything).not.toContain(enrolment.secret);
    for (const code of codes) {
      expect(everything).not.toContain(code);
      expect(everything).not.toContain(code.replace('-', ''));
    }
    expect(everything).toContain('v1.k0.');
  });

  it('puts every key of one user in one hash slot', async () => {
    const store = new RedisFactorStore({ redis, prefix: `${prefix}slot:` });
    const owner = { tenantId: 'acme', userId: 'u_slot' };
    await store.replaceRecoveryCodes(owner, { hashes: ['k0.a'], createdAt: 1 });
    await store.putDevice(owner, { id: 'dev_x', createdAt: 1, expiresAt: 2 ** 40 });
    const tags = (await keysByPrefix(redis, `${prefix}slot:`)).map(
      (key) => /\{[^}]+\}/.exec(key)?.[0],
    );
    expect(new Set(tags).size).toBe(1);
  });
});
