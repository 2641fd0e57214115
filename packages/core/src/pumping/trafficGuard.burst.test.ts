// Threat: a sequential-number walk through one block, or a flood from one network, faster than any real sign-ups.
import { describe, expect, it } from 'vitest';
import { trafficGuard } from '../index.js';
import { harness } from '../testing/harness.js';

/** The i-th number of one block of 10,000 mobile numbers. */
const inBlock = (i: number) => `+44791112${String(i).padStart(4, '0')}`;
const ip = (i: number) => `198.51.100.${(i % 250) + 1}`;

function setup() {
  const h = harness({ guards: [trafficGuard()] });
  return h;
}

describe('prefix-burst detection', () => {
  it('refuses the 21st send to one block within 10 minutes, and only that block', async () => {
    const { checkpoint, clock } = setup();
    // Conversion off: the burst alone is under test.
    await checkpoint.configure('default', { pumping: { conversionMinPercent: 0 } });
    for (let i = 0; i < 20; i += 1) {
      await checkpoint.send({ to: inBlock(i), purpose: 'signup', context: { ip: ip(i) } });
      await clock.advance(5_000);
    }
    const error = await checkpoint
      .send({ to: inBlock(20), purpose: 'signup', context: { ip: ip(20) } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'rate_limited', reasons: ['pumping:prefix_burst'] });
    const retryAfter = (error as { retryAfter?: number }).retryAfter ?? 0;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    await expect(
      checkpoint.send({ to: '+447400123456', purpose: 'signup', context: { ip: ip(21) } }),
    ).resolves.toMatchObject({ status: 'pending' });

    await clock.advance(retryAfter * 1_000);
    await expect(
      checkpoint.send({ to: inBlock(22), purpose: 'signup', context: { ip: ip(22) } }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it("applies each tenant's own limit to the shared count", async () => {
    const { checkpoint } = setup();
    await checkpoint.configure('default', { pumping: { conversionMinPercent: 0 } });
    await checkpoint.configure('small', {
      pumping: { conversionMinPercent: 0, prefixBurst: { limit: 3, windowSeconds: 600 } },
    });
    for (let i = 0; i < 3; i += 1) {
      await checkpoint.send({ to: inBlock(i), purpose: 'signup', context: { ip: ip(i) } });
    }
    await expect(
      checkpoint.send({
        to: inBlock(3),
        purpose: 'signup',
        tenantId: 'small',
        context: { ip: ip(3) },
      }),
    ).rejects.toMatchObject({ code: 'rate_limited', reasons: ['pumping:prefix_burst'] });
    await expect(
      checkpoint.send({ to: inBlock(4), purpose: 'signup', context: { ip: ip(4) } }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it('counts a refused send nowhere else', async () => {
    const { checkpoint, sms } = setup();
    await checkpoint.configure('default', {
      pumping: { conversionMinPercent: 0, prefixBurst: { limit: 1, windowSeconds: 600 } },
    });
    await checkpoint.send({ to: inBlock(0), purpose: 'signup', context: { ip: ip(0) } });
    for (let i = 1; i < 5; i += 1) {
      await expect(
        checkpoint.send({ to: inBlock(i), purpose: 'signup', context: { ip: ip(i) } }),
      ).rejects.toMatchObject({ reasons: ['pumping:prefix_burst'] });
    }
    expect(sms.messages).toHaveLength(1);
  });

  it("counts an attempt the burst limit refused for its block's conversion", async () => {
    const { checkpoint, clock } = setup();
    await checkpoint.configure('default', {
      pumping: { prefixBurst: { limit: 5, windowSeconds: 60 } },
    });
    for (let i = 0; i < 10; i += 1) {
      await checkpoint
        .send({ to: inBlock(i), purpose: 'signup', context: { ip: ip(i) } })
        .catch(() => undefined);
    }
    // The burst window is long over; 5 sends and 5 refused attempts are judged, none answered.
    await clock.advance(150_000);
    await expect(
      checkpoint.send({ to: inBlock(10), purpose: 'signup', context: { ip: ip(10) } }),
    ).rejects.toMatchObject({ code: 'fraud_detected', reasons: ['pumping:conversion:prefix'] });
  });
});

describe('network-burst detection', () => {
  /** Numbers in blocks of their own: only the network fills up. */
  const spread = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;

  it('refuses the 31st send from one /24 within 5 minutes, and only that network', async () => {
    const { checkpoint, clock } = setup();
    await checkpoint.configure('default', { pumping: { conversionMinPercent: 0 } });
    for (let i = 0; i < 30; i += 1) {
      await checkpoint.send({ to: spread(i), purpose: 'signup', context: { ip: ip(i) } });
      await clock.advance(5_000);
    }
    const error = await checkpoint
      .send({ to: spread(30), purpose: 'signup', context: { ip: '198.51.100.251' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'rate_limited', reasons: ['pumping:network_burst'] });
    const retryAfter = (error as { retryAfter?: number }).retryAfter ?? 0;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    await expect(
      checkpoint.send({ to: spread(31), purpose: 'signup', context: { ip: '198.51.101.1' } }),
    ).resolves.toMatchObject({ status: 'pending' });

    await clock.advance(retryAfter * 1_000);
    await expect(
      checkpoint.send({ to: spread(32), purpose: 'signup', context: { ip: ip(32) } }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it('takes an IPv6 /48 as one network', async () => {
    const { checkpoint } = setup();
    await checkpoint.configure('default', {
      pumping: { conversionMinPercent: 0, networkBurst: { limit: 3, windowSeconds: 300 } },
    });
    for (let i = 0; i < 3; i += 1) {
      await checkpoint.send({
        to: spread(i),
        purpose: 'signup',
        context: { ip: `2001:db8:7:${i + 1}::1` },
      });
    }
    await expect(
      checkpoint.send({ to: spread(3), purpose: 'signup', context: { ip: '2001:db8:7:ff::9' } }),
    ).rejects.toMatchObject({ code: 'rate_limited', reasons: ['pumping:network_burst'] });
    await expect(
      checkpoint.send({ to: spread(4), purpose: 'signup', context: { ip: '2001:db8:8::1' } }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it('does not count a send without a client IP for any network', async () => {
    const { checkpoint } = setup();
    await checkpoint.configure('default', {
      pumping: { conversionMinPercent: 0, networkBurst: { limit: 1, windowSeconds: 300 } },
    });
    for (let i = 0; i < 3; i += 1) {
      await expect(checkpoint.send({ to: spread(i), purpose: 'signup' })).resolves.toMatchObject({
        status: 'pending',
      });
    }
    await checkpoint.send({ to: spread(3), purpose: 'signup', context: { ip: ip(3) } });
    await expect(
      checkpoint.send({ to: spread(4), purpose: 'signup', context: { ip: ip(4) } }),
    ).rejects.toMatchObject({ reasons: ['pumping:network_burst'] });
  });
});
