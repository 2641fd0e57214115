// Exports are what leaves the system for auditors: they must parse back to the events, in order.
import { type AuditEvent, MemoryAuditLog } from '@checkpoint/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPrefix, type TestRedis, testPrefix, useTestRedis } from '../testing/index.js';
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

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
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

describe('RedisAuditLog.export', () => {
  const events = [
    FULL,
    event({ at: NOW - 4_000, type: 'verification.approved', verificationId: 'vf_full' }),
    event({ at: NOW - 3_000, type: 'tenant.configured', data: { keys: 'locale' } }),
  ];

  it('writes JSON lines that parse back to the events, oldest first', async () => {
    const log = makeLog();
    for (const item of [...events].reverse()) await log.append(item);
    const lines = (await text(log.export({ tenantId: 'acme' }, 'jsonl'))).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as unknown)).toEqual(events);
  });

  it('writes the same CSV as core, one row per event, that parses back', async () => {
    const log = makeLog();
    const memory = new MemoryAuditLog();
    for (const item of events) {
      await log.append(item);
      await memory.append(item);
    }
    const csv = await text(log.export({ tenantId: 'acme', from: NOW - 5_000, to: NOW }, 'csv'));
    expect(csv).toBe(await text(memory.export({ tenantId: 'acme' }, 'csv')));
    const [header, ...rows] = parseCsv(csv);
    expect(rows).toHaveLength(events.length);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((row) => row[column('id')])).toEqual(events.map((item) => item.id));
    expect(rows.map((row) => row[column('at')])).toEqual(
      events.map((item) => new Date(item.at).toISOString()),
    );
    expect(rows[0]?.[column('context.userAgent')]).toBe(FULL.context?.userAgent);
    // A cell that a spreadsheet would run as a formula is defused.
    expect(rows[0]?.[column('context.deviceId')]).toBe(`'${FULL.context?.deviceId ?? ''}`);
  });

  it('refuses an unknown format', () => {
    const log = makeLog();
    expect(() => log.export({ tenantId: 'acme' }, 'xml' as 'csv')).toThrow(TypeError);
  });
});

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < input.length; index += 1) {
    const char = input[index];
    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && input[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  return rows;
}
