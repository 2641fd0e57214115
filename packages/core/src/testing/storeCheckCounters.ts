import { describe, expect, it } from 'vitest';
import type { CounterRule, Store } from '../store/Store.js';
import { makeRecord, T0 } from './fixtures.js';
import type { StoreConformanceOptions } from './storeConformance.js';

/**
 * @internal
 * `Store.check` with `counters` (failed checks per client across verifications): tested before the
 * code is compared, charged unless the check approves, so concurrency cannot buy comparisons.
 */
export function describeStoreCheckCounters(options: StoreConformanceOptions): void {
  const { create, destroy, checksCountersAtomically = false } = options;
  const withStore = (run: (store: Store) => Promise<void>) => async () => {
    const store = await create();
    try {
      await run(store);
    } finally {
      await destroy?.(store);
    }
  };
  // A key of its own per test: stores under test may share a server.
  const counter = (name: string, limit: number, windowSeconds = 60): CounterRule => ({
    key: `app:${name}:${makeRecord().destinationHash}`,
    limit,
    windowSeconds,
    cost: 1,
  });
  /** How many units `rule` holds now: the smallest limit that refuses one more. */
  const held = async (store: Store, rule: CounterRule, now = T0): Promise<number> => {
    for (let count = 0; count < 50; count += 1) {
      const probe = await store.hitCounters([{ ...rule, limit: count + 1, cost: 0 }], now);
      if (probe.allowed) return count;
    }
    return 50;
  };
  const wrong = (store: Store, id: string, counters: CounterRule[], now = T0) =>
    store.check({ id, candidates: ['h:000000'], binding: {}, now, counters });
  const right = (store: Store, id: string, counters: CounterRule[], now = T0) =>
    store.check({ id, candidates: ['h:123456'], binding: {}, now, counters });

  describe('check with counters', () => {
    it(
      'refuses without reading the verification when a counter is full, spending nothing',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const ip = counter('ip', 2, 60);
        const user = counter('user', 1, 900);
        await store.hitCounters([ip], T0);
        await store.hitCounters([ip, user], T0);
        expect(await right(store, record.id, [ip, user], T0 + 10_000)).toEqual({
          outcome: 'rate_limited',
          key: user.key,
          retryAfter: 890,
        });
        expect(await held(store, ip)).toBe(2);
        expect((await store.get(record.id))?.attempts).toBe(0);
        expect((await right(store, record.id, [ip], T0 + 60_000)).outcome).toBe('approved');
      }),
    );

    it(
      'charges each counter for a wrong code and gives the unit back on an approval',
      withStore(async (store) => {
        const first = makeRecord();
        const second = makeRecord();
        await store.create(first);
        await store.create(second);
        const ip = counter('ip', 3);
        const user = counter('user', 3);
        expect((await wrong(store, first.id, [ip, user])).outcome).toBe('failed');
        expect(await held(store, ip)).toBe(1);
        expect(await held(store, user)).toBe(1);
        expect((await right(store, second.id, [ip, user])).outcome).toBe('approved');
        expect(await held(store, ip)).toBe(1);
        expect(await held(store, user)).toBe(1);
      }),
    );

    it(
      'keeps the unit of every answer that is not an approval: not_found, canceled, expired, max_attempts',
      withStore(async (store) => {
        const ip = counter('ip', 20, 3_600);
        const canceled = makeRecord();
        const expiring = makeRecord();
        const locked = makeRecord({ maxAttempts: 1 });
        for (const record of [canceled, expiring, locked]) await store.create(record);
        await store.transition({ id: canceled.id, to: 'canceled', now: T0 });
        await wrong(store, locked.id, []);
        const outcomes = [
          await right(store, makeRecord().id, [ip]),
          await right(store, canceled.id, [ip]),
          await right(store, expiring.id, [ip], expiring.expiresAt),
          await right(store, locked.id, [ip]),
        ].map((result) => result.outcome);
        expect(outcomes).toEqual(['not_found', 'canceled', 'expired', 'max_attempts']);
        expect(await held(store, ip, expiring.expiresAt)).toBe(4);
      }),
    );

    it(
      'compares at most `limit` codes of 200 concurrent wrong checks on 200 verifications',
      withStore(async (store) => {
        const records = Array.from({ length: 200 }, () => makeRecord());
        for (const record of records) await store.create(record);
        const ip = counter('ip', 30, 900);
        const results = await Promise.all(records.map((record) => wrong(store, record.id, [ip])));
        expect(results.filter((result) => 'evaluated' in result && result.evaluated)).toHaveLength(
          30,
        );
        const refused = results.filter((result) => result.outcome === 'rate_limited');
        expect(refused).toHaveLength(170);
        expect(refused[0]).toEqual({ outcome: 'rate_limited', key: ip.key, retryAfter: 900 });
        let attempts = 0;
        for (const record of records) attempts += (await store.get(record.id))?.attempts ?? 0;
        expect(attempts).toBe(30);
        expect(await held(store, ip)).toBe(30);
      }),
    );

    it(
      'lets approvals through one by one when a counter has one unit of room left',
      withStore(async (store) => {
        const ip = counter('ip', 2);
        const records = Array.from({ length: 4 }, () => makeRecord());
        for (const record of records) await store.create(record);
        await wrong(store, records[0]?.id ?? '', [ip]);
        for (const record of records.slice(1)) {
          expect((await right(store, record.id, [ip])).outcome).toBe('approved');
        }
        expect(await held(store, ip)).toBe(1);
      }),
    );

    it(
      checksCountersAtomically
        ? 'lets concurrent approvals through a counter with one unit of room left (one atomic step)'
        : 'never lets concurrent checks past a counter with one unit of room left (reserve, check, refund)',
      withStore(async (store) => {
        const ip = counter('ip', 2);
        const records = Array.from({ length: 6 }, () => makeRecord());
        for (const record of records) await store.create(record);
        await wrong(store, records[0]?.id ?? '', [ip]);
        const results = await Promise.all(
          records.slice(1).map((record) => right(store, record.id, [ip])),
        );
        const outcomes = results.map((result) => result.outcome);
        if (checksCountersAtomically) {
          expect(outcomes).toEqual(Array(5).fill('approved'));
        } else {
          // Reservations race for the one unit: some approvals are refused, none over the limit.
          expect(outcomes.filter((outcome) => outcome === 'approved').length).toBeGreaterThan(0);
          expect(outcomes.every((o) => o === 'approved' || o === 'rate_limited')).toBe(true);
        }
        expect(await held(store, ip)).toBe(1);
      }),
    );
  });
}
