// Threat: pumping spread thinly enough to pass every rate limit, given away by codes nobody enters.
import { describe, expect, it } from 'vitest';
import type {
  AuditEvent,
  AuditLog,
  CounterReadResult,
  CounterReads,
  CounterRule,
  TransitionInput,
} from '../index.js';
import { MemoryStore } from '../index.js';
import { JUDGED, pumpingHarness } from './fixtures/pumpingHarness.js';

const MINUTE = 60_000;

/** The i-th number of one block of 10,000 mobile numbers (`+44791112`). */
const inBlock = (i: number) => `+44791112${String(i).padStart(4, '0')}`;
/** The i-th number of a block of Great Britain (`+447911` is Guernsey's). */
const inBritishBlock = (i: number) => `+44740099${String(i).padStart(4, '0')}`;
/** Mobile numbers of Tajikistan, each in a block of its own. */
const sprayed = (i: number) => `+99290${String(i).padStart(3, '0')}1234`;
/** Mobile numbers of Great Britain, each in a block of its own. */
const british = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;

/** A MemoryStore that remembers the verifications a send canceled. */
class CancelWatchingStore extends MemoryStore {
  readonly canceled: string[] = [];

  override transition(input: TransitionInput) {
    if (input.to === 'canceled') this.canceled.push(input.id);
    return super.transition(input);
  }
}

/** The default guards, with each send from a /24 of its own, and a way to approve one. */
function setup(store: MemoryStore = new MemoryStore()) {
  const h = pumpingHarness({ store });
  const sendAndApprove = async (to: string) => {
    const { id } = await h.send(to);
    return h.checkpoint.check({ id, code: h.codeFor(to) });
  };
  return { ...h, store, sendAndApprove };
}

async function eventsOf(auditLog: AuditLog, type: AuditEvent['type']): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of auditLog.query({ tenantId: 'default', types: [type] }))
    events.push(event);
  return events;
}

describe('conversion guard, per prefix block', () => {
  it('closes a block whose 8 judged codes were never entered, and says so once', async () => {
    const store = new CancelWatchingStore();
    const { clock, send, throttles, auditLog, sms } = setup(store);
    for (let i = 0; i < 8; i += 1) await send(inBlock(i));
    await clock.advance(JUDGED);
    const closedAt = clock.now();
    for (let i = 8; i < 13; i += 1) {
      await expect(send(inBlock(i))).rejects.toMatchObject({
        code: 'fraud_detected',
        reasons: ['pumping:conversion:prefix'],
        retryAfter: 900,
      });
      await clock.advance(MINUTE);
    }
    // No code left for a refused send, and the verification its store step created is canceled.
    expect(sms.messages).toHaveLength(8);
    expect(store.canceled).toHaveLength(5);
    for (const id of store.canceled) {
      expect(await store.get(id)).toMatchObject({ status: 'canceled' });
    }
    expect(throttles).toEqual([
      {
        tenantId: 'default',
        scope: 'prefix',
        range: '+44791112',
        sends: 8,
        approvals: 0,
        minPercent: 20,
        at: closedAt,
      },
    ]);
    expect(await eventsOf(auditLog, 'pumping.throttled')).toEqual([
      expect.objectContaining({
        type: 'pumping.throttled',
        tenantId: 'default',
        at: closedAt,
        result: 'prefix',
        reasons: ['pumping:conversion:prefix'],
        data: { range: '+44791112', sends: 8, approvals: 0, minPercent: 20 },
      }),
    ]);
    const blocked = await eventsOf(auditLog, 'verification.blocked');
    expect(blocked).toHaveLength(5);
    expect(blocked[0]).toMatchObject({
      result: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
    });
    // A number elsewhere is not affected.
    await expect(send(british(1))).resolves.toMatchObject({ status: 'pending' });
  });

  it('does not judge a block on 7 sends', async () => {
    const { clock, send, throttles } = setup();
    for (let i = 0; i < 7; i += 1) await send(inBlock(i));
    await clock.advance(JUDGED);
    await expect(send(inBlock(7))).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toEqual([]);
  });

  it('never closes a block whose users enter their codes', async () => {
    const { sendAndApprove, clock, throttles } = setup();
    for (let i = 0; i < 45; i += 1) {
      await expect(sendAndApprove(inBlock(i))).resolves.toMatchObject({ status: 'approved' });
      await clock.advance(30_000);
    }
    expect(throttles).toEqual([]);
  });

  it('keeps a block open at a fifth of its codes entered, and closes it below that', async () => {
    const { send, sendAndApprove, clock } = setup();
    // 2 approvals of 10 judged sends: exactly 20 %.
    for (let i = 0; i < 2; i += 1) await sendAndApprove(inBlock(i));
    for (let i = 2; i < 10; i += 1) await send(inBlock(i));
    await clock.advance(JUDGED);
    await expect(send(inBlock(10))).resolves.toMatchObject({ status: 'pending' });
    // That send makes 11 once its own minute is judged: 2 of 11 is below a fifth.
    await clock.advance(2 * MINUTE);
    await expect(send(inBlock(11))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
  });

  it('keeps an attacked block closed while the attack lasts, and reopens it on its own', async () => {
    const { send, clock, throttles } = setup();
    for (let i = 0; i < 8; i += 1) await send(inBlock(i));
    // The attack goes on for an hour, two minutes apart: every attempt is refused, and counts for
    // the block, so its judged window never runs out of unanswered sends.
    await clock.advance(JUDGED);
    for (let minute = 0; minute < 60; minute += 2) {
      await expect(send(inBlock(100 + minute))).rejects.toMatchObject({
        reasons: ['pumping:conversion:prefix'],
      });
      await clock.advance(2 * MINUTE);
    }
    // Told again once a cooldown has passed, not at every attempt.
    expect(throttles.length).toBeGreaterThan(1);
    expect(throttles.length).toBeLessThanOrEqual(5);
    // The attack stops; once its sends age out of the 30-minute window the block reopens.
    await clock.advance(31 * MINUTE);
    await expect(send(inBlock(999))).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('conversion guard, per country', () => {
  it('closes a country sprayed at random, block by block, with country_blocked', async () => {
    const { clock, send, throttles } = setup();
    for (let i = 0; i < 20; i += 1) await send(sprayed(i));
    await clock.advance(JUDGED);
    await expect(send(sprayed(20))).rejects.toMatchObject({
      code: 'country_blocked',
      reasons: ['pumping:conversion:country'],
      retryAfter: 900,
    });
    expect(throttles).toMatchObject([{ scope: 'country', range: 'TJ', sends: 20, approvals: 0 }]);
    await expect(send(british(1))).resolves.toMatchObject({ status: 'pending' });
  });

  it('does not close a country to its users because one of its blocks is attacked', async () => {
    const { clock, send, sendAndApprove, throttles } = setup();
    // Ten minutes of an attack on one block (6 a minute), among real users entering their codes.
    for (let minute = 0; minute < 10; minute += 1) {
      for (let i = 0; i < 6; i += 1)
        await send(inBritishBlock(minute * 6 + i)).catch(() => undefined);
      for (let i = 0; i < 3; i += 1) {
        await expect(sendAndApprove(british(minute * 3 + i))).resolves.toMatchObject({
          status: 'approved',
        });
      }
      await clock.advance(MINUTE);
    }
    await clock.advance(JUDGED);
    await expect(sendAndApprove(british(99))).resolves.toMatchObject({ status: 'approved' });
    await expect(send(inBritishBlock(99))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    expect(throttles.map((event) => event.scope)).toEqual(['prefix']);
  });

  it('closes a country converting well once a flood of unanswered sends drags it below a fifth', async () => {
    const { clock, send, sendAndApprove, throttles } = setup();
    for (let i = 0; i < 20; i += 1) await sendAndApprove(sprayed(i));
    await clock.advance(MINUTE);
    for (let i = 20; i < 100; i += 1) await send(sprayed(i));
    // 20 approvals of 100 judged sends: a fifth exactly, still open.
    await clock.advance(JUDGED);
    await expect(send(sprayed(100))).resolves.toMatchObject({ status: 'pending' });
    await expect(send(sprayed(101))).resolves.toMatchObject({ status: 'pending' });
    // Once those two are judged: 20 of 102.
    await clock.advance(2 * MINUTE);
    await expect(send(sprayed(102))).rejects.toMatchObject({ code: 'country_blocked' });
    expect(throttles).toMatchObject([{ scope: 'country', range: 'TJ', sends: 102, approvals: 20 }]);
  });

  it('does not count a send refused for its block as a send of its country', async () => {
    const { checkpoint, clock, send } = setup();
    // No burst limit in the way: the conversion refusal is under test.
    await checkpoint.configure('default', {
      pumping: { prefixBurst: { limit: 1_000, windowSeconds: 600 } },
    });
    for (let i = 0; i < 8; i += 1) await send(inBritishBlock(i));
    await clock.advance(JUDGED);
    // 15 refused attempts on the closed block: counted, they would make the country 23 sends.
    for (let i = 8; i < 23; i += 1) {
      await expect(send(inBritishBlock(i))).rejects.toMatchObject({
        reasons: ['pumping:conversion:prefix'],
      });
    }
    await clock.advance(2 * MINUTE);
    await expect(send(british(1))).resolves.toMatchObject({ status: 'pending' });
    // 11 more sends the country does take are enough to close it: 8 + 1 + 11 = 20.
    for (let i = 2; i < 13; i += 1) await send(british(i));
    await clock.advance(JUDGED);
    await expect(send(british(99))).rejects.toMatchObject({
      reasons: ['pumping:conversion:country'],
    });
  });
});

describe('conversion guard, per tenant', () => {
  it('applies thresholds per tenant to counts shared by all tenants', async () => {
    const { checkpoint, clock, send } = setup();
    await checkpoint.configure('other', {});
    await checkpoint.configure('patient', { pumping: { conversionPrefixMinSends: 50 } });
    // Half of the block's sends from each of two tenants: one count.
    for (let i = 0; i < 8; i += 1) await send(inBlock(i), i % 2 === 0 ? 'default' : 'other');
    await clock.advance(JUDGED);
    await expect(send(inBlock(8))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(send(inBlock(9), 'other')).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(send(inBlock(10), 'patient')).resolves.toMatchObject({ status: 'pending' });
  });

  it('lets a tenant judge a block sooner', async () => {
    const { checkpoint, clock, send } = setup();
    await checkpoint.configure('careful', {
      pumping: { conversionPrefixMinSends: 3, conversionMinPercent: 50 },
    });
    for (let i = 0; i < 3; i += 1) await send(inBlock(i), 'careful');
    await clock.advance(JUDGED);
    await expect(send(inBlock(3), 'careful')).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(send(inBlock(4))).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('approvals', () => {
  it('are counted in a store call of their own after the check; a failure there is logged, the check approved', async () => {
    class FailingApprovals extends MemoryStore {
      override hitCounters(
        rules: readonly CounterRule[],
        now: number,
        reads?: CounterReads,
      ): Promise<CounterReadResult> {
        // Only the approval's own call fails: no counters, approval tallies alone.
        if (rules.length === 0 && reads?.tallies?.every((op) => op.family === 'a') === true)
          return Promise.reject(new Error('connection reset'));
        return super.hitCounters(rules, now, reads);
      }
    }
    const { checkpoint, send, codeFor, logger } = setup(new FailingApprovals());
    const { id } = await send(inBlock(0));
    await expect(checkpoint.check({ id, code: codeFor(inBlock(0)) })).resolves.toMatchObject({
      status: 'approved',
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(logger.lines.some((line) => line.includes('could not count approvals'))).toBe(true);
  });

  it('count at the send they approve, so an answer after the grace still lands in its minute', async () => {
    const { checkpoint, clock, send, codeFor } = setup();
    const sent: Array<{ id: string; to: string }> = [];
    for (let i = 0; i < 8; i += 1) sent.push({ ...(await send(inBlock(i))), to: inBlock(i) });
    // Two users answer four minutes later: their sends are judged with their approvals.
    await clock.advance(4 * MINUTE);
    for (const { id, to } of sent.slice(0, 2)) {
      await expect(checkpoint.check({ id, code: codeFor(to) })).resolves.toMatchObject({
        status: 'approved',
      });
    }
    await expect(send(inBlock(8))).resolves.toMatchObject({ status: 'pending' });
  });
});
