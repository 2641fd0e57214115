import { describe } from 'vitest';
import type { Store } from '../store/Store.js';
import { describeLifecycleOnStore } from './lifecycleOnStore.js';
import { describeStoreCheckCounters } from './storeCheckCounters.js';
import { describeStoreFailureBudget } from './storeFailureBudget.js';
import { describeStoreOperations } from './storeOperations.js';

/** How the conformance suite gets a store to test. */
export interface StoreConformanceOptions {
  /** Suite title, e.g. `'RedisStore (cluster)'`. */
  name: string;
  /** A store whose state no other test sees (a fresh instance, or its own key prefix). */
  create: () => Store | Promise<Store>;
  /** Releases what `create` made (connections, keys). */
  destroy?: (store: Store) => void | Promise<void>;
  /**
   * Everything the store holds for this test, as text, so the suite can prove that no plaintext
   * code is ever stored. Omit to skip that assertion (it is then the store author's to prove).
   */
  dump?: (store: Store) => string | Promise<string>;
  /**
   * Whether `hitCounters` answers the opt-out read it is given (one round trip for a send)
   * rather than leaving it to `optOuts`. @default false (either is conformant)
   */
  readsOptOutsWithCounters?: boolean;
  /**
   * Whether `hitCounters` creates the verification it is given (`reads.create`) in the counters'
   * own step rather than leaving it to `create`. @default false (either is conformant)
   */
  createsWithCounters?: boolean;
  /**
   * Whether `check` tests and charges its `counters` in the check's own atomic step, so that
   * concurrent approvals near a limit are never refused (a store that reserves first and refunds
   * after — Redis Cluster — may refuse them). @default false (either is conformant)
   */
  checksCountersAtomically?: boolean;
}

/**
 * The Store conformance suite: every atomic operation the lifecycle relies on, concurrency
 * included, then the lifecycle itself (send, check, resend, binding, exactly-once) on the store.
 * Every Store implementation runs it unchanged.
 *
 * @example
 * // redis-store.test.ts
 * import { describeStoreConformance } from '@checkpoint/core/testing';
 * describeStoreConformance({ name: 'RedisStore', create: () => new RedisStore({ redis, prefix }) });
 */
export function describeStoreConformance(options: StoreConformanceOptions): void {
  describe(`${options.name} conforms to the Store contract`, () => {
    describeStoreOperations(options);
    describeStoreCheckCounters(options);
    describeStoreFailureBudget(options);
    describeLifecycleOnStore(options);
  });
}
