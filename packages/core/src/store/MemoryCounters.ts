import {
  type BudgetRule,
  type BudgetState,
  budgetFailure,
  budgetLocked,
} from '../velocity/failureBudget.js';
import type { CounterRule } from './Store.js';

interface Counter {
  count: number;
  resetAt: number;
}

/**
 * @internal
 * MemoryStore's window counters and failure budgets (see {@link CounterRule}), judged against the
 * caller's clock. Synchronous, so each call is atomic within MemoryStore's own step.
 */
export class MemoryCounters {
  private readonly counters = new Map<string, Counter>();
  private readonly budgets = new Map<string, BudgetState>();

  /** The rule of `rules` with no room for one more (a budget: locked) and the longest wait. */
  denial(
    rules: readonly CounterRule[],
    now: number,
  ): { key: string; retryAfter: number } | undefined {
    let denied: { key: string; retryAfter: number } | undefined;
    for (const rule of rules) {
      let until: number | undefined;
      if (rule.lockSeconds === undefined) {
        const counter = this.live(rule.key, now);
        if (counter !== undefined && counter.count + 1 > rule.limit) until = counter.resetAt;
      } else {
        const budget = this.budgets.get(rule.key);
        if (budget !== undefined && budgetLocked(budget, now)) until = budget.lockedUntil;
      }
      if (until === undefined) continue;
      const retryAfter = Math.ceil((until - now) / 1_000);
      if (denied === undefined || retryAfter > denied.retryAfter)
        denied = { key: rule.key, retryAfter };
    }
    return denied;
  }

  /** Adds each rule's cost: one to a window counter, one failure to a budget. */
  add(rules: readonly CounterRule[], now: number): void {
    for (const rule of rules) {
      if (rule.cost === 0) continue;
      if (rule.lockSeconds === undefined) this.bump(rule.key, rule.windowSeconds, now);
      else
        this.fail(
          rule.key,
          {
            limit: rule.limit,
            windowMs: rule.windowSeconds * 1_000,
            lockMs: rule.lockSeconds * 1_000,
          },
          now,
        );
    }
  }

  /** A budget's state (possibly of an ended window: {@link budgetLocked} judges it). */
  budget(key: string): BudgetState | undefined {
    return this.budgets.get(key);
  }

  /** Counts one failure on a budget, which may lock it. */
  fail(key: string, rule: BudgetRule, now: number): void {
    this.budgets.set(key, budgetFailure(this.budgets.get(key), rule, now));
  }

  /** Clears a budget (an approval). */
  clear(key: string): void {
    this.budgets.delete(key);
  }

  /** Drops what has ended. */
  sweep(now: number): void {
    for (const [key, counter] of this.counters)
      if (now >= counter.resetAt) this.counters.delete(key);
    for (const [key, budget] of this.budgets) if (now >= budget.resetAt) this.budgets.delete(key);
  }

  /** Everything held, for MemoryStore's `dump()`. */
  entries(): { counters: Array<[string, Counter]>; budgets: Array<[string, BudgetState]> } {
    return { counters: [...this.counters.entries()], budgets: [...this.budgets.entries()] };
  }

  private live(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter === undefined) return undefined;
    if (now >= counter.resetAt) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private bump(key: string, windowSeconds: number, now: number): void {
    const counter = this.live(key, now);
    if (counter === undefined)
      this.counters.set(key, { count: 1, resetAt: now + windowSeconds * 1_000 });
    else counter.count += 1;
  }
}
