import { type AuditEvent, type AuditEventType, type AuditQuery } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  commandStats,
  deleteByPrefix,
  resetCommandStats,
  startRedisServer,
  keysByPrefix,
  type TestRedis,
  testPrefix,
  useTestRedis,
} from '../testing/index.js';
import { RedisAuditLog, type RedisAuditLogOptions } from './RedisAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);

let server: TestRedis;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  server = await useTestRedis();
  redis = new Redis(server.url);
});

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
  await server.close();
});

function makeLog(options: Partial<RedisAuditLogOptions> = {}): RedisAuditLog {
  const prefix = testPrefix('audit');
  prefixes.push(prefix);
  return new RedisAuditLog({ redis, prefix, now: () => NOW, ...options });
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function collect(log: RedisAuditLog, query: AuditQuery): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const item of log.query(query)) events.push(item);
  return events;
}

/** Every optional field set, with characters CSV and JSON must escape. */
const FULL: AuditEvent = {
  id: 'ae_full',
  type: 'verification.checked',
  at: NOW - 5_000,
  tenantId: 'acme',
  verificationId: 'vf_full',
  purpose: 'billing_change',
  channel: 'sms',
  destination: { kind: 'phone', hash: 'k1:9f86d08', masked: '+1 ••• ••• 0100', country: 'US' },
  context: {
    ip: '203.0.113.7',
    asn: 64_500,
    userAgent: 'Mozilla/5.0 "quoted", with comma\nand newline',
    deviceId: '=cmd|calc',
  },
  result: 'failed',
  reasons: ['velocity:ip', 'code:wrong'],
  latencyMs: 1_234,
  data: { keys: 'a,b', count: 2, ok: true },
};

describe('RedisAuditLog options', () => {
  it('refuses a prefix with a brace, because the hash tags follow it', () => {
    expect(() => new RedisAuditLog({ redis, prefix: 'cp{x}:' })).toThrow(TypeError);
    expect(() => new RedisAuditLog({ redis, prefix: 'cp}:' })).toThrow(/without `\{` or `\}`/);
  });

  it('refuses a missing client, a retention that is not positive and a cap that is not an integer', () => {
    expect(() => new RedisAuditLog({} as RedisAuditLogOptions)).toThrow(/requires \{ redis \}/);
    expect(() => new RedisAuditLog({ redis, retentionDays: 0 })).toThrow(TypeError);
    expect(() => new RedisAuditLog({ redis, retentionDays: Number.NaN })).toThrow(TypeError);
    expect(() => new RedisAuditLog({ redis, maxEventsPerTenant: 1.5 })).toThrow(TypeError);
  });
});

describe('RedisAuditLog.append and byVerification', () => {
  it('gives back an event with every optional field exactly as it was appended', async () => {
    const log = makeLog();
    await log.append(FULL);
    expect(await log.byVerification('vf_full')).toEqual([FULL]);
    expect(await collect(log, { tenantId: 'acme' })).toEqual([FULL]);
  });

  it('reads the same events through RESP2 and RESP3 clients, whatever their reply mapping', async () => {
    const prefix = testPrefix('audit');
    prefixes.push(prefix);
    const clients = [
      new Redis(server.url, { protocol: 2 }),
      new Redis(server.url, { protocol: 3 }),
      new Redis(server.url, { protocol: 3, replyMapping: 'resp3' }),
    ];
    try {
      const logs = clients.map(
        (client) => new RedisAuditLog({ redis: client, prefix, now: () => NOW }),
      );
      for (const [index, log] of logs.entries()) {
        await log.append({ ...FULL, id: `ae_p${index}`, at: FULL.at + index });
      }
      const expected = logs.map((_, index) => ({
        ...FULL,
        id: `ae_p${index}`,
        at: FULL.at + index,
      }));
      for (const log of logs) {
        expect(await log.byVerification('vf_full')).toEqual(expected);
        expect(await collect(log, { tenantId: 'acme' })).toEqual(expected);
      }
    } finally {
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('returns the events of one verification oldest first, whatever order they were appended in', async () => {
    const log = makeLog();
    const types: AuditEventType[] = [
      'verification.requested',
      'verification.dispatched',
      'verification.checked',
      'verification.approved',
    ];
    // Same millisecond for two of them: arrival order breaks the tie.
    const ats = [NOW - 3_000, NOW - 2_000, NOW - 2_000, NOW - 1_000];
    for (const [index, type] of types.entries()) {
      await log.append(event({ at: ats[index] ?? 0, type, verificationId: 'vf_a' }));
    }
    await log.append(event({ at: NOW - 2_000, verificationId: 'vf_b' }));
    await log.append(
      event({ at: NOW - 4_000, type: 'verification.blocked', verificationId: 'vf_a' }),
    );
    const events = await log.byVerification('vf_a');
    expect(events.map((item) => item.type)).toEqual(['verification.blocked', ...types]);
    expect((await log.byVerification('vf_b')).map((item) => item.verificationId)).toEqual(['vf_b']);
  });

  it('returns an empty list for an unknown verification', async () => {
    const log = makeLog();
    await log.append(event({ at: NOW, verificationId: 'vf_known' }));
    expect(await log.byVerification('vf_unknown')).toEqual([]);
  });

  it('keeps events without a verification out of any index but in queries', async () => {
    const log = makeLog();
    await log.append(event({ at: NOW, type: 'tenant.configured', data: { keys: 'locale' } }));
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.type)).toEqual([
      'tenant.configured',
    ]);
    expect(
      (await keysByPrefix(redis, prefixes.at(-1) ?? '')).some((key) => key.includes('{a:v:')),
    ).toBe(false);
  });

  it('refuses an event without a tenant or a time', async () => {
    const log = makeLog();
    await expect(log.append({ ...FULL, tenantId: '' })).rejects.toThrow(TypeError);
    await expect(log.append({ ...FULL, at: Number.NaN })).rejects.toThrow(TypeError);
  });
});

describe('RedisAuditLog round trips', () => {
  it('sends two scripts per append (stream and index), and one more only for an event that arrives after a later one', async () => {
    // A private server, so the command counts are this test's alone.
    const own = await startRedisServer();
    const client = new Redis(own.url);
    const log = new RedisAuditLog({ redis: client, prefix: testPrefix('audit'), now: () => NOW });
    try {
      await log.append(event({ at: NOW - 100, verificationId: 'vf_warm' })); // loads the scripts
      const cost = async (run: () => Promise<void>): Promise<number> => {
        await resetCommandStats(client);
        await run();
        // What the client sent: every append command is a script (the calls inside a script are
        // counted by Redis too, so they are left out).
        const stats = await commandStats(client);
        return (stats.evalsha ?? 0) + (stats.eval ?? 0);
      };
      expect(await cost(() => log.append(event({ at: NOW - 50, verificationId: 'vf_a' })))).toBe(2);
      expect(await cost(() => log.append(event({ at: NOW - 40, type: 'tenant.configured' })))).toBe(
        1,
      );
      expect(await cost(() => log.append(event({ at: NOW - 60, verificationId: 'vf_a' })))).toBe(3);
      expect((await log.byVerification('vf_a')).map((item) => item.at)).toEqual([
        NOW - 60,
        NOW - 50,
      ]);
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});

describe('RedisAuditLog.query', () => {
  it('keeps tenants apart', async () => {
    const log = makeLog();
    await log.append(
      event({ at: NOW - 2, tenantId: 'acme', id: 'ae_acme', verificationId: 'vf_1' }),
    );
    await log.append(
      event({ at: NOW - 1, tenantId: 'globex', id: 'ae_globex', verificationId: 'vf_2' }),
    );
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.id)).toEqual(['ae_acme']);
    expect((await collect(log, { tenantId: 'globex' })).map((item) => item.id)).toEqual([
      'ae_globex',
    ]);
    expect(await collect(log, { tenantId: 'initech' })).toEqual([]);
  });

  it('includes events at `from` and excludes events at `to`', async () => {
    const log = makeLog();
    const base = NOW - 10_000;
    for (const offset of [999, 1_000, 1_500, 1_999, 2_000, 2_001])
      await log.append(event({ at: base + offset }));
    const range = await collect(log, { tenantId: 'acme', from: base + 1_000, to: base + 2_000 });
    expect(range.map((item) => item.at - base)).toEqual([1_000, 1_500, 1_999]);
    const open = (query: Partial<AuditQuery>) =>
      collect(log, { tenantId: 'acme', ...query }).then((items) =>
        items.map((item) => item.at - base),
      );
    expect(await open({ from: base + 2_000 })).toEqual([2_000, 2_001]);
    expect(await open({ to: base + 1_000 })).toEqual([999]);
    expect(await open({ from: base + 1_500, to: base + 1_500 })).toEqual([]);
  });

  it('honours fractional millisecond bounds and times', async () => {
    const log = makeLog();
    for (const at of [NOW - 10.5, NOW - 10.25, NOW - 9.75]) await log.append(event({ at }));
    const ats = (await collect(log, { tenantId: 'acme', from: NOW - 10.25, to: NOW - 9.75 })).map(
      (item) => item.at,
    );
    expect(ats).toEqual([NOW - 10.25]);
  });

  it('filters by event type', async () => {
    const log = makeLog();
    const types: AuditEventType[] = [
      'verification.requested',
      'verification.blocked',
      'verification.approved',
      'verification.blocked',
    ];
    for (const [index, type] of types.entries())
      await log.append(event({ at: NOW - 10 + index, type }));
    const blocked = await collect(log, { tenantId: 'acme', types: ['verification.blocked'] });
    expect(blocked.map((item) => item.at)).toEqual([NOW - 9, NOW - 7]);
    const two = await collect(log, {
      tenantId: 'acme',
      types: ['verification.requested', 'verification.approved'],
    });
    expect(two.map((item) => item.type)).toEqual([
      'verification.requested',
      'verification.approved',
    ]);
    expect(await collect(log, { tenantId: 'acme', types: [] })).toEqual([]);
  });

  it('streams more than a thousand events in order, one page of 500 at a time', async () => {
    // A private server, so the XRANGE count is this test's alone.
    const own = await startRedisServer();
    const client = new Redis(own.url);
    const log = new RedisAuditLog({ redis: client, prefix: testPrefix('audit'), now: () => NOW });
    try {
      const total = 1_234;
      const base = NOW - 100_000;
      for (let start = 0; start < total; start += 200) {
        const batch = [];
        for (let index = start; index < Math.min(total, start + 200); index += 1) {
          // Several events share each millisecond.
          batch.push(
            log.append(event({ at: base + Math.floor(index / 3), id: `ae_page_${index}` })),
          );
        }
        await Promise.all(batch);
      }
      await resetCommandStats(client);
      const iterator = log.query({ tenantId: 'acme' })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value).toMatchObject({ id: 'ae_page_0' });
      // One page read before the first event comes out: streamed, not loaded whole.
      expect((await commandStats(client)).xrange).toBe(1);
      const ids: string[] = first.done === true ? [] : [first.value.id];
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        ids.push(next.value.id);
      }
      expect(ids).toEqual(Array.from({ length: total }, (_, index) => `ae_page_${index}`));
      // 1,234 events in pages of 500: three reads.
      expect((await commandStats(client)).xrange).toBe(3);
    } finally {
      client.disconnect();
      await own.stop();
    }
  });

  it('refuses a query without a tenant', async () => {
    const log = makeLog();
    await expect(collect(log, { tenantId: '' })).rejects.toThrow(TypeError);
    await expect(collect(log, { tenantId: 'acme', from: Number.NaN })).rejects.toThrow(TypeError);
  });
});
