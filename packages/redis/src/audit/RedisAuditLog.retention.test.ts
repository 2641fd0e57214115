// Audit events must not outlive their tenant's retention, in Redis or in what reads return.
import type { AuditEvent } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '../testing/index.js';
import { RedisAuditLog, type RedisAuditLogOptions } from './RedisAuditLog.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12);

let server: TestRedis;
let redis: Redis;
let prefix: string;
let clock: number;

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterEach(() => deleteByPrefix(redis, prefix));

afterAll(async () => {
  await redis.quit();
  await server.close();
});

function makeLog(options: Partial<RedisAuditLogOptions> = {}): RedisAuditLog {
  prefix = testPrefix('audit-retention');
  clock = NOW;
  return new RedisAuditLog({ redis, prefix, now: () => clock, ...options });
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function ids(log: RedisAuditLog, tenantId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of log.query({ tenantId })) found.push(item.id);
  return found;
}

const stream = (tenantId: string) => `${prefix}{a:${tenantId}}:events`;

describe('RedisAuditLog retention', () => {
  it('trims events older than the retention from the Stream on the next append', async () => {
    const log = makeLog({ retentionDays: 365 });
    clock = NOW - 400 * DAY;
    for (let index = 0; index < 300; index += 1) {
      await log.append(event({ at: clock + index, verificationId: `vf_old${index % 3}` }));
    }
    expect(await redis.xlen(stream('acme'))).toBe(300);
    clock = NOW;
    await log.append(event({ at: NOW, id: 'ae_new' }));
    // MINID ~ removes whole Stream nodes (stream-node-max-entries, 100 by default) at a time.
    expect(await redis.xlen(stream('acme'))).toBeLessThanOrEqual(100);
    expect(await ids(log, 'acme')).toEqual(['ae_new']);
    expect(await log.byVerification('vf_old0')).toEqual([]);
  });

  it('returns nothing past the retention even before Redis has trimmed it', async () => {
    const log = makeLog({ retentionDays: 30 });
    await log.append(event({ at: NOW - 10 * DAY, id: 'ae_kept', verificationId: 'vf_a' }));
    await log.append(event({ at: NOW - 40 * DAY, id: 'ae_past', verificationId: 'vf_a' }));
    expect(await ids(log, 'acme')).toEqual(['ae_kept']);
    expect((await log.byVerification('vf_a')).map((item) => item.id)).toEqual(['ae_kept']);
    clock = NOW + 25 * DAY; // ae_kept is now 35 days old
    expect(await ids(log, 'acme')).toEqual([]);
    expect(await log.byVerification('vf_a')).toEqual([]);
  });

  it('applies each tenant its own retention, from a function that may be async', async () => {
    const asked: string[] = [];
    const log = makeLog({
      retentionDays: async (tenantId) => {
        asked.push(tenantId);
        return tenantId === 'brief' ? 1 : 30;
      },
    });
    for (const tenantId of ['brief', 'long']) {
      await log.append(event({ at: NOW - 2 * DAY, tenantId, id: `ae_${tenantId}_old` }));
      await log.append(
        event({ at: NOW, tenantId, id: `ae_${tenantId}_new`, verificationId: `vf_${tenantId}` }),
      );
    }
    expect(await ids(log, 'brief')).toEqual(['ae_brief_new']);
    expect(await ids(log, 'long')).toEqual(['ae_long_old', 'ae_long_new']);
    expect(new Set(asked)).toEqual(new Set(['brief', 'long']));
    const briefTtl = await redis.pttl(stream('brief'));
    const longTtl = await redis.pttl(stream('long'));
    expect(briefTtl).toBeGreaterThan(0);
    expect(briefTtl).toBeLessThanOrEqual(DAY);
    expect(longTtl).toBeGreaterThan(DAY);
    expect(longTtl).toBeLessThanOrEqual(30 * DAY);
    const indexTtl = await redis.pttl(`${prefix}{a:v:vf_brief}`);
    expect(indexTtl).toBeGreaterThan(0);
    expect(indexTtl).toBeLessThanOrEqual(DAY);
  });

  it('rejects an append when the retention function gives something that is not a positive number', async () => {
    const log = makeLog({ retentionDays: () => Number.NaN });
    await expect(log.append(event({ at: NOW }))).rejects.toThrow(/positive number of days/);
    expect(await keysByPrefix(redis, prefix)).toEqual([]);
  });

  it('gives every key it writes a time to live, so an idle tenant disappears', async () => {
    const log = makeLog({ retentionDays: 7 });
    await log.append(event({ at: NOW, verificationId: 'vf_a' }));
    await log.append(event({ at: NOW - 1_000, verificationId: 'vf_b' })); // late: writes the late key
    await log.append(event({ at: NOW, tenantId: 'globex', type: 'tenant.configured' }));
    const keys = await keysByPrefix(redis, prefix);
    expect(keys).toEqual(
      [
        `${prefix}{a:acme}:events`,
        `${prefix}{a:acme}:late`,
        `${prefix}{a:globex}:events`,
        `${prefix}{a:v:vf_a}`,
        `${prefix}{a:v:vf_b}`,
      ].sort(),
    );
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect({ key, alive: ttl > 0 && ttl <= 7 * DAY }).toEqual({ key, alive: true });
    }
  });

  it('caps a tenant\u2019s Stream near maxEventsPerTenant, keeping the newest events', async () => {
    const log = makeLog({ maxEventsPerTenant: 100 });
    for (let index = 0; index < 350; index += 1) {
      await log.append(event({ at: NOW - 1_000 + index, id: `ae_cap${index}` }));
    }
    const length = await redis.xlen(stream('acme'));
    // Approximate (~) trimming removes whole Stream nodes: at least the cap, less than a node more.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(200);
    const kept = await ids(log, 'acme');
    expect(kept.at(-1)).toBe('ae_cap349');
    expect(kept).toHaveLength(length);
  });
});
