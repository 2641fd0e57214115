// A leaked Redis dump or audit export must not hand out codes; core's lifecycle must read back in order.
import { type AuditEvent, createCheckpoint, outboxChannel } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteByPrefix,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '../testing/index.js';
import { RedisAuditLog } from './RedisAuditLog.js';

const SECRET = 'redis-audit-tests-secret-please-rotate-0123';
const TO = '+14155550100';

let server: TestRedis;
let redis: Redis;
const prefix = testPrefix('audit-checkpoint');

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  await redis.quit();
  await server.close();
});

/** Every value stored under the prefix, as text: Stream entries, index lists, strings. */
async function dump(): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysByPrefix(redis, prefix)) {
    const type = await redis.type(key);
    if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else parts.push(String(await redis.get(key)));
  }
  return parts.join('\n');
}

describe('RedisAuditLog as the audit log of createCheckpoint', () => {
  it('records a send and an approving check in order, and keeps the code out of Redis and exports', async () => {
    const sms = outboxChannel({ name: 'sms' });
    const auditLog = new RedisAuditLog({ redis, prefix });
    const checkpoint = createCheckpoint({ secret: SECRET, channels: [sms], auditLog });
    try {
      const { id, auditEventId } = await checkpoint.send({
        to: TO,
        purpose: 'login',
        context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      });
      const code = sms.latest(TO)?.code ?? '';
      expect(code).toMatch(/^\d{6}$/);
      expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });

      const events = await checkpoint.audit(id);
      expect(events.map((item) => item.type)).toEqual([
        'verification.requested',
        'verification.dispatched',
        'verification.checked',
        'verification.approved',
      ]);
      expect(events[0]?.id).toBe(auditEventId);
      expect(events.every((item: AuditEvent) => item.verificationId === id)).toBe(true);
      const ats = events.map((item) => item.at);
      expect(ats).toEqual([...ats].sort((a, b) => a - b));

      let jsonl = '';
      for await (const chunk of auditLog.export({ tenantId: 'default' }, 'jsonl')) jsonl += chunk;
      let csv = '';
      for await (const chunk of auditLog.export({ tenantId: 'default' }, 'csv')) csv += chunk;
      expect(jsonl.trim().split('\n')).toHaveLength(4);
      // The code as a token of its own: digits inside a timestamp do not count.
      const asToken = new RegExp(`(?<![0-9])${code}(?![0-9])`);
      for (const [place, text] of Object.entries({ redis: await dump(), jsonl, csv })) {
        expect(text.length).toBeGreaterThan(0);
        expect({ place, found: asToken.test(text) }).toEqual({ place, found: false });
        expect({ place, found: text.includes('4155550100') }).toEqual({ place, found: false });
      }
    } finally {
      await checkpoint.close();
    }
  });
});
