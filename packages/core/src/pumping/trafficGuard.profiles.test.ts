// Threat: a freshly created tenant (a pumping farm's own sign-up) or one IP/ASN driving many sends.
import { describe, expect, it } from 'vitest';
import { staticAsnResolver, trafficGuard, VELOCITY_PROFILES } from '../index.js';
import { harness } from '../testing/harness.js';

const DAY = 86_400_000;
/** Numbers in blocks of their own, so that only the velocity caps are under test. */
const spread = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;

describe('velocity profiles', () => {
  it('holds a strict tenant to 5 sends an hour from one IP; other tenants keep their own count', async () => {
    const { checkpoint } = harness({ guards: [trafficGuard()] });
    await checkpoint.configure('strict-co', { pumping: { profile: 'strict' } });
    const send = (i: number, tenantId?: string) =>
      checkpoint.send({
        to: spread(i),
        purpose: 'signup',
        context: { ip: '203.0.113.7' },
        ...(tenantId === undefined ? {} : { tenantId }),
      });
    for (let i = 0; i < 5; i += 1) await send(i, 'strict-co');
    const error = await send(5, 'strict-co').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'rate_limited', reasons: ['pumping:velocity:strict:ip'] });
    expect((error as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
    await expect(send(6)).resolves.toMatchObject({ status: 'pending' });
  });

  it('holds a strict tenant to 3 codes an hour to one number, below the standard 5', async () => {
    const { checkpoint, sms } = harness();
    await checkpoint.configure('strict-co', { pumping: { profile: 'strict' } });
    const send = (i: number, tenantId: string) =>
      checkpoint.send({
        to: spread(1),
        purpose: 'signup',
        tenantId,
        context: { ip: `198.51.${100 + i}.1` },
      });
    for (let i = 0; i < 3; i += 1) await send(i, 'strict-co');
    await expect(send(3, 'strict-co')).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['pumping:velocity:strict:destination'],
    });
    expect(sms.messages).toHaveLength(3);
    // The standard tenant's own caps still allow it.
    await expect(send(4, 'default')).resolves.toMatchObject({ status: 'pending' });
  });

  it('holds a new tenant to the strict profile until it is 14 days old', async () => {
    const { checkpoint, clock } = harness({ guards: [trafficGuard()] });
    await checkpoint.configure('fresh', { pumping: { createdAt: clock.now() - DAY } });
    await checkpoint.configure('old', { pumping: { createdAt: clock.now() - 30 * DAY } });
    const send = (i: number, tenantId: string) =>
      checkpoint.send({
        to: spread(i),
        purpose: 'signup',
        tenantId,
        context: { ip: '203.0.113.8' },
      });
    for (let i = 0; i < 5; i += 1) await send(i, 'fresh');
    await expect(send(5, 'fresh')).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['pumping:new_tenant:ip'],
    });
    for (let i = 10; i < 16; i += 1) await send(i, 'old');

    await clock.advance(14 * DAY);
    for (let i = 20; i < 26; i += 1) await send(i, 'fresh');
  });

  it('caps a new tenant as a whole', async () => {
    const { checkpoint, clock } = harness({ guards: [trafficGuard()] });
    // Conversion off: these codes are never entered, and the tenant cap is under test. Each send
    // from a network of its own, under the network burst limit.
    await checkpoint.configure('fresh', {
      pumping: { createdAt: clock.now(), conversionMinPercent: 0 },
    });
    const [hourly] = VELOCITY_PROFILES.strict.tenant;
    for (let i = 0; i < (hourly?.limit ?? 0); i += 1) {
      await checkpoint.send({
        to: spread(i),
        purpose: 'signup',
        tenantId: 'fresh',
        context: { ip: `10.${i >> 8}.${i & 255}.1` },
      });
    }
    await expect(
      checkpoint.send({ to: spread(999), purpose: 'signup', tenantId: 'fresh' }),
    ).rejects.toMatchObject({ reasons: ['pumping:new_tenant:tenant'] });
  });
});

describe('ASN resolution', () => {
  it('makes the per-ASN velocity caps apply to requests that carry only an IP', async () => {
    const asnResolver = staticAsnResolver([{ cidr: '198.51.100.0/24', asn: 64_501 }]);
    const { checkpoint } = harness({ asnResolver });
    await checkpoint.configure('default', {
      velocity: { asn: [{ limit: 3, windowSeconds: 600 }] },
    });
    const send = (i: number) =>
      checkpoint.send({ to: spread(i), purpose: 'signup', context: { ip: `198.51.100.${i + 1}` } });
    const first = await send(0);
    for (let i = 1; i < 3; i += 1) await send(i);
    await expect(send(3)).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['velocity:asn'],
    });
    const [requested] = await checkpoint.audit(first.id);
    expect(requested?.context).toEqual({ ip: '198.51.100.1', asn: 64_501 });
    // Another network, unknown to the resolver: no ASN, no ASN cap.
    await expect(
      checkpoint.send({ to: spread(9), purpose: 'signup', context: { ip: '192.0.2.1' } }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps the ASN the app passes, and survives a failing resolver', async () => {
    const { checkpoint, logger } = harness({
      asnResolver: {
        resolve: () => {
          throw new Error('database not loaded');
        },
      },
    });
    const kept = await checkpoint.send({
      to: spread(1),
      purpose: 'signup',
      context: { ip: '198.51.100.1', asn: 13_335 },
    });
    expect((await checkpoint.audit(kept.id))[0]?.context).toMatchObject({ asn: 13_335 });
    const unresolved = await checkpoint.send({
      to: spread(2),
      purpose: 'signup',
      context: { ip: '198.51.100.2' },
    });
    expect((await checkpoint.audit(unresolved.id))[0]?.context).toEqual({ ip: '198.51.100.2' });
    expect(logger.lines.some((line) => line.includes('ASN resolver failed'))).toBe(true);
  });
});
