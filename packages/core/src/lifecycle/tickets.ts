import { CheckpointError } from '../errors/CheckpointError.js';
import { type Runtime, storeCall } from './runtime.js';

/**
 * Single-use values and markers kept in the Checkpoint's Store, on its clock: what a layer above
 * core (a step-up grant, a signed-out session) keeps so that every process sharing the Store sees
 * it. A store failure is `CheckpointError('store_unavailable')`: callers fail closed.
 *
 * @example
 * await checkpoint.tickets.put({ key: `grant:${hash}`, value: '1', ttlSeconds: 300 });
 * const once = await checkpoint.tickets.take(`grant:${hash}`); // '1' for exactly one caller
 */
export interface Tickets {
  /** Keeps `value` under `key` for `ttlSeconds`; false when the key is held (unless `replace`). */
  put(input: {
    key: string;
    value: string;
    ttlSeconds: number;
    replace?: boolean;
  }): Promise<boolean>;
  /** Takes a value in one atomic step: of any number of concurrent callers, exactly one gets it. */
  take(key: string): Promise<string | null>;
  /** Reads a value without taking it. */
  read(key: string): Promise<string | null>;
}

/** @internal The Tickets of a runtime. */
export function ticketsOf(runtime: Runtime): Tickets {
  return {
    put: async ({ key, value, ttlSeconds, replace = false }) => {
      checkKey(key);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
        throw new TypeError('tickets.put needs ttlSeconds, a whole number of at least 1');
      }
      return storeCall(runtime, 'putTicket', () =>
        runtime.store.putTicket({ key, value, ttlSeconds, now: runtime.clock.now(), replace }),
      );
    },
    take: async (key) => {
      checkKey(key);
      return storeCall(runtime, 'takeTicket', () =>
        runtime.store.takeTicket(key, runtime.clock.now()),
      );
    },
    read: async (key) => {
      checkKey(key);
      return storeCall(runtime, 'readTicket', () =>
        runtime.store.readTicket(key, runtime.clock.now()),
      );
    },
  };
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '' || key.length > 256) {
    throw new CheckpointError('invalid_request', 'a ticket key is a string of 1 to 256 characters');
  }
}
