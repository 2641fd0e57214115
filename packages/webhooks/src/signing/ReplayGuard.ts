import type { Store } from '@checkpoint/core';

/**
 * Remembers the `webhook-id`s a receiver has accepted, so that a captured request sent again
 * within the tolerance window is recognised. Only ids of requests whose signature verified are
 * recorded: nobody without the secret can fill it.
 */
export interface ReplayGuard {
  /**
   * Records `id` for `ttlSeconds` from `now` (epoch ms). Resolves true the first time, false when
   * the id is already recorded and not yet forgotten (a replay).
   */
  firstSeen(id: string, ttlSeconds: number, now: number): Promise<boolean>;
}

/** Options of {@link memoryReplayGuard}. */
export interface MemoryReplayGuardOptions {
  /** Ids kept at most; past it the oldest go first. @default 100_000 */
  maxEntries?: number;
}

/**
 * A replay guard in this process's memory: for one receiving process. With several, use
 * {@link storeReplayGuard} on a shared Store.
 *
 * @example
 * const seen = memoryReplayGuard();
 * await verifyWebhook({ secrets, headers, rawBody, seen });
 */
export function memoryReplayGuard({
  maxEntries = 100_000,
}: MemoryReplayGuardOptions = {}): ReplayGuard {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('memoryReplayGuard: maxEntries must be a positive integer');
  }
  // Insertion order is expiry order, as every entry gets the same ttl from a forward clock.
  const expiries = new Map<string, number>();
  return {
    async firstSeen(id, ttlSeconds, now) {
      const expiresAt = expiries.get(id);
      if (expiresAt !== undefined && expiresAt > now) return false;
      expiries.delete(id);
      for (const [key, at] of expiries) {
        if (at > now && expiries.size < maxEntries) break;
        expiries.delete(key);
      }
      expiries.set(id, now + ttlSeconds * 1_000);
      return true;
    },
  };
}

/** Options of {@link storeReplayGuard}. */
export interface StoreReplayGuardOptions {
  /** Namespaces the tickets. @default 'webhook:seen:' */
  prefix?: string;
}

/**
 * A replay guard on a Checkpoint Store's single-use tickets (`putTicket` refuses a key that is
 * taken), so every process sharing the Store — a RedisStore — sees the same ids.
 *
 * @example
 * const seen = storeReplayGuard(store); // the Store given to createCheckpoint
 */
export function storeReplayGuard(
  store: Pick<Store, 'putTicket'>,
  { prefix = 'webhook:seen:' }: StoreReplayGuardOptions = {},
): ReplayGuard {
  if (typeof store?.putTicket !== 'function') {
    throw new TypeError('storeReplayGuard requires a Checkpoint Store (with putTicket)');
  }
  return {
    firstSeen: (id, ttlSeconds, now) =>
      store.putTicket({ key: `${prefix}${id}`, value: '1', ttlSeconds, now }),
  };
}
