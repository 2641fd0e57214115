import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { keysByPrefix } from '../testing/testRedis.js';
import { redisOptions } from './redisOptions.js';

/** @internal A connected fail-closed test client on `url`, speaking RESP3 (ioredis 6's default) or RESP2. */
export async function testClient(url: string, protocol: 2 | 3 = 3): Promise<Redis> {
  const client = new Redis(url, { ...redisOptions(), protocol });
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** @internal A connected Cluster client on the harness's seed nodes. */
export async function testCluster(
  nodes: Array<{ host: string; port: number }>,
  protocol: 2 | 3 = 3,
): Promise<Cluster> {
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    redisOptions: { ...redisOptions(), protocol },
  });
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** @internal Everything under a prefix, as text: keys, then values (strings raw, hashes flattened). */
export async function dumpPrefix(client: Redis | Cluster, prefix: string): Promise<string> {
  const keys = await keysByPrefix(client, prefix);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    const value =
      type === 'string'
        ? ((await client.getBuffer(key))?.toString('latin1') ?? '')
        : JSON.stringify(await client.hgetall(key));
    parts.push(`${key} ${value}`);
  }
  return parts.join('\n');
}
