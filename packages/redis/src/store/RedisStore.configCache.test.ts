import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandStats,
  type RedisServerHandle,
  resetCommandStats,
  startRedisServer,
  testPrefix,
} from '../testing/index.js';
import { RedisStore } from './RedisStore.js';
import { testClient } from './testClient.js';

// A private server: the test counts the GETs the server sees.
let server: RedisServerHandle;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  admin = await testClient(server.url);
});

afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

/** Two processes' stores: each its own client, one prefix. */
async function twoStores(cacheTenantConfig: boolean) {
  const prefix = testPrefix('cfgcache');
  const clients = [await testClient(server.url), await testClient(server.url)];
  const [a, b] = clients.map((redis) => new RedisStore({ redis, prefix, cacheTenantConfig })) as [
    RedisStore,
    RedisStore,
  ];
  return {
    a,
    b,
    prefix,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      for (const client of clients) client.disconnect();
    },
  };
}

/** Resolves once `read()` gives `expected`, polling up to 200 times. */
async function until<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && JSON.stringify(value) !== JSON.stringify(expected); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}

/** Resolves once the store has subscribed (its cache answers from then on). */
async function subscribed(): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const channels = (await admin.pubsub('CHANNELS', '*')) as string[];
    if (channels.some((channel) => channel.endsWith('cfg-changed'))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisStore tenant configuration cache', () => {
  it('serves repeated reads from the process, without a GET each', async () => {
    const { a, close } = await twoStores(true);
    try {
      await a.setTenantConfig('acme', { maxAttempts: 3 });
      await subscribed();
      await a.getTenantConfig('acme');
      await resetCommandStats(admin);
      for (let i = 0; i < 20; i += 1) {
        expect(await a.getTenantConfig('acme')).toEqual({ maxAttempts: 3 });
      }
      expect((await commandStats(admin)).get ?? 0).toBe(0);
    } finally {
      await close();
    }
  });

  it("hands a change made in one process to another process's cached reads", async () => {
    const { a, b, close } = await twoStores(true);
    try {
      await a.setTenantConfig('acme', { maxAttempts: 3 });
      await subscribed();
      expect(await b.getTenantConfig('acme')).toEqual({ maxAttempts: 3 });
      expect(await b.getTenantConfig('acme')).toEqual({ maxAttempts: 3 }); // cached now
      await a.setTenantConfig('acme', { maxAttempts: 4 });
      expect(await a.getTenantConfig('acme')).toEqual({ maxAttempts: 4 }); // its own change at once
      expect(await until(() => b.getTenantConfig('acme'), { maxAttempts: 4 })).toEqual({
        maxAttempts: 4,
      });
    } finally {
      await close();
    }
  });

  it('reads Redis every time when the cache is off (the default)', async () => {
    const { a, close } = await twoStores(false);
    try {
      await a.setTenantConfig('acme', { maxAttempts: 3 });
      await resetCommandStats(admin);
      for (let i = 0; i < 5; i += 1) await a.getTenantConfig('acme');
      expect((await commandStats(admin)).get).toBe(5);
    } finally {
      await close();
    }
  });

  it('forgets everything when its subscriber connection drops, then reads Redis', async () => {
    const { a, b, prefix, close } = await twoStores(true);
    try {
      await a.setTenantConfig('acme', { maxAttempts: 3 });
      await subscribed();
      await b.getTenantConfig('acme');
      // Drop every subscriber connection, then change the value without a message (as if the
      // message were lost while the subscriber was away).
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await admin.set(`${prefix}{t:acme}:cfg`, JSON.stringify({ maxAttempts: 5 }));
      expect(await until(() => b.getTenantConfig('acme'), { maxAttempts: 5 })).toEqual({
        maxAttempts: 5,
      });
    } finally {
      await close();
    }
  });
});
