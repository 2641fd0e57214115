// Threat: pumping spread thinly enough to pass every rate limit, given away by codes nobody enters.
import { describe, expect, it } from 'vitest';
import type { CounterResult, CounterRule } from '../index.js';
import { type ConversionThrottle, MemoryStore, trafficGuard } from '../index.js';
import { harness } from '../testing/harness.js';

const inBlock = (i: number) => `+44791112${String(i).padStart(4, '0')}`;
/** Mobile numbers of Tajikistan, each in a block of its own. */
const sprayed = (i: number) => `+99290${String(i).padStart(3, '0')}1234`;
/** Mobile numbers of Great Britain, each in a block of its own. */
const british = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;
let address = 0;
const nextIp = () => {
  address += 1;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};

function setup(store = new MemoryStore()) {
  const throttles: ConversionThrottle[] = [];
  const h = harness({
    store,
    guards: [trafficGuard({ onThrottle: (event) => void throttles.push(event) })],
  });
  const send = (to: string, tenantId?: string) =>
    h.checkpoint.send({
      to,
      purpose: 'signup',
      context: { ip: nextIp() },
      ...(tenantId === undefined ? {} : { tenantId }),
    });
  const sendAndApprove = async (to: string) => {
    const { id } = await send(to);
    return h.checkpoint.check({ id, code: h.codeFor(to) });
  };
  return { ...h, throttles, send, sendAndApprove };
}

describe('conversion guard, per prefix block', () => {
  it('throttles a block whose codes are never entered, once it has 10 sends, and says so once', async () => {
    const { checkpoint, clock, send, throttles, auditLog } = setup();
    for (let i = 0; i < 9; i += 1) {
      await send(inBlock(i));
      await clock.advance(60_000);
    }
    for (let i = 9; i < 14; i += 1) {
      const error = await send(inBlock(i)).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'fraud_detected',
        reasons: ['pumping:conversion:prefix'],
      });
      expect((error as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
      await clock.advance(60_000);
    }
    expect(throttles).toEqual([
      {
        tenantId: 'default',
        scope: 'prefix',
        range: '+44791112',
        sends: 10,
        approvalsBelow: 2,
        minPercent: 20,
        at: expect.any(Number) as number,
        until: expect.any(Number) as number,
      },
    ]);
    expect((throttles[0]?.until ?? 0) - (throttles[0]?.at ?? 0)).toBe(1_800_000);
    const throttled = [];
    for await (const event of auditLog.query({ tenantId: 'default', types: ['pumping.throttled'] }))
      throttled.push(event);
    expect(throttled).toEqual([
      expect.objectContaining({
        type: 'pumping.throttled',
        tenantId: 'default',
        at: throttles[0]?.at,
        result: 'prefix',
        reasons: ['pumping:conversion:prefix'],
        data: {
          range: '+44791112',
          sends: 10,
          approvalsBelow: 2,
          minPercent: 20,
          until: throttles[0]?.until,
        },
      }),
    ]);
    const blocked = [];
    for await (const event of auditLog.query({
      tenantId: 'default',
      types: ['verification.blocked'],
    }))
      blocked.push(event);
    expect(blocked).toHaveLength(5);
    expect(blocked[0]).toMatchObject({
      result: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
    });
    // A number elsewhere is not affected.
    await expect(send('+447400123456')).resolves.toMatchObject({ status: 'pending' });
    void checkpoint;
  });

  it('never throttles a block whose users enter their codes', async () => {
    const { sendAndApprove, clock, throttles } = setup();
    for (let i = 0; i < 45; i += 1) {
      await expect(sendAndApprove(inBlock(i))).resolves.toMatchObject({ status: 'approved' });
      await clock.advance(30_000);
    }
    expect(throttles).toEqual([]);
  });

  it('keeps an attacked block closed while the attack lasts, and reopens it on its own', async () => {
    const { send, clock, throttles } = setup();
    for (let i = 0; i < 10; i += 1) await send(inBlock(i)).catch(() => undefined);
    expect(throttles).toHaveLength(1);
    // The attack goes on past the cooldown: refused attempts still count for the block.
    for (let minute = 0; minute < 45; minute += 5) {
      await clock.advance(5 * 60_000);
      await expect(send(inBlock(100 + minute))).rejects.toMatchObject({
        reasons: ['pumping:conversion:prefix'],
      });
    }
    expect(throttles).toHaveLength(2);
    // The attack stops; an hour later the judged window holds none of it.
    await clock.advance(60 * 60_000);
    await expect(send(inBlock(999))).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('conversion guard, per country', () => {
  it('throttles a country sprayed at random, block by block, with country_blocked', async () => {
    const { send, throttles } = setup();
    for (let i = 0; i < 19; i += 1) await send(sprayed(i));
    await expect(send(sprayed(19))).rejects.toMatchObject({
      code: 'country_blocked',
      reasons: ['pumping:conversion:country'],
    });
    expect(throttles).toMatchObject([
      { scope: 'country', range: 'TJ', sends: 20, approvalsBelow: 4 },
    ]);
    await expect(send('+447400123456')).resolves.toMatchObject({ status: 'pending' });
  });

  it('does not close a country to its users because one of its blocks is attacked', async () => {
    const { send, sendAndApprove, throttles } = setup();
    const attackBlock = (i: number) => `+44740099${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 60; i += 1) await send(attackBlock(i)).catch(() => undefined);
    for (let i = 0; i < 30; i += 1) {
      await expect(sendAndApprove(british(i))).resolves.toMatchObject({ status: 'approved' });
    }
    expect(throttles.map((event) => event.scope)).toEqual(['prefix']);
  });

  it('judges the volume ladder: a country converting well at 20 sends is throttled when a flood follows', async () => {
    const { send, sendAndApprove, throttles } = setup();
    for (let i = 0; i < 20; i += 1) await sendAndApprove(sprayed(i));
    let refused = 0;
    for (let i = 20; i < 200 && refused === 0; i += 1) {
      await send(sprayed(i)).catch(() => {
        refused = i;
      });
    }
    // 20 approvals carry the country to 99 sends (a fifth of 80 is 16, of 160 is 32).
    expect(refused).toBe(159);
    expect(throttles).toMatchObject([
      { scope: 'country', range: 'TJ', sends: 160, approvalsBelow: 32 },
    ]);
  });
});

describe('conversion guard, per tenant', () => {
  it('applies thresholds per tenant to counts shared by all tenants', async () => {
    const { checkpoint, send } = setup();
    await checkpoint.configure('lax', { pumping: { conversionMinPercent: 0 } });
    for (let i = 0; i < 10; i += 1) await send(inBlock(i)).catch(() => undefined);
    await expect(send(inBlock(10))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(send(inBlock(11), 'lax')).resolves.toMatchObject({ status: 'pending' });
  });

  it('lets a tenant judge a block sooner', async () => {
    const { checkpoint, send } = setup();
    await checkpoint.configure('careful', {
      pumping: { conversionPrefixMinSends: 3, conversionMinPercent: 50 },
    });
    await send(inBlock(0), 'careful');
    await send(inBlock(1), 'careful');
    await expect(send(inBlock(2), 'careful')).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    await expect(send(inBlock(3))).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('approvals', () => {
  it('are counted in one store call; a failure there is logged and the check still approves', async () => {
    class FailingApprovals extends MemoryStore {
      override hitCounters(rules: readonly CounterRule[], now: number): Promise<CounterResult> {
        // Only the approval's increments fail; the send's probes of the same keys go through.
        if (rules.some((rule) => rule.key.startsWith('pca:') && rule.cost === 1))
          return Promise.reject(new Error('connection reset'));
        return super.hitCounters(rules, now);
      }
    }
    const { checkpoint, send, codeFor, logger } = setup(new FailingApprovals());
    const { id } = await send(inBlock(0));
    await expect(checkpoint.check({ id, code: codeFor(inBlock(0)) })).resolves.toMatchObject({
      status: 'approved',
    });
    expect(logger.lines.some((line) => line.includes('could not count an approval'))).toBe(true);
  });
});
