import type { ScheduledJob } from '@checkpoint/core';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deleteByPrefix,
  keysByPrefix,
  type RedisClusterHandle,
  startRedisCluster,
  testPrefix,
} from '../testing/index.js';
import { BullMQScheduler } from './BullMQScheduler.js';
import { startChild } from './fixtures/childProcess.js';

let cluster: RedisClusterHandle;
let connection: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  connection = new Cluster(cluster.nodes, { lazyConnect: true });
  await connection.connect();
});

afterAll(async () => {
  await connection.quit();
  await cluster.stop();
});

const job = (key: string, delayMs: number, channel = 'sms'): ScheduledJob => ({
  key,
  kind: 'fallback',
  verificationId: key.slice(key.indexOf(':') + 1),
  runAt: Date.now() + delayMs,
  channel,
});

describe('BullMQScheduler on Redis Cluster', () => {
  it('runs, replaces and cancels jobs, with every key in the hash-tagged prefix', async () => {
    const prefix = `{${testPrefix('scheduler-cluster').slice(0, -1)}}`;
    const runs: ScheduledJob[] = [];
    const scheduler = new BullMQScheduler({ connection, prefix });
    scheduler.setHandler(async (ran) => {
      runs.push(ran);
    });
    try {
      await scheduler.waitUntilReady();

      await scheduler.schedule(job('fallback:vf_a', 200, 'sms'));
      await scheduler.schedule(job('fallback:vf_a', 300, 'voice'));
      await scheduler.schedule(job('fallback:vf_b', 200));
      await scheduler.cancel('fallback:vf_b');
      await scheduler.schedule(job('expire:vf_c', 60_000));

      await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000 });
      expect(runs[0]).toMatchObject({ key: 'fallback:vf_a', channel: 'voice' });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(runs).toHaveLength(1);
      const keys = await keysByPrefix(connection, prefix);
      expect(keys.length).toBeGreaterThan(0);
      // One slot: the queue's Lua scripts touch several of its keys at once.
      const slots = await Promise.all(keys.map((key) => connection.cluster('KEYSLOT', key)));
      expect(new Set(slots).size).toBe(1);
    } finally {
      await scheduler.close();
      await deleteByPrefix(connection, prefix);
    }
  });

  it('runs a timer set on the Cluster by another process', async () => {
    const prefix = `{${testPrefix('scheduler-cluster').slice(0, -1)}}`;
    const runs: ScheduledJob[] = [];
    const scheduler = new BullMQScheduler({ connection, prefix });
    scheduler.setHandler(async (ran) => {
      runs.push(ran);
    });
    const producer = await startChild('schedulerProcess.ts', {
      redis: { nodes: cluster.nodes },
      prefix,
      queueName: 'checkpoint',
      worker: false,
    });
    try {
      await scheduler.waitUntilReady();
      const timer = job('fallback:vf_cluster_child', 300);

      await producer.request({ op: 'schedule', job: timer });
      expect(await producer.close()).toBe(0);

      await vi.waitFor(() => expect(runs).toEqual([timer]), { timeout: 5_000 });
    } finally {
      producer.kill();
      await scheduler.close();
      await deleteByPrefix(connection, prefix);
    }
  });
});
