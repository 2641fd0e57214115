// Exports are what auditors take away: they must equal the query, parse back, and stream (a
// million-event export must not need a million events of memory).
import { type AuditEvent, exportAudit, MemoryAuditLog } from '@checkpoint/core';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { seedAuditEvents } from '../testing/index.js';
import { usePool } from './fixtures/db.js';
import { PostgresAuditLog } from './PostgresAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const db = usePool();

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

const EVENTS: AuditEvent[] = [
  {
    id: 'ae_x1',
    type: 'verification.checked',
    at: NOW - 5_000,
    tenantId: 'acme',
    verificationId: 'vf_x',
    purpose: 'billing_change',
    channel: 'sms',
    destination: {
      kind: 'phone',
      hash: 'k1:9f86d08',
      masked: '+1 \u2022\u2022\u2022 0100',
      country: 'US',
    },
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 "quoted", with comma\nand newline',
      deviceId: '=cmd|calc',
    },
    result: 'failed',
    reasons: ['velocity:ip', 'code:wrong'],
    latencyMs: 1_234,
    data: { keys: 'a,b', count: 2, ok: true },
  },
  {
    id: 'ae_x2',
    type: 'verification.approved',
    at: NOW - 4_000,
    tenantId: 'acme',
    verificationId: 'vf_x',
  },
  {
    id: 'ae_x3',
    type: 'tenant.configured',
    at: NOW - 3_000,
    tenantId: 'acme',
    data: { keys: 'locale' },
  },
];

describe('PostgresAuditLog.export', () => {
  it('equals the query, in CSV and in JSON lines, byte for byte like MemoryAuditLog', async () => {
    const log = new PostgresAuditLog({
      pool: db.pool(),
      table: db.table('export'),
      now: () => NOW,
      pageSize: 2,
    });
    await log.migrate();
    const memory = new MemoryAuditLog();
    for (const item of [...EVENTS].reverse()) {
      await log.append(item);
      await memory.append(item);
    }
    await log.append({ ...EVENTS[0], id: 'ae_other_tenant', tenantId: 'globex' } as AuditEvent);
    for (const format of ['csv', 'jsonl'] as const) {
      const exported = await text(log.export({ tenantId: 'acme' }, format));
      expect(exported).toBe(await text(exportAudit(log.query({ tenantId: 'acme' }), format)));
      expect(exported).toBe(await text(memory.export({ tenantId: 'acme' }, format)));
    }
    const lines = (await text(log.export({ tenantId: 'acme' }, 'jsonl'))).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(EVENTS);
    const ranged = await text(
      log.export({ tenantId: 'acme', from: NOW - 4_000, to: NOW - 3_000 }, 'jsonl'),
    );
    expect(
      ranged
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as AuditEvent).id),
    ).toEqual(['ae_x2']);
  });

  it('streams 100,000 events with memory growth far below the size of the export', async () => {
    const table = db.table('stream');
    const log = new PostgresAuditLog({ pool: db.pool(), table, now: () => NOW });
    await log.migrate();
    const count = 100_000;
    await seedAuditEvents(db.pool(), {
      table,
      tenantId: 'bulk',
      count,
      from: NOW - 3_600_000,
      stepMs: 10,
    });
    // A full collection before each sample: what is measured is what the export retains, not
    // garbage the collector has not reached yet.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let bytes = 0;
    let lines = 0;
    for await (const chunk of log.export({ tenantId: 'bulk' }, 'jsonl')) {
      bytes += chunk.length;
      lines += 1;
      if (lines % 10_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(lines).toBe(count);
    expect(bytes).toBeGreaterThan(40_000_000);
    // Holding the export (or the rows) would retain more than the bytes exported; a stream
    // retains one page (1,000 rows, about half a megabyte).
    expect(peak).toBeLessThan(bytes / 20);
  });
});
