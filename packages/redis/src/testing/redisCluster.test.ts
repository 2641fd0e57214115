import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster } from './redisCluster.js';
import type { RedisClusterHandle } from './redisCluster.js';
import { deleteByPrefix, keysByPrefix, testPrefix } from './testRedis.js';

describe('startRedisCluster', () => {
  let cluster: RedisClusterHandle;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(cluster.nodes);
  });

  afterAll(async () => {
    client.disconnect();
    await cluster.stop();
  });

  it('starts three masters that ioredis Cluster reports', async () => {
    expect(cluster.nodes).toHaveLength(3);
    await client.ping();
    const masters = client.nodes('master');
    expect(masters).toHaveLength(3);
    expect(masters.map((node) => node.options.port).sort()).toEqual(
      cluster.nodes.map((node) => node.port).sort(),
    );
  });

  it('serves SET and GET for keys spread over many slots', async () => {
    const prefix = testPrefix('cluster');
    const keys = Array.from({ length: 200 }, (_, i) => `${prefix}key:${i}`);
    await Promise.all(keys.map((key, i) => client.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(
      keys.map((_, i) => String(i)),
    );
    // 200 keys over three masters: every master holds some.
    for (const node of client.nodes('master')) expect(await node.dbsize()).toBeGreaterThan(0);

    expect(await deleteByPrefix(client, prefix)).toBe(200);
    expect(await keysByPrefix(client, prefix)).toEqual([]);
  });

  it('keeps hash-tagged keys under a test prefix in one slot', async () => {
    const prefix = testPrefix('cluster');
    const [a, b] = [`${prefix}{user:1}:a`, `${prefix}{user:1}:b`];
    await client.mset(a, '1', b, '2');
    expect(await client.mget(a, b)).toEqual(['1', '2']);
    expect(await keysByPrefix(client, prefix)).toEqual([a, b]);
    expect(await deleteByPrefix(client, prefix)).toBe(2);
  });

  it('refuses fewer than three masters with a TypeError', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(TypeError);
  });
});
