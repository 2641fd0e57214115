import { describe, expect, it } from 'vitest';
import {
  budgetFailure,
  budgetLocked,
  budgetOwner,
  failureBudgetKey,
  MAX_FAILURES_PER_WINDOW,
} from './failureBudget.js';

const T0 = 1_000_000;
const rule = { limit: 20, windowMs: 86_400_000, lockMs: 300_000 };

/** The state after `failures` failures at `now`, starting from none. */
function after(failures: number, now = T0, r = rule) {
  let state: ReturnType<typeof budgetFailure> | undefined;
  for (let i = 0; i < failures; i += 1) state = budgetFailure(state, r, now);
  return state;
}

describe('failure budgets', () => {
  it('names one budget per destination, tenant and subject, anonymous apart', () => {
    const alice = failureBudgetKey({
      destinationHash: 'AbCd1',
      tenantId: 'acme',
      subject: 'alice',
    });
    expect(alice).toMatch(/^fail:AbCd1:[0-9a-f]{16}$/);
    expect(failureBudgetKey({ destinationHash: 'AbCd1', tenantId: 'acme' })).not.toBe(alice);
    expect(
      failureBudgetKey({ destinationHash: 'AbCd1', tenantId: 'globex', subject: 'alice' }),
    ).not.toBe(alice);
    // The separator cannot be forged: tenant 'a' + subject 'b' differs from tenant 'a\0b' + none.
    expect(budgetOwner('a', 'b')).not.toBe(budgetOwner('a:b', undefined));
  });

  it('locks at every `limit` failures for 5, 10, 20, 40 minutes, then until the window ends', () => {
    const locks: number[] = [];
    let state: ReturnType<typeof budgetFailure> | undefined;
    let now = T0;
    for (let i = 1; i <= MAX_FAILURES_PER_WINDOW; i += 1) {
      state = budgetFailure(state, rule, now);
      if (i % rule.limit === 0) {
        locks.push((state.lockedUntil - now) / 60_000);
        now = state.lockedUntil;
      }
    }
    expect(locks.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(state?.lockedUntil).toBe(state?.resetAt);
  });

  it('is open below the limit and forgets everything when the window ends', () => {
    expect(budgetLocked(after(19), T0)).toBe(false);
    expect(budgetLocked(after(20), T0)).toBe(true);
    const fresh = budgetFailure(after(20), rule, T0 + rule.windowMs);
    expect(fresh).toEqual({ count: 1, resetAt: T0 + 2 * rule.windowMs, lockedUntil: 0 });
  });

  it('locks until the window ends at the first limit when there is no lock time', () => {
    const state = after(20, T0, { ...rule, lockMs: 0 });
    expect(state?.lockedUntil).toBe(T0 + rule.windowMs);
  });
});
