import { CheckpointError, invalidRequest } from '../errors/CheckpointError.js';
import type { CounterRule } from '../store/Store.js';
import { type Runtime, storeCall } from './runtime.js';

/** A counter for the app's own limits (failed checks per IP, sends per account, …). */
export interface RateLimitInput {
  /** What is counted, e.g. `failed-check:ip:<keyed hash>`. Letters, digits and `_ . : -` only. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** 1 counts this event; 0 only tests whether the limit is reached. @default 1 */
  cost?: 0 | 1;
  /**
   * Makes the counter a failure budget, the kind core keeps per destination: it refuses only
   * while locked, and every `limit` events lock it — for `lockSeconds`, doubling with each lock in
   * the window, never past the window's end, and until the window ends before the count could pass
   * 100 (0: until the window ends at the first `limit`). @default none (a plain window counter)
   */
  lockSeconds?: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * An app counter `checkpoint.check` is charged to (failed checks per IP, per user): checked before
 * the code is compared, charged unless the check approves — one atomic step with the check.
 * @example { key: `failed-check:ip:${ipHash}`, limit: 30, windowSeconds: 900, reason: 'failed_checks:ip' }
 * @see NIST SP 800-63B rev 4 §3.2.2 (rate limiting), OWASP ASVS 5.0 V6.6.3, V15.4.2 (check and act atomically)
 */
export interface CheckLimit {
  /** The same counter as {@link RateLimitInput.key}: both count on one window. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** Reported in the refusal's `reasons`, e.g. `failed_checks:ip`. Letters, digits and `_ . : -`. */
  reason: string;
}

const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * @internal
 * A window counter in the Store, shared by every process on it: the building block for limits
 * the HTTP layer adds (failed checks per IP and per subject across verification ids).
 */
export async function rateLimit(runtime: Runtime, input: RateLimitInput): Promise<RateLimitResult> {
  const { cost = 1, lockSeconds } = input;
  const rule = appCounter(input, cost);
  if (lockSeconds !== undefined) {
    if (!Number.isInteger(lockSeconds) || lockSeconds < 0)
      throw invalidRequest('rate limit `lockSeconds` must be a whole number of seconds, 0 or more');
    rule.lockSeconds = lockSeconds;
  }
  const result = await storeCall(runtime, 'rateLimit', () =>
    runtime.store.hitCounters([rule], runtime.clock.now()),
  );
  return result.allowed ? { allowed: true } : { allowed: false, retryAfter: result.retryAfter };
}

/**
 * @internal
 * The store counters of `checkpoint.check`'s `limits`, and the refusal to throw when the store
 * answers that one of them is full. Validated as `rateLimit` validates its input.
 */
export function checkLimits(raw: unknown): {
  counters: CounterRule[];
  refusal: (key: string, retryAfter: number) => CheckpointError;
} {
  if (raw !== undefined && !Array.isArray(raw))
    throw invalidRequest('`limits` must be an array of { key, limit, windowSeconds, reason }');
  const limits = (raw ?? []) as readonly CheckLimit[];
  const reasons = new Map<string, string>();
  const counters = limits.map((limit) => {
    if (typeof limit?.reason !== 'string' || !KEY.test(limit.reason))
      throw invalidRequest('a check limit needs a `reason` of letters, digits or _ . : -');
    const counter = appCounter(limit, 1);
    reasons.set(counter.key, limit.reason);
    return counter;
  });
  return {
    counters,
    refusal: (key, retryAfter) => {
      const reason = reasons.get(key) ?? 'rate_limited';
      return new CheckpointError(
        'rate_limited',
        `too many failed checks (${reason}); retry in ${retryAfter} s`,
        { retryAfter, reasons: [reason] },
      );
    },
  };
}

function appCounter(
  input: { key: unknown; limit: unknown; windowSeconds: unknown },
  cost: 0 | 1,
): CounterRule {
  const { key, limit, windowSeconds } = input;
  if (typeof key !== 'string' || !KEY.test(key))
    throw invalidRequest('rate limit `key` must be 1 to 200 letters, digits or _ . : -');
  if (
    !Number.isInteger(limit) ||
    (limit as number) < 1 ||
    !Number.isInteger(windowSeconds) ||
    (windowSeconds as number) < 1
  ) {
    throw invalidRequest('rate limit `limit` and `windowSeconds` must be positive integers');
  }
  // Under their own namespace, so an app's key can never collide with core's counters.
  return {
    key: `app:${key}`,
    limit: limit as number,
    windowSeconds: windowSeconds as number,
    cost,
  };
}
