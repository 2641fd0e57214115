import {
  type CounterReadResult,
  type CounterReads,
  type CounterRule,
  MemoryStore,
  type StoreCheckInput,
  type StoreCheckResult,
} from '@checkpoint/core';

/** A real MemoryStore that counts the operations the tests compare (not a mock: it stores). */
export class CountingStore extends MemoryStore {
  counterCalls = 0;
  checkCalls = 0;
  /** Checks that compared a code (spent an attempt). */
  evaluations = 0;
  counterKeys: string[] = [];
  /** The keys of the counters checks were charged to (`counters` of `Store.check`). */
  checkCounterKeys: string[] = [];

  /** Counts calls with counters; an approval's conversion tallies alone (no rules) are not one. */
  override hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: CounterReads,
  ): Promise<CounterReadResult> {
    if (rules.length > 0) this.counterCalls += 1;
    for (const rule of rules) this.counterKeys.push(rule.key);
    return super.hitCounters(rules, now, reads);
  }

  override async check(input: StoreCheckInput): Promise<StoreCheckResult> {
    this.checkCalls += 1;
    for (const rule of input.counters ?? []) this.checkCounterKeys.push(rule.key);
    const result = await super.check(input);
    if ('evaluated' in result && result.evaluated) this.evaluations += 1;
    return result;
  }

  reset(): void {
    this.counterCalls = 0;
    this.checkCalls = 0;
    this.evaluations = 0;
    this.counterKeys = [];
    this.checkCounterKeys = [];
  }
}
