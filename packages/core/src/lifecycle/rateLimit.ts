import { invalidRequest } from '../errors/CheckpointError.js';
import { type Runtime, storeCall } from './runtime.js';

/** A counter for the app's own limits (failed checks per IP, sends per account, …). */
export interface RateLimitInput {
  /** What is counted, e.g. `failed-check:ip:<keyed hash>`. Letters, digits and `_ . : -` only. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** 1 counts this event; 0 only tests whether the limit is reached. @default 1 */
  cost?: 0 | 1;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfter: number };

const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * @internal
 * A window counter in the Store, shared by every process on it: the building block for limits
 * the HTTP layer adds (failed checks per IP and per subject across verification ids).
 */
export async function rateLimit(runtime: Runtime, input: RateLimitInput): Promise<RateLimitResult> {
  const { key, limit, windowSeconds, cost = 1 } = input;
  if (typeof key !== 'string' || !KEY.test(key))
    throw invalidRequest('rate limit `key` must be 1 to 200 letters, digits or _ . : -');
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 1
  ) {
    throw invalidRequest('rate limit `limit` and `windowSeconds` must be positive integers');
  }
  // Under their own namespace, so an app's key can never collide with core's counters.
  const result = await storeCall(runtime, 'rateLimit', () =>
    runtime.store.hitCounters(
      [{ key: `app:${key}`, limit, windowSeconds, cost }],
      runtime.clock.now(),
    ),
  );
  return result.allowed ? { allowed: true } : { allowed: false, retryAfter: result.retryAfter };
}
