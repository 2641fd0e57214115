// Threat to real users: a launch or a batch import judged before its users had time to type their codes.
import { describe, expect, it } from 'vitest';
import { type PumpingGuardsOptions, trafficGuard } from '../index.js';
import { pumpingHarness } from './fixtures/pumpingHarness.js';

const SECOND = 1_000;
const MINUTE = 60_000;

/** The i-th number of one block of Great Britain's mobile numbers (`+44740099`). */
const inBlock = (i: number) => `+44740099${String(i).padStart(4, '0')}`;

/** The default guards, each send from a /24 of its own, and no burst limit in a launch's way. */
async function setup(pumping: PumpingGuardsOptions = {}) {
  const h = pumpingHarness({ pumping });
  await h.checkpoint.configure('default', {
    pumping: { prefixBurst: { limit: 1_000, windowSeconds: 600 } },
  });
  return h;
}

describe('conversion grace', () => {
  it('does not close a block of 30 unanswered sends in one minute until that minute is 90 s old', async () => {
    const { clock, send, throttles } = await setup();
    for (let i = 0; i < 30; i += 1) {
      await send(inBlock(i));
      await clock.advance(2 * SECOND);
    }
    // At 60 s: the minute is over, and its users have until 150 s to answer.
    await clock.advance(89 * SECOND);
    await expect(send(inBlock(30))).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toEqual([]);
    await clock.advance(SECOND);
    await expect(send(inBlock(31))).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:prefix'],
    });
    expect(throttles).toMatchObject([{ scope: 'prefix', sends: 30, approvals: 0 }]);
  });

  it('keeps a launch open when its users answer within the grace', async () => {
    const { checkpoint, clock, send, codeFor, throttles } = await setup();
    const sent = [];
    for (let i = 0; i < 30; i += 1) sent.push(await send(inBlock(i)));
    // A minute later, 24 of the 30 have typed their codes.
    await clock.advance(MINUTE);
    for (const [i, { id }] of sent.slice(0, 24).entries()) {
      await expect(checkpoint.check({ id, code: codeFor(inBlock(i)) })).resolves.toMatchObject({
        status: 'approved',
      });
    }
    // The launch goes on, judged and open, minute after minute.
    for (let minute = 0; minute < 10; minute += 1) {
      await clock.advance(MINUTE);
      await expect(send(inBlock(100 + minute))).resolves.toMatchObject({ status: 'pending' });
    }
    expect(throttles).toEqual([]);
  });

  it('judges at the end of each minute with no grace', async () => {
    const { clock, send } = await setup({ conversionGraceSeconds: 0 });
    for (let i = 0; i < 8; i += 1) await send(inBlock(i));
    await clock.advance(59 * SECOND);
    await expect(send(inBlock(8))).resolves.toMatchObject({ status: 'pending' });
    await clock.advance(SECOND);
    await expect(send(inBlock(9))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
  });

  it('forgets sends older than the window', async () => {
    const { clock, send } = await setup({ conversionWindowSeconds: 600 });
    for (let i = 0; i < 8; i += 1) await send(inBlock(i));
    await clock.advance(150 * SECOND);
    await expect(send(inBlock(8))).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    // Ten minutes after the first minute began, only the one refused attempt is left to judge.
    await clock.advance(510 * SECOND);
    await expect(send(inBlock(9))).resolves.toMatchObject({ status: 'pending' });
  });

  it('refuses a window no longer than the grace, or of more than 240 buckets', () => {
    expect(() => trafficGuard({ conversionWindowSeconds: 90, conversionGraceSeconds: 90 })).toThrow(
      TypeError,
    );
    expect(() =>
      trafficGuard({ conversionWindowSeconds: 7_200, conversionBucketSeconds: 10 }),
    ).toThrow(TypeError);
    expect(() => trafficGuard({ conversionGraceSeconds: -1 })).toThrow(TypeError);
  });
});
