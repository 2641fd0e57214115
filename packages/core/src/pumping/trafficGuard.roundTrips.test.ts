// Budget: the pumping guards may cost a send one store round trip and an approval one more, no more.
import { describe, expect, it } from 'vitest';
import type { SendGuard } from '../index.js';
import { lineTypeGuard, MemoryStore, pumpingGuards } from '../index.js';
import { harness } from '../testing/harness.js';

/**
 * A MemoryStore that answers one macrotask later and numbers the waves of calls: calls made while
 * no earlier call has answered are one round trip.
 */
class RoundTripStore extends MemoryStore {
  rounds = 0;
  private answered = 0;
  private lastWave = -1;

  constructor() {
    super();
    return new Proxy(this, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'constructor') return value;
        return (...args: unknown[]) => {
          if (target.answered !== target.lastWave) {
            target.rounds += 1;
            target.lastWave = target.answered;
          }
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return new Promise((resolve, reject) => {
            setTimeout(() => {
              target.answered += 1;
              Promise.resolve(result).then(resolve, reject);
            }, 0);
          });
        };
      },
    });
  }
}

async function roundsOf(guards: readonly SendGuard[]) {
  const store = new RoundTripStore();
  const { checkpoint, codeFor } = harness({ store, guards });
  await checkpoint.send({ to: '+447400000001', purpose: 'signup' }); // warm: nothing cached
  store.rounds = 0;
  const { id } = await checkpoint.send({
    to: '+447400123456',
    purpose: 'signup',
    context: { ip: '203.0.113.9' },
  });
  const send = store.rounds;
  store.rounds = 0;
  await checkpoint.check({ id, code: codeFor('+447400123456') });
  return { send, check: store.rounds };
}

/** A guard asked after the counters, as the pumping guards are: it calls nothing. */
const askedAfterCounters: SendGuard = { name: 'allow-all', evaluate: async () => undefined };

describe('round trips', () => {
  it('adds one store round trip to a send and one to an approving check', async () => {
    const baseline = await roundsOf([askedAfterCounters]);
    const withGuards = await roundsOf(pumpingGuards());
    expect(withGuards.send).toBe(baseline.send + 1);
    expect(withGuards.check).toBe(baseline.check + 1);
  });

  it('counts and creates in one round trip when every guard is pure', async () => {
    const pure = await roundsOf([lineTypeGuard()]);
    const baseline = await roundsOf([askedAfterCounters]);
    expect(pure.send).toBe(baseline.send - 1);
    expect(pure.check).toBe(baseline.check);
  });
});
