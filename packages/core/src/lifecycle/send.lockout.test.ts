// Threat: strangers who send codes to a victim's number and type wrong ones must not lock the victim's account out of its codes.
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.js';

const VICTIM = '+14155550100';

async function tenants() {
  const h = harness();
  await h.checkpoint.configure('acme', {});
  await h.checkpoint.configure('globex', {});
  /** Opens a verification and types `wrong` wrong codes for it. */
  const guess = async (
    input: { tenantId: string; subject?: string; purpose: string },
    wrong = 5,
  ) => {
    const { id } = await h.checkpoint.send({ to: VICTIM, ...input });
    for (let i = 0; i < wrong; i += 1) {
      await h.checkpoint.check({ id, code: h.wrongFor(h.codeFor(VICTIM)), ...input });
    }
    return id;
  };
  return { ...h, guess };
}

describe('the destination failure budget', () => {
  it('is not spent by anonymous sends at another tenant: the victim’s subject-bound codes still come and work', async () => {
    const { checkpoint, codeFor, guess } = await tenants();
    for (let i = 0; i < 4; i += 1) await guess({ tenantId: 'globex', purpose: 'signup' });
    const login = { tenantId: 'acme', subject: 'alice', purpose: 'login' };
    const { id } = await checkpoint.send({ to: VICTIM, ...login });
    expect(await checkpoint.check({ id, code: codeFor(VICTIM), ...login })).toMatchObject({
      status: 'approved',
    });
  });

  it('is spent by the subject’s own failures: five minutes first, then ten', async () => {
    const { checkpoint, clock, codeFor, wrongFor, guess } = await tenants();
    await checkpoint.configure('acme', { velocity: { destination: [] } });
    const stepUp = { tenantId: 'acme', subject: 'alice', purpose: 'billing_change' };
    for (let i = 0; i < 3; i += 1) await guess(stepUp);
    const open = await guess(stepUp, 4);
    // The 20th failure locks the budget: the live verification ends, no new code is sent.
    expect(
      await checkpoint.check({ id: open, code: wrongFor(codeFor(VICTIM)), ...stepUp }),
    ).toMatchObject({ status: 'failed', remainingAttempts: 0 });
    await expect(checkpoint.send({ to: VICTIM, ...stepUp })).rejects.toMatchObject({
      code: 'rate_limited',
      reasons: ['destination_failures'],
      retryAfter: 300,
    });
    // Anonymous sends to the number (sign-up) have a budget of their own and are not refused.
    await expect(
      checkpoint.send({ to: VICTIM, tenantId: 'acme', purpose: 'signup' }),
    ).resolves.toMatchObject({ status: 'pending' });
    await clock.advance(300_000);
    for (let i = 0; i < 4; i += 1) await guess(stepUp);
    await expect(checkpoint.send({ to: VICTIM, ...stepUp })).rejects.toMatchObject({
      retryAfter: 600,
    });
    await clock.advance(600_000);
    const { id } = await checkpoint.send({ to: VICTIM, ...stepUp });
    expect(await checkpoint.check({ id, code: codeFor(VICTIM), ...stepUp })).toMatchObject({
      status: 'approved',
    });
  });

  it('locks a verification that is open when the budget locks without comparing its code', async () => {
    const { checkpoint, codeFor, guess } = await tenants();
    const login = { tenantId: 'acme', subject: 'alice', purpose: 'login' };
    const { id } = await checkpoint.send({ to: VICTIM, ...login });
    for (let i = 0; i < 4; i += 1) await guess(login);
    expect(await checkpoint.check({ id, code: codeFor(VICTIM), ...login })).toMatchObject({
      status: 'max_attempts',
      remainingAttempts: 5,
    });
  });
});
