import { describe, expect, it } from 'vitest';
import type { FactorOwner, FactorStore, TotpRecord } from '../store/FactorStore.js';

const NOW = Date.UTC(2026, 10, 22, 12);
let counter = 0;
const ownerOf = (label: string): FactorOwner => ({
  tenantId: 'acme',
  userId: `u_${label}_${(counter += 1)}`,
});
const record = (id: string): TotpRecord => ({
  id,
  secret: 'v1.k0.sealed.value',
  algorithm: 'sha1',
  digits: 6,
  period: 30,
  createdAt: NOW,
});

/**
 * The contract every {@link FactorStore} passes: run it in a Vitest file with a factory for
 * fresh stores. Concurrent calls are made with `Promise.all`, so a store whose steps are not
 * atomic fails the single-use tests.
 *
 * @example factorStoreConformance('RedisFactorStore', () => new RedisFactorStore({ redis, prefix }));
 */
export function factorStoreConformance(name: string, makeStore: () => FactorStore): void {
  describe(`${name} (FactorStore contract)`, () => {
    it('keeps an enrolment pending until it is activated, then only the active app', async () => {
      const store = makeStore();
      const owner = ownerOf('totp');
      await store.putPendingTotp(owner, record('totp_a'), NOW + 600_000);
      expect(await store.getTotp(owner, NOW)).toEqual({
        pending: record('totp_a'),
        pendingExpiresAt: NOW + 600_000,
      });
      expect(await store.activateTotp(owner, { id: 'totp_b', step: 5, now: NOW })).toBeNull();
      expect(await store.activateTotp(owner, { id: 'totp_a', step: 5, now: NOW })).toEqual({
        ...record('totp_a'),
        confirmedAt: NOW,
      });
      expect(await store.getTotp(owner, NOW)).toEqual({
        active: { ...record('totp_a'), confirmedAt: NOW },
        lastStep: 5,
      });
    });

    it('does not activate or show an enrolment past its time', async () => {
      const store = makeStore();
      const owner = ownerOf('late');
      await store.putPendingTotp(owner, record('totp_a'), NOW + 1_000);
      expect(await store.getTotp(owner, NOW + 1_000)).toEqual({});
      expect(
        await store.activateTotp(owner, { id: 'totp_a', step: 1, now: NOW + 1_000 }),
      ).toBeNull();
    });

    it('accepts each time step once and never an earlier one, exactly once under concurrency', async () => {
      const store = makeStore();
      const owner = ownerOf('steps');
      await store.putPendingTotp(owner, record('totp_a'), NOW + 600_000);
      await store.activateTotp(owner, { id: 'totp_a', step: 10, now: NOW });
      expect(await store.useTotpStep(owner, { id: 'totp_a', step: 10 })).toBe(false);
      expect(await store.useTotpStep(owner, { id: 'totp_b', step: 11 })).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.useTotpStep(owner, { id: 'totp_a', step: 11 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.useTotpStep(owner, { id: 'totp_a', step: 10 })).toBe(false);
      expect(await store.useTotpStep(owner, { id: 'totp_a', step: 12 })).toBe(true);
    });

    it('stores a resealed secret with an accepted step only', async () => {
      const store = makeStore();
      const owner = ownerOf('reseal');
      await store.putPendingTotp(owner, record('totp_a'), NOW + 600_000);
      await store.activateTotp(owner, { id: 'totp_a', step: 10, now: NOW });
      const before = (await store.getTotp(owner, NOW)).active;
      const resealed = { ...record('totp_a'), secret: 'v1.k1.resealed' };
      // A refused step stores nothing.
      expect(await store.useTotpStep(owner, { id: 'totp_a', step: 10, resealed })).toBe(false);
      expect((await store.getTotp(owner, NOW)).active).toEqual(before);
      expect(await store.useTotpStep(owner, { id: 'totp_a', step: 11, resealed })).toBe(true);
      expect(await store.getTotp(owner, NOW)).toMatchObject({
        active: { ...before, secret: 'v1.k1.resealed', confirmedAt: NOW },
        lastStep: 11,
      });
    });

    it('removes the app only when the id matches, and forgets its steps', async () => {
      const store = makeStore();
      const owner = ownerOf('remove');
      expect(await store.deleteTotp(owner)).toBe(false);
      await store.putPendingTotp(owner, record('totp_a'), NOW + 600_000);
      await store.activateTotp(owner, { id: 'totp_a', step: 10, now: NOW });
      expect(await store.deleteTotp(owner, 'totp_b')).toBe(false);
      expect(await store.deleteTotp(owner, 'totp_a')).toBe(true);
      expect(await store.getTotp(owner, NOW)).toEqual({});
    });

    it('spends a recovery code exactly once under concurrency and replaces whole sets', async () => {
      const store = makeStore();
      const owner = ownerOf('codes');
      expect(await store.recoveryCodes(owner)).toBeNull();
      await store.replaceRecoveryCodes(owner, { hashes: ['k0.a', 'k0.b', 'k0.c'], createdAt: NOW });
      const uses = await Promise.all(
        Array.from({ length: 20 }, () => store.useRecoveryCode(owner, ['k1.a', 'k0.a'])),
      );
      expect(uses.filter((use) => use.used)).toEqual([{ used: true, remaining: 2 }]);
      expect(await store.recoveryCodes(owner)).toEqual({ remaining: 2, createdAt: NOW });
      await store.replaceRecoveryCodes(owner, { hashes: ['k0.d'], createdAt: NOW + 1 });
      expect(await store.useRecoveryCode(owner, ['k0.b'])).toEqual({ used: false });
      expect(await store.useRecoveryCode(owner, ['k0.d'])).toEqual({ used: true, remaining: 0 });
      await store.replaceRecoveryCodes(owner, { hashes: [], createdAt: NOW + 2 });
      expect(await store.recoveryCodes(owner)).toBeNull();
    });

    it('keeps devices per owner until they expire or are revoked', async () => {
      const store = makeStore();
      const ada = ownerOf('ada');
      const bob = ownerOf('bob');
      const device = (id: string, createdAt: number) => ({
        id,
        createdAt,
        expiresAt: createdAt + 1_000,
        label: 'Firefox on Linux',
      });
      await store.putDevice(ada, device('dev_1', NOW));
      await store.putDevice(ada, device('dev_2', NOW + 10));
      expect(await store.getDevice(bob, 'dev_1', NOW)).toBeNull();
      expect(await store.getDevice(ada, 'dev_1', NOW + 999)).toEqual(device('dev_1', NOW));
      expect(await store.getDevice(ada, 'dev_1', NOW + 1_000)).toBeNull();
      expect((await store.listDevices(ada, NOW + 5)).map((d) => d.id)).toEqual(['dev_1', 'dev_2']);
      expect(await store.listDevices(ada, NOW + 1_005)).toEqual([device('dev_2', NOW + 10)]);
      expect(await store.deleteDevice(ada, 'dev_2')).toBe(true);
      expect(await store.deleteDevice(ada, 'dev_2')).toBe(false);
      await store.putDevice(ada, device('dev_3', NOW + 20));
      await store.putDevice(bob, device('dev_4', NOW + 20));
      expect(await store.deleteDevices(ada)).toBeGreaterThanOrEqual(1);
      expect(await store.listDevices(ada, NOW + 20)).toEqual([]);
      expect(await store.listDevices(bob, NOW + 20)).toHaveLength(1);
    });
  });
}
