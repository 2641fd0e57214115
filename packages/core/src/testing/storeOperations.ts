import { describe, expect, it } from 'vitest';
import type { CounterRule, Store, TallyOp } from '../store/Store.js';
import { makeRecord, T0 } from './fixtures.js';
import type { StoreConformanceOptions } from './storeConformance.js';

const rule = (key: string, limit: number, windowSeconds = 60, cost: 0 | 1 = 1): CounterRule => ({
  key,
  limit,
  windowSeconds,
  cost,
});

/** @internal The Store operation contract, one operation at a time and under concurrency. */
export function describeStoreOperations(options: StoreConformanceOptions): void {
  const { create, destroy } = options;
  const withStore = (run: (store: Store) => Promise<void>) => async () => {
    const store = await create();
    try {
      await run(store);
    } finally {
      await destroy?.(store);
    }
  };

  describe('create and get', () => {
    it(
      'returns what was created, as a copy the caller cannot use to change the store',
      withStore(async (store) => {
        const record = makeRecord({
          subject: 'user-1',
          approving: 'changing the billing card to …4242',
          network: 4_026_531_839,
        });
        await store.create(record);
        const read = await store.get(record.id);
        expect(read).toEqual(record);
        read?.codeHashes.push('h:000000');
        expect((await store.get(record.id))?.codeHashes).toEqual(['h:123456']);
      }),
    );

    it(
      'answers null for an id it never saw',
      withStore(async (store) => {
        expect(await store.get(makeRecord().id)).toBeNull();
      }),
    );
  });

  describe('hitCounters', () => {
    it(
      'allows up to the limit, then refuses with the seconds left in the window',
      withStore(async (store) => {
        const key = `dest:${makeRecord().destinationHash}:60`;
        for (let i = 0; i < 3; i += 1)
          expect(await store.hitCounters([rule(key, 3)], T0 + i * 1_000)).toEqual({
            allowed: true,
          });
        expect(await store.hitCounters([rule(key, 3)], T0 + 10_000)).toEqual({
          allowed: false,
          key,
          retryAfter: 50,
        });
        expect(await store.hitCounters([rule(key, 3)], T0 + 60_000)).toEqual({ allowed: true });
      }),
    );

    it(
      'is all-or-nothing: a refused request counts against none of its counters',
      withStore(async (store) => {
        const suffix = makeRecord().destinationHash;
        const open = `ip:${suffix}:60`;
        const full = `dest:${suffix}:60`;
        await store.hitCounters([rule(full, 1)], T0);
        const refused = await store.hitCounters([rule(open, 1), rule(full, 1)], T0 + 1_000);
        expect(refused).toMatchObject({ allowed: false, key: full });
        expect(await store.hitCounters([rule(open, 1)], T0 + 2_000)).toEqual({ allowed: true });
      }),
    );

    it(
      'reports the longest wait when several counters refuse',
      withStore(async (store) => {
        const suffix = makeRecord().destinationHash;
        await store.hitCounters([rule(`a:${suffix}`, 1, 60), rule(`b:${suffix}`, 1, 3_600)], T0);
        expect(
          await store.hitCounters([rule(`a:${suffix}`, 1, 60), rule(`b:${suffix}`, 1, 3_600)], T0),
        ).toMatchObject({
          allowed: false,
          key: `b:${suffix}`,
          retryAfter: 3_600,
        });
      }),
    );

    it(
      'tests but never adds to a counter of cost 0',
      withStore(async (store) => {
        const key = `fail:${makeRecord().destinationHash}`;
        for (let i = 0; i < 5; i += 1)
          expect(await store.hitCounters([rule(key, 1, 60, 0)], T0)).toEqual({ allowed: true });
      }),
    );

    it(
      'admits exactly the limit under concurrency',
      withStore(async (store) => {
        const key = `tenant:${makeRecord().destinationHash}`;
        const results = await Promise.all(
          Array.from({ length: 40 }, () => store.hitCounters([rule(key, 7)], T0)),
        );
        expect(results.filter((result) => result.allowed)).toHaveLength(7);
      }),
    );
  });

  describe('tallies', () => {
    const MIN = 60_000;
    // Buckets of a minute, a window of 10 minutes, a grace of 2: at T0 + m minutes the judged
    // buckets are those of minutes m - 10 to m - 3 (the last one ended 2 minutes ago or more).
    const tally = (key: string, extra: Partial<TallyOp> = {}): TallyOp => ({
      key,
      families: ['s', 'a'],
      family: 's',
      bucketSeconds: 60,
      windowSeconds: 600,
      graceSeconds: 120,
      ...extra,
    });
    const judged = (store: Store, key: string, now: number) =>
      store
        .hitCounters([], now, {
          tallies: [tally(key, { judged: true }), tally(key, { family: 'a', judged: true })],
        })
        .then((answer) => answer.tallies);
    const add = (
      store: Store,
      key: string,
      at: number,
      now: number,
      extra: Partial<TallyOp> = {},
    ) => store.hitCounters([], now, { tallies: [tally(key, { add: { at }, ...extra })] });

    it(
      'sums the buckets that started within the window and ended at least the grace ago, per family',
      withStore(async (store) => {
        const key = `pt:${makeRecord().destinationHash}`;
        await add(store, key, T0, T0);
        await add(store, key, T0 + 30_000, T0 + 30_000);
        await add(store, key, T0 + MIN, T0 + MIN);
        await add(store, key, T0 + MIN, T0 + MIN, { family: 'a' });
        await add(store, key, T0 + 2 * MIN, T0 + 2 * MIN);
        // Minute 3: only minute 0 ended 2 minutes ago.
        expect(await judged(store, key, T0 + 3 * MIN)).toEqual([2, 0]);
        expect(await judged(store, key, T0 + 4 * MIN - 1)).toEqual([2, 0]);
        expect(await judged(store, key, T0 + 4 * MIN)).toEqual([3, 1]);
        expect(await judged(store, key, T0 + 5 * MIN)).toEqual([4, 1]);
        // Minute 10: minute 0 left the window; minute 11: minute 1 too.
        expect(await judged(store, key, T0 + 10 * MIN)).toEqual([4, 1]);
        expect(await judged(store, key, T0 + 10 * MIN + 1)).toEqual([2, 1]);
        expect(await judged(store, key, T0 + 11 * MIN + 1)).toEqual([1, 0]);
        expect(await judged(store, key, T0 + 30 * MIN)).toEqual([0, 0]);
      }),
    );

    it(
      'counts a late add to a bucket already judged, and drops one to a bucket that left the window',
      withStore(async (store) => {
        const key = `pt:${makeRecord().destinationHash}`;
        for (let i = 0; i < 4; i += 1) await add(store, key, T0, T0);
        expect(await judged(store, key, T0 + 5 * MIN)).toEqual([4, 0]);
        // An approval of a send of minute 0, entered later, counts where its send did.
        await add(store, key, T0, T0 + 6 * MIN, { family: 'a' });
        expect(await judged(store, key, T0 + 6 * MIN)).toEqual([4, 1]);
        expect(await judged(store, key, T0 + 10 * MIN)).toEqual([4, 1]);
        // Minute 0 left the window at minute 10: an add to it no longer counts anywhere.
        await add(store, key, T0, T0 + 10 * MIN + 1, { family: 'a' });
        expect(await judged(store, key, T0 + 10 * MIN + 1)).toEqual([0, 0]);
      }),
    );

    it(
      'gives the same sums read every few seconds or once after a long pause',
      withStore(async (store) => {
        const often = `pt:${makeRecord().destinationHash}`;
        const seldom = `pt:${makeRecord().destinationHash}`;
        const seen: Array<[number[] | undefined, number[] | undefined]> = [];
        for (let second = 0; second < 40 * 60; second += 7) {
          const now = T0 + second * 1_000;
          for (const key of [often, seldom]) {
            await add(store, key, now, now);
            if (second % 3 === 0) await add(store, key, now - 90_000, now, { family: 'a' });
          }
          const read = await judged(store, often, now);
          if (second % 700 < 7) seen.push([read, await judged(store, seldom, now)]);
        }
        expect(seen.length).toBeGreaterThan(3);
        for (const [often, seldom] of seen) expect(often).toEqual(seldom);
        expect(seen.at(-1)?.[0]?.[0]).toBeGreaterThan(50);
      }),
    );

    it(
      'makes an add only when the counters allow, unless it is marked always, and sums only then',
      withStore(async (store) => {
        const key = `pt:${makeRecord().destinationHash}`;
        const full = rule(`ip:${makeRecord().destinationHash}:60`, 1);
        await store.hitCounters([full], T0);
        const refused = await store.hitCounters([full], T0, {
          tallies: [
            tally(key, { add: { at: T0 }, judged: true }),
            tally(key, { family: 'a', add: { at: T0, always: true } }),
          ],
        });
        expect(refused).toMatchObject({ allowed: false, key: full.key });
        expect(refused).not.toHaveProperty('tallies');
        expect(await judged(store, key, T0 + 3 * MIN)).toEqual([0, 1]);
      }),
    );

    it(
      'takes one back with count -1, and counts every add of many made at once',
      withStore(async (store) => {
        const key = `pt:${makeRecord().destinationHash}`;
        await Promise.all(Array.from({ length: 20 }, () => add(store, key, T0, T0)));
        await add(store, key, T0, T0, { add: { at: T0, count: -1 } });
        expect(await judged(store, key, T0 + 3 * MIN)).toEqual([19, 0]);
      }),
    );
  });

  describe('check', () => {
    it(
      'approves a matching hash once; the next check of the id is not_found',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const first = await store.check({
          id: record.id,
          candidates: ['h:123456'],
          binding: {},
          now: T0 + 1_000,
        });
        expect(first).toMatchObject({
          outcome: 'approved',
          transitioned: true,
          evaluated: true,
          record: { status: 'approved', attempts: 1 },
        });
        expect(
          await store.check({
            id: record.id,
            candidates: ['h:123456'],
            binding: {},
            now: T0 + 2_000,
          }),
        ).toEqual({ outcome: 'not_found' });
        expect((await store.get(record.id))?.status).toBe('approved');
      }),
    );

    it(
      'approves when any candidate matches any stored hash (key rotation, resends)',
      withStore(async (store) => {
        const record = makeRecord({ codeHashes: ['old:111111', 'new:222222'] });
        await store.create(record);
        const result = await store.check({
          id: record.id,
          candidates: ['new:111111', 'old:111111'],
          binding: {},
          now: T0,
        });
        expect(result.outcome).toBe('approved');
      }),
    );

    it(
      'counts wrong codes and locks on the last attempt',
      withStore(async (store) => {
        const record = makeRecord({ maxAttempts: 3 });
        await store.create(record);
        const outcomes = [];
        for (let i = 0; i < 3; i += 1)
          outcomes.push(
            await store.check({ id: record.id, candidates: ['h:000000'], binding: {}, now: T0 }),
          );
        expect(outcomes.map((result) => result.outcome)).toEqual(['failed', 'failed', 'failed']);
        expect(
          outcomes.map((result) => ('record' in result ? result.record.attempts : -1)),
        ).toEqual([1, 2, 3]);
        expect(outcomes[2]).toMatchObject({
          transitioned: true,
          record: { status: 'max_attempts' },
        });
        // The right code after the lock is still refused: no last chance.
        expect(
          await store.check({ id: record.id, candidates: ['h:123456'], binding: {}, now: T0 }),
        ).toMatchObject({
          outcome: 'max_attempts',
          evaluated: false,
          transitioned: false,
        });
      }),
    );

    it(
      'answers expired at expiresAt without spending an attempt, and moves the status once',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const before = await store.check({
          id: record.id,
          candidates: ['h:000000'],
          binding: {},
          now: record.expiresAt - 1,
        });
        expect(before.outcome).toBe('failed');
        const at = await store.check({
          id: record.id,
          candidates: ['h:123456'],
          binding: {},
          now: record.expiresAt,
        });
        expect(at).toMatchObject({
          outcome: 'expired',
          transitioned: true,
          evaluated: false,
          record: { status: 'expired', attempts: 1 },
        });
        expect(
          await store.check({
            id: record.id,
            candidates: ['h:123456'],
            binding: {},
            now: record.expiresAt + 1,
          }),
        ).toMatchObject({
          outcome: 'expired',
          transitioned: false,
        });
      }),
    );

    it(
      'answers not_found on a purpose, tenant or subject mismatch, spending nothing',
      withStore(async (store) => {
        const record = makeRecord({ subject: 'alice', tenantId: 'acme', purpose: 'login' });
        await store.create(record);
        for (const binding of [
          { purpose: 'billing_change' },
          { tenantId: 'globex' },
          { subject: 'mallory' },
        ]) {
          expect(
            await store.check({ id: record.id, candidates: ['h:123456'], binding, now: T0 }),
          ).toEqual({ outcome: 'not_found' });
        }
        expect((await store.get(record.id))?.attempts).toBe(0);
        const right = await store.check({
          id: record.id,
          candidates: ['h:123456'],
          binding: { subject: 'alice', tenantId: 'acme', purpose: 'login' },
          now: T0,
        });
        expect(right.outcome).toBe('approved');
      }),
    );

    it(
      'answers canceled for a canceled verification',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        await store.transition({ id: record.id, to: 'canceled', now: T0 });
        expect(
          await store.check({ id: record.id, candidates: ['h:123456'], binding: {}, now: T0 }),
        ).toMatchObject({ outcome: 'canceled', evaluated: false });
      }),
    );

    it(
      'evaluates exactly maxAttempts of 200 concurrent wrong codes',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const results = await Promise.all(
          Array.from({ length: 200 }, () =>
            store.check({ id: record.id, candidates: ['h:000000'], binding: {}, now: T0 }),
          ),
        );
        expect(results.filter((result) => 'evaluated' in result && result.evaluated)).toHaveLength(
          5,
        );
        expect(results.filter((result) => result.outcome === 'failed')).toHaveLength(5);
        expect(results.filter((result) => result.outcome === 'max_attempts')).toHaveLength(195);
        expect((await store.get(record.id))?.attempts).toBe(5);
      }),
    );

    it(
      'approves exactly one of 50 concurrent correct codes',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.check({ id: record.id, candidates: ['h:123456'], binding: {}, now: T0 }),
          ),
        );
        expect(results.filter((result) => result.outcome === 'approved')).toHaveLength(1);
        expect(results.filter((result) => result.outcome === 'not_found')).toHaveLength(49);
      }),
    );
  });

  describe('addSend', () => {
    it(
      'adds a code while earlier codes stay valid, and keeps the attempts spent',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        await store.check({ id: record.id, candidates: ['h:000000'], binding: {}, now: T0 });
        const added = await store.addSend({
          id: record.id,
          codeHash: 'h:654321',
          channel: 'voice',
          now: T0 + 30_000,
          enforceCooldown: true,
        });
        expect(added).toMatchObject({
          ok: true,
          record: { sends: 2, attempts: 1, channel: 'voice', codeHashes: ['h:123456', 'h:654321'] },
        });
        expect(
          (
            await store.check({
              id: record.id,
              candidates: ['h:123456'],
              binding: {},
              now: T0 + 31_000,
            })
          ).outcome,
        ).toBe('approved');
      }),
    );

    it(
      'doubles the cooldown with each resend',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const resend = (now: number) =>
          store.addSend({
            id: record.id,
            codeHash: `h:${now}`,
            channel: 'sms',
            now,
            enforceCooldown: true,
          });
        expect(await resend(T0 + 10_000)).toMatchObject({
          ok: false,
          reason: 'cooldown',
          retryAfter: 20,
        });
        expect((await resend(T0 + 30_000)).ok).toBe(true);
        expect(await resend(T0 + 60_000)).toMatchObject({
          ok: false,
          reason: 'cooldown',
          retryAfter: 30,
        });
        expect((await resend(T0 + 90_000)).ok).toBe(true);
        expect(await resend(T0 + 200_000)).toMatchObject({
          ok: false,
          reason: 'cooldown',
          retryAfter: 10,
        });
      }),
    );

    it(
      'stops at maxSends, counting the first send',
      withStore(async (store) => {
        const record = makeRecord({ maxSends: 2 });
        await store.create(record);
        expect(
          (
            await store.addSend({
              id: record.id,
              codeHash: 'h:1',
              channel: 'sms',
              now: T0,
              enforceCooldown: false,
            })
          ).ok,
        ).toBe(true);
        expect(
          await store.addSend({
            id: record.id,
            codeHash: 'h:2',
            channel: 'sms',
            now: T0,
            enforceCooldown: false,
          }),
        ).toMatchObject({ ok: false, reason: 'max_sends' });
      }),
    );

    it(
      'refuses verifications that are not pending, expired or unknown',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        expect(
          await store.addSend({
            id: record.id,
            codeHash: 'h:1',
            channel: 'sms',
            now: record.expiresAt,
            enforceCooldown: false,
          }),
        ).toMatchObject({ ok: false, reason: 'not_pending' });
        await store.transition({ id: record.id, to: 'canceled', now: T0 });
        expect(
          await store.addSend({
            id: record.id,
            codeHash: 'h:1',
            channel: 'sms',
            now: T0,
            enforceCooldown: false,
          }),
        ).toMatchObject({ ok: false, reason: 'not_pending' });
        expect(
          await store.addSend({
            id: makeRecord().id,
            codeHash: 'h:1',
            channel: 'sms',
            now: T0,
            enforceCooldown: false,
          }),
        ).toMatchObject({ ok: false, reason: 'not_found' });
      }),
    );

    it(
      'lets exactly one of two racing fallbacks from the same channel through',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const race = await Promise.all(
          ['h:a', 'h:b', 'h:c'].map((codeHash) =>
            store.addSend({
              id: record.id,
              codeHash,
              channel: 'voice',
              now: T0,
              enforceCooldown: false,
              expectedChannel: 'sms',
            }),
          ),
        );
        expect(race.filter((result) => result.ok)).toHaveLength(1);
        expect(
          race.filter((result) => !result.ok && result.reason === 'channel_changed'),
        ).toHaveLength(2);
        expect((await store.get(record.id))?.sends).toBe(2);
      }),
    );
  });

  describe('deliveries', () => {
    it(
      'moves a delivery forward only: duplicates and late receipts change nothing',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        const dispatched = {
          id: record.id,
          expiresAt: record.expiresAt,
          channel: 'sms',
          providerMessageId: 'SM1',
          status: 'queued',
          now: T0,
        } as const;
        expect(await store.recordDispatch(dispatched)).toBe(true);
        const unknown = { ...dispatched, id: makeRecord().id, providerMessageId: 'SM0' };
        expect(await store.recordDispatch(unknown)).toBe(false);
        const receipt = (status: 'sent' | 'delivered' | 'read' | 'failed', now = T0 + 1_000) =>
          store.recordDelivery({ channel: 'sms', providerMessageId: 'SM1', status, now });
        expect(await receipt('delivered')).toMatchObject({
          applied: true,
          previous: 'queued',
          isCurrent: true,
          delivery: { status: 'delivered' },
        });
        expect(await receipt('delivered')).toMatchObject({ applied: false });
        expect(await receipt('sent')).toMatchObject({
          applied: false,
          delivery: { status: 'delivered' },
        });
        expect(await receipt('failed')).toMatchObject({
          applied: false,
          delivery: { status: 'delivered' },
        });
        expect(await receipt('read')).toMatchObject({
          applied: true,
          delivery: { status: 'read' },
        });
      }),
    );

    it(
      'answers null for an unknown message and tells whether a message is on the current channel',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        expect(
          await store.recordDelivery({
            channel: 'sms',
            providerMessageId: 'nope',
            status: 'delivered',
            now: T0,
          }),
        ).toBeNull();
        await store.recordDispatch({
          id: record.id,
          expiresAt: record.expiresAt,
          channel: 'sms',
          providerMessageId: 'SM2',
          status: 'sent',
          now: T0,
        });
        await store.recordDispatch({
          id: record.id,
          expiresAt: record.expiresAt,
          channel: 'voice',
          providerMessageId: 'CA2',
          status: 'queued',
          now: T0 + 1,
        });
        expect(
          await store.recordDelivery({
            channel: 'sms',
            providerMessageId: 'SM2',
            status: 'failed',
            errorCode: '30003',
            now: T0 + 2,
          }),
        ).toMatchObject({
          applied: true,
          isCurrent: false,
          delivery: { errorCode: '30003' },
          record: { channel: 'voice' },
        });
        expect(
          await store.recordDelivery({
            channel: 'voice',
            providerMessageId: 'CA2',
            status: 'delivered',
            now: T0 + 3,
          }),
        ).toMatchObject({ isCurrent: true });
      }),
    );
  });

  describe('transition', () => {
    it(
      'cancels a pending verification once',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        expect(await store.transition({ id: record.id, to: 'canceled', now: T0 })).toMatchObject({
          changed: true,
          record: { status: 'canceled' },
        });
        expect(await store.transition({ id: record.id, to: 'canceled', now: T0 })).toMatchObject({
          changed: false,
        });
        expect(await store.transition({ id: makeRecord().id, to: 'canceled', now: T0 })).toBeNull();
      }),
    );

    it(
      'expires a verification only once its time is up',
      withStore(async (store) => {
        const record = makeRecord();
        await store.create(record);
        expect(
          await store.transition({ id: record.id, to: 'expired', now: record.expiresAt - 1 }),
        ).toMatchObject({ changed: false, record: { status: 'pending' } });
        expect(
          await store.transition({ id: record.id, to: 'expired', now: record.expiresAt }),
        ).toMatchObject({ changed: true, record: { status: 'expired' } });
      }),
    );
  });

  describe('tenant config', () => {
    it(
      'stores and returns a tenant override, null for an unknown tenant',
      withStore(async (store) => {
        const tenant = `t-${makeRecord().destinationHash.slice(0, 8)}`;
        expect(await store.getTenantConfig(tenant)).toBeNull();
        await store.setTenantConfig(tenant, { maxAttempts: 3, countries: { allow: ['US'] } });
        expect(await store.getTenantConfig(tenant)).toEqual({
          maxAttempts: 3,
          countries: { allow: ['US'] },
        });
      }),
    );
  });

  describe('tickets', () => {
    const key = () => `test:ticket:${makeRecord().id}`;

    it(
      'gives a ticket back once, then null',
      withStore(async (store) => {
        const k = key();
        expect(
          await store.putTicket({ key: k, value: 'challenge-1', ttlSeconds: 60, now: T0 }),
        ).toBe(true);
        expect(await store.takeTicket(k, T0 + 1_000)).toBe('challenge-1');
        expect(await store.takeTicket(k, T0 + 1_000)).toBeNull();
        expect(await store.takeTicket(key(), T0)).toBeNull();
      }),
    );

    it(
      "gives nothing for a ticket past its time, judged on the caller's clock",
      withStore(async (store) => {
        const k = key();
        await store.putTicket({ key: k, value: 'late', ttlSeconds: 5, now: T0 });
        expect(await store.takeTicket(k, T0 + 5_000)).toBeNull();
      }),
    );

    it(
      'refuses a second ticket under a key that is held',
      withStore(async (store) => {
        const k = key();
        expect(await store.putTicket({ key: k, value: 'first', ttlSeconds: 60, now: T0 })).toBe(
          true,
        );
        expect(await store.putTicket({ key: k, value: 'second', ttlSeconds: 60, now: T0 })).toBe(
          false,
        );
        expect(await store.takeTicket(k, T0)).toBe('first');
      }),
    );

    it(
      'hands a ticket to exactly one of many concurrent takers',
      withStore(async (store) => {
        const k = key();
        await store.putTicket({ key: k, value: 'once', ttlSeconds: 60, now: T0 });
        const taken = await Promise.all(
          Array.from({ length: 25 }, () => store.takeTicket(k, T0 + 10)),
        );
        expect(taken.filter((value) => value === 'once')).toHaveLength(1);
        expect(taken.filter((value) => value === null)).toHaveLength(24);
      }),
    );

    it(
      'reads a ticket without taking it, until it is taken or past its time',
      withStore(async (store) => {
        const k = key();
        expect(await store.readTicket(k, T0)).toBeNull();
        await store.putTicket({ key: k, value: 'marker', ttlSeconds: 5, now: T0 });
        expect(await store.readTicket(k, T0 + 1)).toBe('marker');
        expect(await store.readTicket(k, T0 + 2)).toBe('marker');
        expect(await store.readTicket(k, T0 + 5_000)).toBeNull();
        const taken = key();
        await store.putTicket({ key: taken, value: 'once', ttlSeconds: 5, now: T0 });
        expect(await store.takeTicket(taken, T0 + 1)).toBe('once');
        expect(await store.readTicket(taken, T0 + 2)).toBeNull();
      }),
    );

    it(
      'replaces a held ticket when asked to',
      withStore(async (store) => {
        const k = key();
        await store.putTicket({ key: k, value: 'first', ttlSeconds: 60, now: T0 });
        expect(
          await store.putTicket({
            key: k,
            value: 'second',
            ttlSeconds: 60,
            now: T0,
            replace: true,
          }),
        ).toBe(true);
        expect(await store.readTicket(k, T0 + 1)).toBe('second');
      }),
    );
  });

  describe('opt-outs', () => {
    it(
      'records an opt-out per tenant, destination and medium, and lifts it',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const input = { tenantId: 'acme', destinationHash, medium: 'sms', optedOut: true };
        expect(await store.optOuts('acme', destinationHash)).toEqual([]);
        expect(await store.setOptOut(input)).toBe(true);
        expect(await store.setOptOut(input)).toBe(false);
        expect(await store.optOuts('acme', destinationHash)).toEqual(['sms']);
        expect(await store.optOuts('other', destinationHash)).toEqual([]);
        await store.setOptOut({ ...input, medium: 'voice' });
        expect(await store.optOuts('acme', destinationHash)).toEqual(['sms', 'voice']);
        expect(await store.setOptOut({ ...input, optedOut: false })).toBe(true);
        expect(await store.optOuts('acme', destinationHash)).toEqual(['voice']);
      }),
    );

    it(
      'reads them alongside allowed counters (when the store can), never alongside a refusal',
      withStore(async (store) => {
        const { destinationHash } = makeRecord();
        const reads = { optOuts: { tenantId: 'acme', destinationHash } };
        const key = `optout-read:${destinationHash}`;
        for (const medium of ['voice', 'sms']) {
          await store.setOptOut({ tenantId: 'acme', destinationHash, medium, optedOut: true });
        }
        const allowed = await store.hitCounters([rule(key, 1)], T0, reads);
        expect(allowed.allowed).toBe(true);
        // A store may leave the read out (a Cluster keeps the set in another slot); never wrong.
        if (options.readsOptOutsWithCounters === true) expect(allowed.optOuts).toBeDefined();
        expect(allowed.optOuts ?? (await store.optOuts('acme', destinationHash))).toEqual([
          'sms',
          'voice',
        ]);
        const none = await store.hitCounters([], T0, {
          optOuts: { tenantId: 'other', destinationHash },
        });
        expect(none.allowed).toBe(true);
        expect(none.optOuts ?? []).toEqual([]);
        const refused = await store.hitCounters([rule(key, 1)], T0 + 1_000, reads);
        expect(refused).toEqual({ allowed: false, key, retryAfter: 59 });
      }),
    );

    it(
      'creates a verification with allowing counters (when the store can): never over a limit or an opt-out',
      withStore(async (store) => {
        const record = makeRecord();
        const { destinationHash } = record;
        const key = `create-with:${destinationHash}`;
        const reads = { optOuts: { tenantId: 'default', destinationHash }, create: record };
        const allowed = await store.hitCounters([rule(key, 1)], T0, reads);
        expect(allowed.allowed).toBe(true);
        if (options.createsWithCounters === true) expect(allowed.created).toBe(true);
        // Created exactly when the answer says so: a store that leaves it out creates nothing.
        expect(await store.get(record.id)).toEqual(allowed.created === true ? record : null);

        const overLimit = makeRecord({ destinationHash });
        const refused = await store.hitCounters([rule(key, 1)], T0 + 1_000, {
          ...reads,
          create: overLimit,
        });
        expect(refused).toEqual({ allowed: false, key, retryAfter: 59 });
        expect(await store.get(overLimit.id)).toBeNull();

        await store.setOptOut({
          tenantId: 'default',
          destinationHash,
          medium: 'sms',
          optedOut: true,
        });
        const optedOut = makeRecord({ destinationHash });
        const read = await store.hitCounters([], T0, { ...reads, create: optedOut });
        expect(read.allowed).toBe(true);
        expect(read.created ?? false).toBe(false);
        expect(read.optOuts ?? (await store.optOuts('default', destinationHash))).toEqual(['sms']);
        expect(await store.get(optedOut.id)).toBeNull();

        // Without an opt-out read, only the counters decide.
        const plain = makeRecord();
        const alone = await store.hitCounters([], T0, { create: plain });
        expect(alone.allowed).toBe(true);
        expect(await store.get(plain.id)).toEqual(alone.created === true ? plain : null);
        if (options.createsWithCounters === true) expect(alone.created).toBe(true);
      }),
    );
  });
}
