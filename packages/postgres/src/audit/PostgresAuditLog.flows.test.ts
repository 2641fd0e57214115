// A compliance reviewer reads one verification's trail: every step, once, in order, with who,
// what, when and how — and never a code, a full phone number or an email.
import { type AuditEvent, type AuditLog, MemoryAuditLog } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { describe, expect, it } from 'vitest';
import { usePool } from './fixtures/db.js';
import {
  CONTEXT,
  EXPECTED_TRAILS,
  type FlowRun,
  PHONES,
  runFlows,
  trail,
} from './fixtures/flows.js';
import { PostgresAuditLog } from './PostgresAuditLog.js';

const db = usePool();

interface Sink {
  log: AuditLog & {
    export(query: { tenantId: string }, format: 'csv' | 'jsonl'): AsyncIterable<string>;
  };
  /** Everything the sink stores, as text. */
  dump(): Promise<string>;
}

const sinks: Record<string, (clock: ManualClock) => Promise<Sink>> = {
  MemoryAuditLog: async () => {
    const log = new MemoryAuditLog();
    return { log, dump: async () => log.dump() };
  },
  PostgresAuditLog: async (clock) => {
    const table = db.table('flows');
    const log = new PostgresAuditLog({ pool: db.pool(), table, now: () => clock.now() });
    await log.migrate();
    return {
      log,
      dump: async () =>
        (await db.pool().query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`)).rows
          .map((item) => item.row)
          .join('\n'),
    };
  },
};

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe.each(Object.keys(sinks))('the audit trail of each flow on %s', (name) => {
  let run: FlowRun;
  let sink: Sink;

  it('is complete and in order for approved, failed, fallback and expired verifications', async () => {
    const clock = new ManualClock();
    sink = await (sinks[name] as (clock: ManualClock) => Promise<Sink>)(clock);
    run = await runFlows(sink.log, clock);
    for (const flow of ['approved', 'failed', 'fallback', 'expired'] as const) {
      const events = await run.checkpoint.audit(run.ids[flow]);
      expect({ flow, trail: trail(events) }).toEqual({ flow, trail: [...EXPECTED_TRAILS[flow]] });
      const ats = events.map((event) => event.at);
      expect(ats).toEqual([...ats].sort((a, b) => a - b));
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      for (const event of events) {
        expect(event).toMatchObject({ tenantId: 'default', verificationId: run.ids[flow] });
        expect(event.purpose).toMatch(/^[a-z_]+$/);
        expect(event.destination).toMatchObject({ kind: 'phone', country: 'US' });
        expect(event.destination?.hash).toMatch(/\S{16,}/);
        expect(event.destination?.masked).not.toContain(PHONES[flow].slice(2));
      }
    }
    await run.checkpoint.close();
  });

  it('records who asked, on which device, with which consent, and how long each step took', async () => {
    const approved = await run.checkpoint.audit(run.ids.approved);
    const byType = (type: AuditEvent['type']) => approved.find((event) => event.type === type);
    for (const type of [
      'verification.requested',
      'verification.checked',
      'verification.approved',
    ] as const) {
      expect(byType(type)?.context).toEqual(CONTEXT);
    }
    expect(byType('verification.checked')).toMatchObject({ channel: 'sms', latencyMs: 1_500 });
    const fallback = await run.checkpoint.audit(run.ids.fallback);
    expect(fallback.find((event) => event.type === 'delivery.receipt')).toMatchObject({
      channel: 'sms',
      result: 'undelivered',
      latencyMs: 2_000,
      data: { errorCode: '30003' },
    });
    expect(fallback.find((event) => event.type === 'verification.fallback')).toMatchObject({
      channel: 'voice',
      reasons: ['receipt_undelivered'],
      data: { from: 'sms', to: 'voice' },
    });
    expect(
      fallback.filter((event) => event.type === 'verification.dispatched').map((e) => e.channel),
    ).toEqual(['sms', 'voice']);
  });

  it('records a blocked send with its reason, the masked destination and the request context', async () => {
    const blocked: AuditEvent[] = [];
    for await (const event of sink.log.query({
      tenantId: 'default',
      types: ['verification.blocked'],
    }))
      blocked.push(event);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      id: run.blockedEventId,
      purpose: 'signup',
      result: 'fraud_detected',
      reasons: ['pumping:prefix_conversion'],
      context: CONTEXT,
      destination: { kind: 'phone', country: 'US' },
    });
  });

  it('keeps every code, full phone number and email out of what it stores and exports', async () => {
    const places: Record<string, string> = {
      stored: await sink.dump(),
      jsonl: await text(sink.log.export({ tenantId: 'default' }, 'jsonl')),
      csv: await text(sink.log.export({ tenantId: 'default' }, 'csv')),
    };
    expect(run.codes.length).toBeGreaterThanOrEqual(5);
    for (const [place, stored] of Object.entries(places)) {
      expect(stored.length).toBeGreaterThan(1_000);
      for (const code of run.codes) {
        // The code as a token of its own: digits inside a timestamp or hash do not count.
        expect({
          place,
          code,
          found: new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(stored),
        }).toEqual({
          place,
          code,
          found: false,
        });
      }
      for (const phone of Object.values(PHONES)) {
        expect({ place, phone, found: stored.includes(phone.slice(2)) }).toEqual({
          place,
          phone,
          found: false,
        });
      }
      expect({ place, email: /[\w.+-]+@[\w-]+\.[\w.]+/.test(stored) }).toEqual({
        place,
        email: false,
      });
    }
  });
});
