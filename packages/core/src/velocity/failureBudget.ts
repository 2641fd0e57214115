import { createHash } from 'node:crypto';

/**
 * The most failures a budget admits in one window, whatever its `limit`: the lock that would let
 * the count pass it lasts until the window ends.
 * @see NIST SP 800-63B rev 4 §3.2.2 (consecutive failed attempts limited to no more than 100)
 */
export const MAX_FAILURES_PER_WINDOW = 100;

/** @internal A failure budget's state: failures in the window, when it ends, locked until when. */
export interface BudgetState {
  count: number;
  resetAt: number;
  lockedUntil: number;
}

/** @internal How a budget counts: `limit` failures per lock, the window, the first lock (ms). */
export interface BudgetRule {
  limit: number;
  windowMs: number;
  lockMs: number;
}

/**
 * @internal
 * Who a destination's failure budget belongs to: the tenant and the subject of the verification
 * (none for sign-up and other anonymous sends). A verification that does not prove who the user is
 * can only spend the anonymous budget of its tenant, never an account's. Hashed (SHA-1, 64 bits)
 * to keep store keys short; RedisStore's check script computes the same from the record.
 */
export function budgetOwner(tenantId: string, subject: string | undefined): string {
  return createHash('sha1')
    .update(`${tenantId}\0${subject ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * @internal
 * The counter key of a destination's failure budget for one owner: `fail:<destination hash>:<owner>`.
 * The destination hash comes first so a store can place the budget beside the destination's
 * verifications.
 */
export function failureBudgetKey(input: {
  destinationHash: string;
  tenantId: string;
  subject?: string | undefined;
}): string {
  return `fail:${input.destinationHash}:${budgetOwner(input.tenantId, input.subject)}`;
}

/** @internal True while the budget refuses (sends and checks). */
export function budgetLocked(state: BudgetState | undefined, now: number): boolean {
  return state !== undefined && now < state.lockedUntil;
}

/**
 * @internal
 * The state after one more failure. Every `limit`-th failure locks the budget: for `lockMs`
 * doubled per lock already taken in this window, never past the window's end; the lock that
 * would let the count pass {@link MAX_FAILURES_PER_WINDOW}, or any lock when `lockMs` is 0, lasts
 * until the window ends. Growing delays rather than one day-long block keep a rightful user who
 * mistyped in, while guessing stays bounded (NIST SP 800-63B rev 4 §3.2.2).
 */
export function budgetFailure(
  state: BudgetState | undefined,
  rule: BudgetRule,
  now: number,
): BudgetState {
  const live = state !== undefined && now < state.resetAt ? state : undefined;
  const resetAt = live?.resetAt ?? now + rule.windowMs;
  const count = (live?.count ?? 0) + 1;
  let lockedUntil = live?.lockedUntil ?? 0;
  if (count % rule.limit === 0) {
    const final = rule.lockMs <= 0 || count + rule.limit > MAX_FAILURES_PER_WINDOW;
    const lock = rule.lockMs * 2 ** (count / rule.limit - 1);
    lockedUntil = final ? resetAt : Math.min(resetAt, now + lock);
  }
  return { count, resetAt, lockedUntil };
}
