// Threat to the on-call team: an alert for every refused attempt of an attack that lasts all night.
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../index.js';
import { type ConversionThrottle, MemoryStore } from '../index.js';
import { JUDGED, pumpingHarness } from './fixtures/pumpingHarness.js';

const MINUTE = 60_000;

/** The i-th number of block `b` of Great Britain's mobile numbers (`+4474009b`). */
const inBlock = (b: number, i: number) => `+4474009${b}${String(i).padStart(4, '0')}`;

function setup(
  options: { store?: MemoryStore; onThrottle?: (event: ConversionThrottle) => void } = {},
) {
  const { onThrottle, ...rest } = options;
  return pumpingHarness({
    ...rest,
    ...(onThrottle === undefined ? {} : { pumping: { onThrottle } }),
  });
}

describe('onThrottle', () => {
  it('is told once per range, tenant and cooldown, however many sends are refused', async () => {
    const { checkpoint, clock, send, throttles, auditLog } = setup();
    // No burst limit in the way of a long attack: the conversion refusal is under test.
    const pumping = { prefixBurst: { limit: 1_000, windowSeconds: 600 } };
    await checkpoint.configure('default', { pumping });
    await checkpoint.configure('other', { pumping });
    for (let i = 0; i < 8; i += 1) {
      await send(inBlock(1, i));
      await send(inBlock(2, i));
    }
    await clock.advance(JUDGED);
    const closedAt = clock.now();
    // Ten minutes of refused attempts on both blocks, from two tenants.
    for (let minute = 0; minute < 10; minute += 1) {
      for (const tenantId of ['default', 'other']) {
        for (const block of [1, 2]) {
          await expect(send(inBlock(block, 100 + minute), tenantId)).rejects.toMatchObject({
            reasons: ['pumping:conversion:prefix'],
          });
        }
      }
      await clock.advance(MINUTE);
    }
    const told = throttles.map(({ tenantId, range, at }) => ({ tenantId, range, at }));
    expect(told).toEqual([
      { tenantId: 'default', range: '+44740091', at: closedAt },
      { tenantId: 'default', range: '+44740092', at: closedAt },
      { tenantId: 'other', range: '+44740091', at: closedAt },
      { tenantId: 'other', range: '+44740092', at: closedAt },
    ]);
    // The audit trail has the same, per tenant.
    const events: AuditEvent[] = [];
    for await (const event of auditLog.query({ tenantId: 'default', types: ['pumping.throttled'] }))
      events.push(event);
    expect(events.map((event) => event.data?.range)).toEqual(['+44740091', '+44740092']);

    // The attack goes on past the cooldown (900 s): told again, once.
    await clock.advance(closedAt + 900_000 - clock.now());
    for (let i = 0; i < 3; i += 1) {
      await expect(send(inBlock(1, 200 + i))).rejects.toMatchObject({
        reasons: ['pumping:conversion:prefix'],
      });
    }
    expect(throttles.slice(4)).toMatchObject([
      { tenantId: 'default', range: '+44740091', at: closedAt + 900_000 },
    ]);
  });

  it('is told once when two checkpoints share the Store', async () => {
    const store = new MemoryStore();
    const throttles: ConversionThrottle[] = [];
    const onThrottle = (event: ConversionThrottle) => void throttles.push(event);
    const a = setup({ store, onThrottle });
    const b = setup({ store, onThrottle });
    for (let i = 0; i < 8; i += 1) await (i % 2 === 0 ? a : b).send(inBlock(1, i));
    await a.clock.advance(JUDGED);
    await b.clock.advance(JUDGED);
    await expect(a.send(inBlock(1, 8))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(b.send(inBlock(1, 9))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    expect(throttles).toHaveLength(1);
  });

  it('failing is logged, and the send is refused all the same', async () => {
    const { clock, send, logger } = setup({
      onThrottle: () => {
        throw new Error('pager down');
      },
    });
    for (let i = 0; i < 8; i += 1) await send(inBlock(1, i));
    await clock.advance(JUDGED);
    await expect(send(inBlock(1, 8))).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
    });
    expect(logger.lines.some((line) => line.includes('onThrottle callback failed'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('closed a destination range'))).toBe(true);
  });
});
