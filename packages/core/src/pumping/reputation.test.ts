// Threat: numbers already known to be pumping destinations, refused before they cost a message.
import { describe, expect, it } from 'vitest';
import { defaultGuards, reputationGuard, staticBlocklist } from '../index.js';
import { harness } from '../testing/harness.js';

describe('number reputation', () => {
  it('refuses listed numbers and ranges with the list label as reason', async () => {
    const reputation = staticBlocklist({
      numbers: ['+447400123456'],
      prefixes: ['+99890'],
      label: 'known_pumping',
    });
    const { checkpoint, sms } = harness({
      guards: [...defaultGuards(), reputationGuard({ reputation })],
    });
    for (const to of ['+447400123456', '+998901234567']) {
      await expect(checkpoint.send({ to, purpose: 'signup' })).rejects.toMatchObject({
        code: 'fraud_detected',
        reasons: ['pumping:reputation:known_pumping'],
      });
    }
    await expect(
      checkpoint.send({ to: '+447400123457', purpose: 'signup' }),
    ).resolves.toMatchObject({ status: 'pending' });
    expect(sms.messages).toHaveLength(1);
  });

  it('is asked only for tenants that keep it on', async () => {
    const reputation = staticBlocklist({ prefixes: ['+4474'] });
    const { checkpoint } = harness({ guards: [reputationGuard({ reputation })] });
    await checkpoint.configure('trusting', { pumping: { reputation: false } });
    await expect(
      checkpoint.send({ to: '+447400123456', purpose: 'signup', tenantId: 'trusting' }),
    ).resolves.toMatchObject({ status: 'pending' });
    await expect(checkpoint.send({ to: '+447400123456', purpose: 'signup' })).rejects.toMatchObject(
      { reasons: ['pumping:reputation:blocklist'] },
    );
  });

  it('lets sends through, and logs, when the reputation source fails', async () => {
    const { checkpoint, logger } = harness({
      guards: [
        reputationGuard({
          reputation: {
            check: () => Promise.reject(new Error('reputation service down')),
          },
        }),
      ],
    });
    await expect(
      checkpoint.send({ to: '+447400123456', purpose: 'signup' }),
    ).resolves.toMatchObject({ status: 'pending' });
    expect(logger.lines.some((line) => line.includes('reputation check failed'))).toBe(true);
  });

  it('refuses bad lists at construction', () => {
    expect(() => staticBlocklist({ prefixes: ['4474'] })).toThrow(TypeError);
    expect(() => staticBlocklist({ label: 'no spaces' })).toThrow(TypeError);
    expect(() => reputationGuard({ reputation: {} as never })).toThrow(TypeError);
  });
});
