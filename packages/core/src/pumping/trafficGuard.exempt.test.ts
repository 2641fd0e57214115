// Threat to the team itself: its own test phones and the sandbox's fiction numbers refused as pumping.
import { describe, expect, it } from 'vitest';
import type { ConversionThrottle } from '../index.js';
import { harness } from '../testing/harness.js';

/** A send is judged once its minute ended 90 s ago: 150 s after a send at the top of a minute. */
const JUDGED = 150_000;

/** The i-th number of one block of Great Britain's mobile numbers (`+44740099`). */
const inBlock = (i: number) => `+44740099${String(i).padStart(4, '0')}`;
/** NANP fiction numbers, `+1 212 555 0100`–`0199`: one block. */
const fiction = (i: number) => `+12125550${100 + i}`;

function setup() {
  const throttles: ConversionThrottle[] = [];
  const h = harness({ pumping: { onThrottle: (event) => void throttles.push(event) } });
  // Every send from one /24, hosts of their own: a network that would close too.
  const send = (to: string, i: number, tenantId?: string) =>
    h.checkpoint.send({
      to,
      purpose: 'signup',
      context: { ip: `198.51.100.${(i % 250) + 1}` },
      ...(tenantId === undefined ? {} : { tenantId }),
    });
  return { ...h, throttles, send };
}

describe('pumping.allow', () => {
  it("skips every pumping guard for the tenant's own numbers and ranges", async () => {
    const { checkpoint, clock, send, throttles } = setup();
    await checkpoint.configure('default', {
      pumping: { allow: ['+44740099', '+448712345678'] },
    });
    await checkpoint.configure('other', {});
    // Past the burst limit of one block, then judged: nothing refused, nothing counted.
    for (let i = 0; i < 25; i += 1) {
      await expect(send(inBlock(i), i)).resolves.toMatchObject({ status: 'pending' });
    }
    await clock.advance(JUDGED);
    await expect(send(inBlock(25), 25)).resolves.toMatchObject({ status: 'pending' });
    // A premium-rate number the tenant allows by name.
    await expect(send('+448712345678', 26)).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toEqual([]);
    // Another tenant gets no such pass.
    await expect(send('+448712345678', 27, 'other')).rejects.toMatchObject({
      reasons: ['pumping:line_type:premium_rate'],
    });
  });

  it('does not count its sends for the other tenants of the Store', async () => {
    const { checkpoint, clock, send } = setup();
    await checkpoint.configure('tester', { pumping: { allow: ['+44740099'] } });
    for (let i = 0; i < 20; i += 1) await send(inBlock(i), i, 'tester');
    await clock.advance(JUDGED);
    await expect(send(inBlock(20), 20)).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('NANP fiction numbers', () => {
  it('are left alone by the counting guard: no burst, no conversion', async () => {
    const { clock, send, throttles } = setup();
    for (let i = 0; i < 40; i += 1) {
      await expect(send(fiction(i), i)).resolves.toMatchObject({ status: 'pending' });
    }
    await clock.advance(JUDGED);
    await expect(send(fiction(40), 40)).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toEqual([]);
  });

  it('are still gated by line type: +1 900 555 0100 is premium-rate all the same', async () => {
    const { send } = setup();
    await expect(send('+19005550100', 0)).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:line_type:premium_rate'],
    });
  });

  it('are only the 555 01XX range: its neighbours are counted', async () => {
    const { checkpoint, send } = setup();
    await checkpoint.configure('default', {
      pumping: { conversionMinPercent: 0, prefixBurst: { limit: 3, windowSeconds: 600 } },
    });
    for (let i = 0; i < 3; i += 1) await send(`+1212555020${i}`, i);
    await expect(send('+12125550203', 3)).rejects.toMatchObject({
      reasons: ['pumping:prefix_burst'],
    });
    await expect(send(fiction(0), 4)).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('turning the counting guard off for a tenant', () => {
  it('conversionMinPercent: 0 turns conversion off, and leaves the bursts on', async () => {
    const { checkpoint, clock, send } = setup();
    await checkpoint.configure('off', { pumping: { conversionMinPercent: 0 } });
    // The default tenant's unanswered sends close the block and the network…
    for (let i = 0; i < 10; i += 1) await send(inBlock(i), i);
    await clock.advance(JUDGED);
    await expect(send(inBlock(10), 10)).rejects.toMatchObject({
      reasons: ['pumping:conversion:prefix'],
    });
    // …not for a tenant that judges no conversion.
    for (let i = 11; i < 20; i += 1) {
      await expect(send(inBlock(i), i, 'off')).resolves.toMatchObject({ status: 'pending' });
    }
    // The block's burst limit still holds: 20 sends in ten minutes (the refused one included).
    await expect(send(inBlock(20), 20, 'off')).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['pumping:prefix_burst'],
    });
  });

  it('enabled: false turns every pumping refusal off', async () => {
    const { checkpoint, clock, send } = setup();
    await checkpoint.configure('default', { pumping: { enabled: false } });
    for (let i = 0; i < 25; i += 1) await send(inBlock(i), i);
    await clock.advance(JUDGED);
    await expect(send(inBlock(25), 25)).resolves.toMatchObject({ status: 'pending' });
    await expect(send('+448712345678', 26)).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('approvals of sends that were not counted', () => {
  it('do not count either: approved fiction numbers neither lift a country nor prove a network', async () => {
    const { checkpoint, clock, codeFor } = setup();
    const us = (i: number) => `+1415${200 + i}1234`;
    for (let i = 0; i < 20; i += 1)
      await checkpoint.send({ to: us(i), purpose: 'signup', context: { ip: `192.0.${i}.1` } });
    for (let i = 0; i < 10; i += 1) {
      const context = { ip: `203.0.113.${i + 1}` };
      const { id } = await checkpoint.send({ to: fiction(i), purpose: 'signup', context });
      await checkpoint.check({ id, code: codeFor(fiction(i)), context });
    }
    await clock.advance(JUDGED);
    // The country saw 20 judged sends and no approval of its own.
    await expect(
      checkpoint.send({ to: us(20), purpose: 'signup', context: { ip: '203.0.113.50' } }),
    ).rejects.toMatchObject({ code: 'country_blocked', reasons: ['pumping:conversion:country'] });
  });

  it('do not count for a tenant whose conversion guard is off', async () => {
    const { checkpoint, clock, codeFor } = setup();
    await checkpoint.configure('lenient', { pumping: { conversionMinPercent: 0 } });
    const us = (i: number) => `+1415${200 + i}1234`;
    for (let i = 0; i < 20; i += 1)
      await checkpoint.send({ to: us(i), purpose: 'signup', context: { ip: `192.0.${i}.1` } });
    for (let i = 20; i < 30; i += 1) {
      const { id } = await checkpoint.send({
        to: us(i),
        purpose: 'signup',
        tenantId: 'lenient',
        context: { ip: `192.0.${i}.1` },
      });
      await checkpoint.check({ id, code: codeFor(us(i)) });
    }
    await clock.advance(JUDGED);
    await expect(
      checkpoint.send({ to: us(40), purpose: 'signup', context: { ip: '203.0.113.50' } }),
    ).rejects.toMatchObject({ code: 'country_blocked' });
  });
});
