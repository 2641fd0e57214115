// The send pipeline's order: validation, country policy, free guards, paid checks, counters,
// dispatch. Each step runs only for a send every earlier step let through; these tests pin it.
import { describe, expect, it } from 'vitest';
import type { LookupProvider, SendGuard } from '../index.js';
import { defaultGuards, MemoryStore, reputationGuard, staticBlocklist } from '../index.js';
import { harness } from '../testing/harness.js';

/** A MemoryStore that lists the operations it is asked for, in order. */
class RecordingStore extends MemoryStore {
  readonly calls: string[] = [];
  override hitCounters(...args: Parameters<MemoryStore['hitCounters']>) {
    this.calls.push('hitCounters');
    return super.hitCounters(...args);
  }
  override create(...args: Parameters<MemoryStore['create']>) {
    this.calls.push('create');
    return super.create(...args);
  }
}

/** A paid lookup that counts its calls. */
function countingLookup(): LookupProvider & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup: async (e164) => {
      calls.push(e164);
      return {};
    },
  };
}

/** A paid guard (not pure) that records when it is asked. */
function paidGuard(asked: string[]): SendGuard {
  return {
    name: 'paid',
    evaluate: async (input) => {
      asked.push(input.destination.phone?.e164 ?? '');
      return undefined;
    },
  };
}

describe('send pipeline order', () => {
  // Syria is not in the default sanctioned list (its US programme ended in 2025): a tenant adds it.
  const withSyria = { countries: { sanctioned: ['CU', 'IR', 'KP', 'SY'] } };

  it.each([
    ['+963111234567', 'a Syrian fixed line'],
    ['+963931234567', 'a Syrian mobile'],
  ])('answers country_blocked for %s (%s), before any line-type or channel rule', async (to) => {
    const { checkpoint, sms, voice } = harness();
    await checkpoint.configure('default', withSyria);
    await expect(checkpoint.send({ to, purpose: 'signup' })).rejects.toMatchObject({
      code: 'country_blocked',
      reasons: ['country:sanctioned:SY'],
    });
    expect([...sms.messages, ...voice.messages]).toHaveLength(0);
  });

  it('answers country_blocked for a premium-rate number of a denied country', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('default', { countries: { deny: ['GB'] } });
    await expect(checkpoint.send({ to: '+448712345678', purpose: 'signup' })).rejects.toMatchObject(
      { code: 'country_blocked', reasons: ['country:denied:GB'] },
    );
  });

  it('pays for a lookup and asks paid guards only for sends every free check let through', async () => {
    const lookup = countingLookup();
    const asked: string[] = [];
    const { checkpoint } = harness({
      lookupProvider: lookup,
      guards: [...defaultGuards(), paidGuard(asked)],
    });
    await checkpoint.configure('default', withSyria);
    await expect(checkpoint.send({ to: '+963931234567', purpose: 'signup' })).rejects.toMatchObject(
      { code: 'country_blocked' },
    );
    await expect(checkpoint.send({ to: '+19005550100', purpose: 'signup' })).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:line_type:premium_rate'],
    });
    expect(lookup.calls).toEqual([]);
    expect(asked).toEqual([]);
    await checkpoint.send({ to: '+447400123456', purpose: 'signup' });
    expect(lookup.calls).toEqual(['+447400123456']);
    expect(asked).toEqual(['+447400123456']);
  });

  it('counts nothing for a send a free or a paid check refuses', async () => {
    const store = new RecordingStore();
    const reputation = staticBlocklist({ numbers: ['+447400123456'], label: 'known_pumping' });
    const { checkpoint } = harness({
      store,
      guards: [...defaultGuards(), reputationGuard({ reputation })],
    });
    await checkpoint.configure('default', {
      velocity: { ip: [{ limit: 1, windowSeconds: 600 }] },
    });
    const context = { ip: '198.51.100.7' };
    await expect(
      checkpoint.send({ to: '+19005550100', purpose: 'signup', context }),
    ).rejects.toMatchObject({ code: 'fraud_detected' });
    await expect(
      checkpoint.send({ to: '+447400123456', purpose: 'signup', context }),
    ).rejects.toMatchObject({ reasons: ['pumping:reputation:known_pumping'] });
    expect(store.calls).toEqual([]);
    // The IP's one send is still there to take, and then the counters answer.
    await checkpoint.send({ to: '+447400123457', purpose: 'signup', context });
    await expect(
      checkpoint.send({ to: '+447400123458', purpose: 'signup', context }),
    ).rejects.toMatchObject({ code: 'rate_limited', reasons: ['velocity:ip'] });
  });

  it('counts, reads opt-outs and creates in one store step before the message leaves', async () => {
    const store = new RecordingStore();
    const { checkpoint, sms } = harness({ store });
    const { id } = await checkpoint.send({
      to: '+447400123456',
      purpose: 'signup',
      context: { ip: '198.51.100.7' },
    });
    expect(store.calls).toEqual(['hitCounters']);
    expect(sms.latest('+447400123456')).toBeDefined();
    expect((await checkpoint.get(id)).status).toBe('pending');
  });

  it('sends nothing when the counters refuse', async () => {
    const { checkpoint, sms } = harness();
    await checkpoint.configure('default', {
      velocity: { destination: [{ limit: 1, windowSeconds: 600 }] },
    });
    await checkpoint.send({ to: '+447400123456', purpose: 'signup' });
    await expect(checkpoint.send({ to: '+447400123456', purpose: 'signup' })).rejects.toMatchObject(
      { code: 'rate_limited' },
    );
    expect(sms.messages).toHaveLength(1);
  });
});
