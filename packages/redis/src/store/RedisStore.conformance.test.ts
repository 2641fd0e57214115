import { describeStoreConformance } from '@checkpoint/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
import { RedisStore } from './RedisStore.js';
import { dumpPrefix, testClient } from './testClient.js';

let server: TestRedis;
const clients: Record<2 | 3, Redis | undefined> = { 2: undefined, 3: undefined };
const prefixes = new Map<RedisStore, string>();

beforeAll(async () => {
  server = await useTestRedis();
  clients[2] = await testClient(server.url, 2);
  clients[3] = await testClient(server.url, 3);
});

afterAll(async () => {
  for (const client of Object.values(clients)) client?.disconnect();
  await server.close();
});

// ioredis 6 speaks RESP3 by default; RESP2 stays supported. The scripts return only integers and
// bulk strings, so both must read the same: the whole suite runs under each.
for (const protocol of [3, 2] as const) {
  describeStoreConformance({
    name: `RedisStore (RESP${protocol})`,
    readsOptOutsWithCounters: true,
    createsWithCounters: true,
    checksCountersAtomically: true,
    create: () => {
      const client = clients[protocol] as Redis;
      const prefix = testPrefix(`conf${protocol}`);
      const store = new RedisStore({ redis: client, prefix });
      prefixes.set(store, prefix);
      return store;
    },
    dump: (store) =>
      dumpPrefix((store as RedisStore).redis, prefixes.get(store as RedisStore) ?? ''),
    destroy: async (store) => {
      await deleteByPrefix((store as RedisStore).redis, prefixes.get(store as RedisStore) ?? '');
    },
  });
}
