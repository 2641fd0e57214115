// Threat: guessing with parallel checks, or one check past the app's limit, must not get a code compared.
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';
const perIp = {
  key: 'failed-check:ip:abc',
  limit: 2,
  windowSeconds: 900,
  reason: 'failed_checks:ip',
};

describe('check with limits', () => {
  it('refuses with rate_limited, the limit’s reason and retryAfter before comparing the code', async () => {
    const { checkpoint, clock, codeFor, wrongFor } = harness();
    const first = await checkpoint.send({ to: TO, purpose: 'login' });
    await checkpoint.rateLimit(perIp);
    await checkpoint.check({ id: first.id, code: wrongFor(codeFor(TO)), limits: [perIp] });
    await clock.advance(100_000);
    const second = await checkpoint.send({ to: '+14155550111', purpose: 'login' });
    await expect(
      checkpoint.check({ id: second.id, code: codeFor('+14155550111'), limits: [perIp] }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 800,
      reasons: ['failed_checks:ip'],
      message: 'too many failed checks (failed_checks:ip); retry in 800 s',
    });
    expect((await checkpoint.get(second.id)).attempts).toBe(0);
  });

  it('charges the same counter as rateLimit with that key, and gives the unit back on approval', async () => {
    const { checkpoint, codeFor, wrongFor } = harness();
    const open = async (to: string) => ({
      to,
      id: (await checkpoint.send({ to, purpose: 'login' })).id,
    });
    const a = await open('+14155550101');
    const b = await open('+14155550102');
    const c = await open('+14155550103');
    expect(
      await checkpoint.check({ id: a.id, code: codeFor(a.to), limits: [perIp] }),
    ).toMatchObject({ status: 'approved' });
    expect(
      await checkpoint.check({ id: b.id, code: wrongFor(codeFor(b.to)), limits: [perIp] }),
    ).toMatchObject({ status: 'failed' });
    // One unit held (the approval gave its own back): one more fits, then the limit is reached.
    expect(await checkpoint.rateLimit({ ...perIp, cost: 0 })).toEqual({ allowed: true });
    await checkpoint.check({ id: c.id, code: wrongFor(codeFor(c.to)), limits: [perIp] });
    expect(await checkpoint.rateLimit({ ...perIp, cost: 0 })).toMatchObject({ allowed: false });
  });

  it('refuses malformed limits with invalid_request, charging nothing', async () => {
    const { checkpoint, codeFor } = harness();
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    for (const limits of [
      'x',
      [{ ...perIp, key: 'has space' }],
      [{ ...perIp, limit: 0 }],
      [{ ...perIp, reason: undefined }],
    ]) {
      await expect(
        checkpoint.check({ id, code: codeFor(TO), limits: limits as never }),
      ).rejects.toMatchObject({ code: 'invalid_request' });
    }
    expect((await checkpoint.get(id)).attempts).toBe(0);
  });
});
