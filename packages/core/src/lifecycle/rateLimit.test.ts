import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

describe('rateLimit', () => {
  it('allows up to the limit in a window, then tells how long to wait, and resets with the window', async () => {
    const { checkpoint, clock } = harness();
    const rule = { key: 'failed-check:ip:abc', limit: 2, windowSeconds: 60 };
    expect(await checkpoint.rateLimit(rule)).toEqual({ allowed: true });
    expect(await checkpoint.rateLimit(rule)).toEqual({ allowed: true });
    await clock.advance(15_000);
    expect(await checkpoint.rateLimit(rule)).toEqual({ allowed: false, retryAfter: 45 });
    expect(await checkpoint.rateLimit({ ...rule, cost: 0 })).toEqual({
      allowed: false,
      retryAfter: 45,
    });
    await clock.advance(45_000);
    expect(await checkpoint.rateLimit({ ...rule, cost: 0 })).toEqual({ allowed: true });
  });

  it('keeps app counters apart from core’s own counters', async () => {
    const { checkpoint, store } = harness();
    await checkpoint.rateLimit({ key: 'tenant:default:3600', limit: 1, windowSeconds: 3_600 });
    // Core's tenant counter is untouched: a send still goes through.
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'login' })).resolves.toMatchObject({
      status: 'pending',
    });
    expect(store.dump()).toContain('app:tenant:default:3600');
  });

  it('refuses malformed keys and limits with invalid_request', async () => {
    const { checkpoint } = harness();
    await expect(
      checkpoint.rateLimit({ key: 'has space', limit: 1, windowSeconds: 1 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      checkpoint.rateLimit({ key: 'k', limit: 0, windowSeconds: 1 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('rateLimit as a failure budget (lockSeconds)', () => {
  it('counts failures, locks at the limit for lockSeconds, then twice as long', async () => {
    const { checkpoint, clock } = harness();
    const budget = { key: 'login-failures:u1', limit: 2, windowSeconds: 3_600, lockSeconds: 30 };
    expect(await checkpoint.rateLimit(budget)).toEqual({ allowed: true });
    expect(await checkpoint.rateLimit(budget)).toEqual({ allowed: true });
    expect(await checkpoint.rateLimit({ ...budget, cost: 0 })).toEqual({
      allowed: false,
      retryAfter: 30,
    });
    await clock.advance(30_000);
    expect(await checkpoint.rateLimit(budget)).toEqual({ allowed: true });
    expect(await checkpoint.rateLimit(budget)).toEqual({ allowed: true });
    expect(await checkpoint.rateLimit(budget)).toEqual({ allowed: false, retryAfter: 60 });
  });

  it('refuses a lockSeconds that is not a whole number of seconds', async () => {
    const { checkpoint } = harness();
    await expect(
      checkpoint.rateLimit({ key: 'k', limit: 1, windowSeconds: 60, lockSeconds: -1 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
