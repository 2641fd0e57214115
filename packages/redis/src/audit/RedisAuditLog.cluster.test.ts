// On Redis Cluster every multi-key script must stay in one slot, and pipelines on one node.
import type { AuditEvent } from '@checkpoint/core';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  commandStats,
  deleteByPrefix,
  resetCommandStats,
  keysByPrefix,
  type RedisClusterHandle,
  startRedisCluster,
  testPrefix,
} from '../testing/index.js';
import { RedisAuditLog } from './RedisAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);

let cluster: RedisClusterHandle;
let redis: Cluster;
let prefix: string;
let log: RedisAuditLog;

beforeAll(async () => {
  cluster = await startRedisCluster();
  redis = new Cluster(cluster.nodes);
});

afterEach(() => deleteByPrefix(redis, prefix));

afterAll(async () => {
  await redis.quit();
  await cluster.stop();
});

function setUp(): void {
  prefix = testPrefix('audit-cluster');
  log = new RedisAuditLog({ redis, prefix, now: () => NOW });
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

const tenants = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];

describe('RedisAuditLog on a 3-master Redis Cluster', () => {
  it('appends, indexes and reads back the events of many tenants and verifications', async () => {
    setUp();
    const appended: AuditEvent[] = [];
    for (const [index, tenantId] of tenants.entries()) {
      for (const [step, type] of (
        ['verification.requested', 'verification.approved'] as const
      ).entries()) {
        const item = event({
          at: NOW + index * 10 + step,
          tenantId,
          type,
          verificationId: `vf_${tenantId}`,
        });
        appended.push(item);
        await log.append(item);
      }
    }
    await log.append(
      event({ at: NOW - 1, tenantId: 'acme', verificationId: 'vf_acme', id: 'ae_late' }),
    );
    expect((await log.byVerification('vf_acme')).map((item) => item.id)).toEqual([
      'ae_late',
      ...appended.filter((item) => item.tenantId === 'acme').map((item) => item.id),
    ]);
    for (const tenantId of tenants.slice(1)) {
      expect(await log.byVerification(`vf_${tenantId}`)).toEqual(
        appended.filter((item) => item.tenantId === tenantId),
      );
      const found: AuditEvent[] = [];
      for await (const item of log.query({ tenantId, types: ['verification.approved'] }))
        found.push(item);
      expect(found.map((item) => item.type)).toEqual(['verification.approved']);
    }
    expect(await log.byVerification('vf_unknown')).toEqual([]);
  });

  it('keeps a tenant\u2019s keys in one slot, spreads tenants over the masters, and gives every key a TTL', async () => {
    setUp();
    for (const tenantId of tenants) {
      await log.append(event({ at: NOW, tenantId, verificationId: `vf_${tenantId}` }));
      await log.append(event({ at: NOW - 5, tenantId })); // late: writes the late key
    }
    const slot = (key: string) => redis.cluster('KEYSLOT', key);
    const tenantSlots = new Set<number>();
    for (const tenantId of tenants) {
      const streamSlot = await slot(`${prefix}{a:${tenantId}}:events`);
      expect(await slot(`${prefix}{a:${tenantId}}:late`)).toBe(streamSlot);
      tenantSlots.add(streamSlot);
    }
    expect(tenantSlots.size).toBeGreaterThan(1);
    const keys = await keysByPrefix(redis, prefix);
    expect(keys).toHaveLength(tenants.length * 3);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('sends the Stream and the index scripts as one command per slot', async () => {
    setUp();
    await log.append(event({ at: NOW - 10, verificationId: 'vf_warm' }));
    // The cluster is this file's own: the counts are this test's alone.
    await resetCommandStats(redis);
    await log.append(event({ at: NOW, verificationId: 'vf_pair' }));
    const stats = await commandStats(redis);
    // Two scripts (stream, index), each on its own slot's node; calls inside scripts are not counted.
    expect((stats.evalsha ?? 0) + (stats.eval ?? 0)).toBe(2);
    expect(await log.byVerification('vf_pair')).toHaveLength(1);
  });

  it('pages through more than a thousand events of one tenant in order', async () => {
    setUp();
    const total = 1_100;
    for (let start = 0; start < total; start += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, offset) =>
          log.append(event({ at: NOW + start + offset, id: `ae_c${start + offset}` })),
        ),
      );
    }
    const ids: string[] = [];
    for await (const item of log.query({ tenantId: 'acme', from: NOW })) ids.push(item.id);
    expect(ids).toEqual(Array.from({ length: total }, (_, index) => `ae_c${index}`));
  });
});
