import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventType, AuditQuery } from './AuditEvent.js';
import { MemoryAuditLog } from './MemoryAuditLog.js';

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function collect(log: MemoryAuditLog, query: AuditQuery): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const item of log.query(query)) events.push(item);
  return events;
}

describe('MemoryAuditLog.append and byVerification', () => {
  it('returns the events of one verification in the order they were appended', async () => {
    const log = new MemoryAuditLog();
    const types: AuditEventType[] = [
      'verification.requested',
      'verification.dispatched',
      'verification.checked',
      'verification.approved',
    ];
    for (const [index, type] of types.entries()) {
      await log.append(event({ at: 1_000 + index, type, verificationId: 'vf_a' }));
    }
    await log.append(event({ at: 1_001, verificationId: 'vf_b' }));
    const events = await log.byVerification('vf_a');
    expect(events.map((item) => item.type)).toEqual(types);
    expect(await log.byVerification('vf_b')).toHaveLength(1);
  });

  it('returns an empty list for an unknown verification', async () => {
    expect(await new MemoryAuditLog().byVerification('vf_none')).toEqual([]);
  });

  it('returns a verification\u2019s events oldest first even when they were appended out of order', async () => {
    // The AuditLog contract: "The events of one verification, oldest first".
    const log = new MemoryAuditLog();
    await log.append(event({ at: 2_000, type: 'verification.checked', verificationId: 'vf_a' }));
    await log.append(event({ at: 1_000, type: 'verification.requested', verificationId: 'vf_a' }));
    const events = await log.byVerification('vf_a');
    expect(events.map((item) => item.at)).toEqual([1_000, 2_000]);
  });

  it('stores a copy, so changing the appended object afterwards changes nothing', async () => {
    const log = new MemoryAuditLog();
    const original = event({ at: 1_000, verificationId: 'vf_a', reasons: ['velocity:ip'] });
    await log.append(original);
    original.reasons?.push('tampered');
    original.result = 'approved';
    const [stored] = await log.byVerification('vf_a');
    expect(stored?.reasons).toEqual(['velocity:ip']);
    expect(stored?.result).toBeUndefined();
  });

  it('returns copies, so changing a returned event does not change the log', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 1_000, verificationId: 'vf_a', result: 'failed' }));
    const [first] = await log.byVerification('vf_a');
    if (first) first.result = 'approved';
    const [fromQuery] = await collect(log, { tenantId: 'acme' });
    if (fromQuery) fromQuery.result = 'approved';
    expect((await log.byVerification('vf_a'))[0]?.result).toBe('failed');
    expect((await collect(log, { tenantId: 'acme' }))[0]?.result).toBe('failed');
  });

  it('keeps events without a verification id out of byVerification but in queries', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 1_000, type: 'tenant.configured' }));
    expect(await collect(log, { tenantId: 'acme' })).toHaveLength(1);
    expect(log.dump()).toContain('tenant.configured');
  });
});

describe('MemoryAuditLog.query', () => {
  it('returns only the events of the requested tenant', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 1, tenantId: 'acme', id: 'ae_acme' }));
    await log.append(event({ at: 2, tenantId: 'globex', id: 'ae_globex' }));
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.id)).toEqual(['ae_acme']);
    expect((await collect(log, { tenantId: 'globex' })).map((item) => item.id)).toEqual([
      'ae_globex',
    ]);
    expect(await collect(log, { tenantId: 'initech' })).toEqual([]);
  });

  it('includes events at `from` and excludes events at `to`', async () => {
    const log = new MemoryAuditLog();
    for (const at of [999, 1_000, 1_500, 1_999, 2_000, 2_001]) await log.append(event({ at }));
    const ats = (await collect(log, { tenantId: 'acme', from: 1_000, to: 2_000 })).map(
      (item) => item.at,
    );
    expect(ats).toEqual([1_000, 1_500, 1_999]);
  });

  it('leaves a range open on the side that is not given', async () => {
    const log = new MemoryAuditLog();
    for (const at of [1, 2, 3]) await log.append(event({ at }));
    expect((await collect(log, { tenantId: 'acme', from: 2 })).map((item) => item.at)).toEqual([
      2, 3,
    ]);
    expect((await collect(log, { tenantId: 'acme', to: 2 })).map((item) => item.at)).toEqual([1]);
  });

  it('returns nothing for an empty range', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 5 }));
    expect(await collect(log, { tenantId: 'acme', from: 5, to: 5 })).toEqual([]);
  });

  it('filters by event type', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 1, type: 'verification.requested' }));
    await log.append(event({ at: 2, type: 'verification.blocked' }));
    await log.append(event({ at: 3, type: 'verification.approved' }));
    await log.append(event({ at: 4, type: 'verification.blocked' }));
    const blocked = await collect(log, {
      tenantId: 'acme',
      types: ['verification.blocked', 'verification.approved'],
    });
    expect(blocked.map((item) => item.at)).toEqual([2, 3, 4]);
    expect(await collect(log, { tenantId: 'acme', types: [] })).toEqual([]);
  });

  it('returns out-of-order appends sorted by time', async () => {
    const log = new MemoryAuditLog();
    for (const at of [5, 1, 4, 2, 3, 0]) await log.append(event({ at }));
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.at)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
  });

  it('keeps events with the same time in the order they were appended', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 7, id: 'ae_first' }));
    await log.append(event({ at: 9, id: 'ae_later' }));
    await log.append(event({ at: 7, id: 'ae_second' }));
    expect((await collect(log, { tenantId: 'acme' })).map((item) => item.id)).toEqual([
      'ae_first',
      'ae_second',
      'ae_later',
    ]);
  });
});

describe('MemoryAuditLog.export', () => {
  it('exports the selected events as JSON lines', async () => {
    const log = new MemoryAuditLog();
    const first = event({ at: 1_000, tenantId: 'acme', verificationId: 'vf_a' });
    const second = event({ at: 2_000, tenantId: 'acme', type: 'verification.approved' });
    await log.append(second);
    await log.append(first);
    await log.append(event({ at: 1_500, tenantId: 'globex' }));
    let text = '';
    for await (const chunk of log.export({ tenantId: 'acme' }, 'jsonl')) text += chunk;
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([first, second]);
  });

  it('exports the selected events as CSV with a header', async () => {
    const log = new MemoryAuditLog();
    await log.append(event({ at: 0, id: 'ae_csv' }));
    let text = '';
    for await (const chunk of log.export({ tenantId: 'acme' }, 'csv')) text += chunk;
    const lines = text.split('\r\n');
    expect(lines[0]?.startsWith('id,at,type,tenantId')).toBe(true);
    expect(
      lines[1]?.startsWith('ae_csv,1970-01-01T00:00:00.000Z,verification.requested,acme'),
    ).toBe(true);
  });
});
