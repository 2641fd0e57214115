import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { describeStoreConformance } from '@checkpoint/core/testing';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteByPrefix,
  keysByPrefix,
  type RedisClusterHandle,
  startRedisCluster,
  testPrefix,
} from '../testing/index.js';
import { createRedisStore, RedisStore } from './RedisStore.js';
import { dumpPrefix, testCluster } from './testClient.js';

let cluster: RedisClusterHandle;
let client: Cluster;
const prefixes = new Map<RedisStore, string>();

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = await testCluster(cluster.nodes);
});

afterAll(async () => {
  client.disconnect();
  await cluster.stop();
});

describeStoreConformance({
  name: 'RedisStore on a 3-master Redis Cluster',
  create: () => {
    const prefix = testPrefix('cluster');
    const store = new RedisStore({ redis: client, prefix });
    prefixes.set(store, prefix);
    return store;
  },
  dump: (store) => dumpPrefix(client, prefixes.get(store as RedisStore) ?? ''),
  destroy: async (store) => {
    await deleteByPrefix(client, prefixes.get(store as RedisStore) ?? '');
  },
});

describe('RedisStore key placement on Redis Cluster', () => {
  it('keeps a verification and its destination’s counters in one slot, spread over the masters', async () => {
    const prefix = testPrefix('slots');
    const store = await createRedisStore({ redis: client, prefix });
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = createCheckpoint({
      secret: 'cluster-test-secret-0123456789abcdef',
      channels: [sms],
      store,
      // 40 numbers of one block: the pumping guards would refuse it as a walk.
      defaults: { pumping: { allow: ['+1415555'] } },
    });
    const slotsByShard = new Map<string, Set<number>>();
    for (let i = 0; i < 40; i += 1) {
      const to = `+1415555${String(1000 + i)}`;
      const { id } = await checkpoint.send({
        to,
        purpose: 'login',
        context: { ip: `198.51.100.${i}` },
      });
      await checkpoint.check({
        id,
        code: (sms.latest(to)?.code ?? '') === '000000' ? '000001' : '000000',
      });
      const shard = id.slice(3, 7);
      for (const key of await keysByPrefix(client, prefix)) {
        if (!key.includes(`{${shard}}`)) continue;
        const slot = Number(await client.cluster('KEYSLOT', key));
        const slots = slotsByShard.get(shard) ?? new Set<number>();
        slots.add(slot);
        slotsByShard.set(shard, slots);
      }
    }
    // Each shard's keys (record, destination counters, failure budget) share exactly one slot …
    for (const slots of slotsByShard.values()) expect(slots.size).toBe(1);
    // … and the shards land on every master.
    const masters = new Set<string>();
    for (const slots of slotsByShard.values()) {
      for (const slot of slots) {
        const node = client.slots[slot]?.[0];
        if (node !== undefined) masters.add(node);
      }
    }
    expect(masters.size).toBe(3);
    await checkpoint.close();
    await deleteByPrefix(client, prefix);
  });
});
