// Threat: a store outage must fail closed — no approval without a verified code, no hang, no bare Error.
import { describe, expect, it } from 'vitest';
import { isCheckpointError } from '../errors/CheckpointError.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { Store } from '../store/Store.js';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';

/** A MemoryStore whose every operation fails while `down` is set, as a lost connection would. */
function flakyStore(): { store: Store; setDown: (down: boolean) => void } {
  const inner = new MemoryStore();
  let down = false;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down)
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
              code: 'ECONNREFUSED',
            }),
          );
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setDown: (next) => (down = next) };
}

describe('store outage', () => {
  it('answers store_unavailable for send, check, resend, cancel and get, approves nothing, and recovers', async () => {
    const { store, setDown } = flakyStore();
    const { checkpoint, sms, clock } = harness({ store });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    const code = sms.latest(TO)?.code ?? '';
    setDown(true);
    const attempts = [
      checkpoint.send({ to: '+14155550101', purpose: 'login' }),
      checkpoint.check({ id, code }),
      checkpoint.resend(id),
      checkpoint.cancel(id),
      checkpoint.get(id),
      checkpoint.configure('acme', {}),
      checkpoint.recordDelivery({ channel: 'sms', providerMessageId: 'x', status: 'delivered' }),
    ];
    for (const outcome of await Promise.allSettled(attempts)) {
      expect(outcome.status).toBe('rejected');
      const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
      expect(isCheckpointError(reason)).toBe(true);
      expect(reason).toMatchObject({ code: 'store_unavailable', status: 503 });
    }
    expect(sms.messages).toHaveLength(1); // nothing was sent during the outage
    // A fallback timer that fires during the outage does no harm either.
    await clock.advance(30_000);
    setDown(false);
    expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });
  });
});

describe('scheduler outage', () => {
  it('still answers a delivered send, and logs that its timers could not be set', async () => {
    const failing = {
      setHandler: () => undefined,
      schedule: () => Promise.reject(new Error('queue unreachable')),
      cancel: () => Promise.reject(new Error('queue unreachable')),
      close: () => Promise.resolve(),
    };
    const { checkpoint, sms, logger } = harness({ scheduler: failing });
    const { id } = await checkpoint.send({ to: TO, purpose: 'login' });
    expect(await checkpoint.check({ id, code: sms.latest(TO)?.code ?? '' })).toMatchObject({
      status: 'approved',
    });
    expect(
      logger.lines.filter((line) => line.includes('scheduler operation failed')).length,
    ).toBeGreaterThan(0);
  });
});
