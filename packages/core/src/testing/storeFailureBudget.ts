import { describe, expect, it } from 'vitest';
import type { CounterRule, Store, VerificationRecord } from '../store/Store.js';
import { failureBudgetKey } from '../velocity/failureBudget.js';
import { makeRecord, T0 } from './fixtures.js';
import type { StoreConformanceOptions } from './storeConformance.js';

/**
 * @internal
 * Failure budgets: one per destination, tenant and subject, spent by `check`, tested by
 * `hitCounters`, locking for growing times (NIST SP 800-63B §3.2.2), cleared by an approval.
 */
export function describeStoreFailureBudget(options: StoreConformanceOptions): void {
  const { create, destroy } = options;
  const withStore = (run: (store: Store) => Promise<void>) => async () => {
    const store = await create();
    try {
      await run(store);
    } finally {
      await destroy?.(store);
    }
  };
  const wrong = (store: Store, record: VerificationRecord, now = T0) =>
    store.check({ id: record.id, candidates: ['h:000000'], binding: {}, now });
  const right = (store: Store, record: VerificationRecord, now = T0) =>
    store.check({ id: record.id, candidates: ['h:123456'], binding: {}, now });
  /** The send-side test of a record's budget, as core makes it. */
  const budgetOf = (record: VerificationRecord): CounterRule => ({
    key: failureBudgetKey(record),
    limit: record.failureLimit,
    windowSeconds: record.failureWindowSeconds,
    cost: 0,
    lockSeconds: record.failureLockSeconds ?? 0,
  });
  /** Spends `count` failures on fresh verifications like `like`, each failing once, at `now`. */
  const spend = async (
    store: Store,
    like: Partial<VerificationRecord>,
    count: number,
    now = T0,
  ): Promise<void> => {
    for (let i = 0; i < count; i += 1) {
      const record = makeRecord({ ...like, createdAt: now, expiresAt: now + 600_000 });
      await store.create(record);
      expect((await wrong(store, record, now)).outcome).toBe('failed');
    }
  };

  describe('failure budgets', () => {
    it(
      'shares a budget across verifications of one destination, locked until the window ends when it has no lock time',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const like = { destinationHash, failureLimit: 4, maxAttempts: 3, failureLockSeconds: 0 };
        const first = makeRecord(like);
        const second = makeRecord(like);
        await store.create(first);
        await store.create(second);
        for (let i = 0; i < 3; i += 1) await wrong(store, first);
        await wrong(store, second);
        // Four failures: the budget is locked and the code is not even compared.
        expect(await right(store, second)).toMatchObject({
          outcome: 'max_attempts',
          evaluated: false,
          record: { attempts: 1 },
        });
        expect(await store.hitCounters([budgetOf(second)], T0 + 1_000)).toEqual({
          allowed: false,
          key: budgetOf(second).key,
          retryAfter: 86_399,
        });
        // The window ends; a new verification can be approved, which clears the count.
        const later = T0 + 86_400_000;
        await spend(store, like, 1, later);
        const third = makeRecord({ ...like, createdAt: later, expiresAt: later + 600_000 });
        await store.create(third);
        expect((await right(store, third, later)).outcome).toBe('approved');
        await spend(store, like, 3, later);
        expect((await store.hitCounters([budgetOf(third)], later)).allowed).toBe(true);
      }),
    );

    it(
      'keeps one budget per tenant and subject: anonymous failures never lock a subject’s, nor another tenant’s',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const limits = { destinationHash, failureLimit: 3 };
        await spend(store, { ...limits, tenantId: 'globex' }, 3);
        await spend(store, { ...limits, tenantId: 'acme', subject: 'mallory' }, 3);
        const anonymous = makeRecord({ ...limits, tenantId: 'globex' });
        const alice = makeRecord({ ...limits, tenantId: 'acme', subject: 'alice' });
        const acmeAnonymous = makeRecord({ ...limits, tenantId: 'acme' });
        for (const record of [anonymous, alice, acmeAnonymous]) await store.create(record);
        expect((await right(store, anonymous)).outcome).toBe('max_attempts');
        expect((await store.hitCounters([budgetOf(alice)], T0)).allowed).toBe(true);
        expect((await right(store, alice)).outcome).toBe('approved');
        expect((await right(store, acmeAnonymous)).outcome).toBe('approved');
      }),
    );

    it(
      'locks for growing times: lockSeconds, twice that, … and until the window ends before 100 failures',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const like = { destinationHash, failureLimit: 40, failureLockSeconds: 60 };
        const probe = makeRecord(like);
        const wait = async (now: number) => {
          const answer = await store.hitCounters([budgetOf(probe)], now);
          return answer.allowed ? 0 : answer.retryAfter;
        };
        await spend(store, like, 39);
        expect(await wait(T0)).toBe(0);
        await spend(store, like, 1);
        expect(await wait(T0)).toBe(60);
        expect(await wait(T0 + 59_000)).toBe(1);
        const next = T0 + 60_000;
        await spend(store, like, 40, next);
        // The 80th failure: 40 more would pass 100, so this lock lasts the rest of the window.
        expect(await wait(next)).toBe(86_400 - 60);
      }),
    );

    it(
      'doubles the lock with each `limit` failures of one window',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const like = { destinationHash, failureLimit: 2, failureLockSeconds: 60 };
        const probe = makeRecord(like);
        let now = T0;
        const waits: number[] = [];
        for (let lock = 0; lock < 4; lock += 1) {
          await spend(store, like, 2, now);
          const answer = await store.hitCounters([budgetOf(probe)], now);
          const retryAfter = answer.allowed ? 0 : answer.retryAfter;
          waits.push(retryAfter);
          now += retryAfter * 1_000;
        }
        expect(waits).toEqual([60, 120, 240, 480]);
      }),
    );

    it(
      'counts exactly `limit` failures of 200 concurrent wrong codes on verifications of one destination',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const records = Array.from({ length: 200 }, () =>
          makeRecord({ destinationHash, failureLimit: 20, maxAttempts: 1 }),
        );
        for (const record of records) await store.create(record);
        const results = await Promise.all(records.map((record) => wrong(store, record)));
        expect(results.filter((result) => result.outcome === 'failed')).toHaveLength(20);
        expect(results.filter((result) => result.outcome === 'max_attempts')).toHaveLength(180);
      }),
    );

    it(
      'keeps an app budget through hitCounters: a hit counts a failure, a refusal counts nothing',
      withStore(async (store) => {
        const rule: CounterRule = {
          key: `app:budget:${makeRecord().destinationHash}`,
          limit: 2,
          windowSeconds: 3_600,
          cost: 1,
          lockSeconds: 30,
        };
        expect(await store.hitCounters([rule], T0)).toEqual({ allowed: true });
        expect(await store.hitCounters([{ ...rule, cost: 0 }], T0)).toEqual({ allowed: true });
        expect(await store.hitCounters([rule], T0)).toEqual({ allowed: true });
        expect(await store.hitCounters([rule], T0 + 10_000)).toEqual({
          allowed: false,
          key: rule.key,
          retryAfter: 20,
        });
        // Open again after the lock; the next two failures lock it for twice as long.
        expect(await store.hitCounters([rule], T0 + 30_000)).toEqual({ allowed: true });
        expect(await store.hitCounters([rule], T0 + 30_000)).toEqual({ allowed: true });
        expect(await store.hitCounters([{ ...rule, cost: 0 }], T0 + 30_000)).toMatchObject({
          allowed: false,
          retryAfter: 60,
        });
      }),
    );
  });
}
