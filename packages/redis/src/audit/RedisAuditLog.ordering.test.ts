// Events from several processes (clocks a little apart) reach a tenant's Stream out of order:
// none may be lost, misfiled out of its time range, or returned out of time order.
import type { AuditEvent, AuditQuery } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
import { RedisAuditLog } from './RedisAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);

let server: TestRedis;
let redis: Redis;
let prefix: string;
let log: RedisAuditLog;

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterEach(() => deleteByPrefix(redis, prefix));

afterAll(async () => {
  await redis.quit();
  await server.close();
});

function setUp(): void {
  prefix = testPrefix('audit-order');
  log = new RedisAuditLog({ redis, prefix, now: () => NOW });
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function ats(query: Partial<AuditQuery> = {}): Promise<number[]> {
  const found: number[] = [];
  for await (const item of log.query({ tenantId: 'acme', ...query })) found.push(item.at - NOW);
  return found;
}

describe('RedisAuditLog with events that arrive out of order', () => {
  it('keeps a late event, returns it in time order and files it under its own time in range queries', async () => {
    setUp();
    await log.append(event({ at: NOW + 2_000 }));
    await log.append(event({ at: NOW + 1_000, id: 'ae_late' }));
    await log.append(event({ at: NOW + 3_000 }));
    expect(await ats()).toEqual([1_000, 2_000, 3_000]);
    // Redis filed it at 2000 ms; the range still goes by its `at`.
    expect(await ats({ to: NOW + 1_500 })).toEqual([1_000]);
    expect(await ats({ from: NOW + 1_500 })).toEqual([2_000, 3_000]);
    expect(await ats({ from: NOW + 1_000, to: NOW + 1_001 })).toEqual([1_000]);
  });

  it('finds a late event through its verification, oldest first', async () => {
    setUp();
    await log.append(event({ at: NOW + 5_000, verificationId: 'vf_other' }));
    await log.append(event({ at: NOW + 1_000, verificationId: 'vf_late', id: 'ae_first' }));
    await log.append(event({ at: NOW + 5_000, verificationId: 'vf_late', id: 'ae_second' }));
    await log.append(event({ at: NOW + 900, verificationId: 'vf_late', id: 'ae_zeroth' }));
    const ids = (await log.byVerification('vf_late')).map((item) => item.id);
    expect(ids).toEqual(['ae_zeroth', 'ae_first', 'ae_second']);
  });

  it('restores time order across pages when a late event sits pages behind its time', async () => {
    setUp();
    const expected: number[] = [];
    const append = async (offset: number) => {
      expected.push(offset);
      await log.append(event({ at: NOW + offset }));
    };
    for (let index = 0; index < 700; index += 1) await append(10_000 + index);
    await append(5_000); // filed at 10699, second page
    await append(10_650);
    for (let index = 700; index < 1_300; index += 1) await append(10_000 + index);
    await append(10_001); // filed at 11299, third page
    expected.sort((a, b) => a - b);
    const found = await ats();
    expect(found).toHaveLength(expected.length);
    expect(found).toEqual(expected);
    expect(await ats({ from: NOW + 4_000, to: NOW + 10_002 })).toEqual([
      5_000, 10_000, 10_001, 10_001,
    ]);
  });

  it('remembers how late events came, with the same time to live as the Stream', async () => {
    setUp();
    await log.append(event({ at: NOW + 2_000 }));
    await log.append(event({ at: NOW + 500 }));
    await log.append(event({ at: NOW + 1_800 }));
    const late = `${prefix}{a:acme}:late`;
    expect(await redis.get(late)).toBe('1500');
    expect(await redis.pttl(late)).toBeGreaterThan(0);
    expect(await redis.pttl(late)).toBeLessThanOrEqual(365 * 86_400_000);
  });
});
