import {
  type CounterResult,
  type CounterRule,
  MemoryStore,
  type StoreCheckInput,
  type StoreCheckResult,
} from '@checkpoint/core';

/** A real MemoryStore that counts the operations the tests compare (not a mock: it stores). */
export class CountingStore extends MemoryStore {
  counterCalls = 0;
  checkCalls = 0;
  counterKeys: string[] = [];

  override hitCounters(rules: readonly CounterRule[], now: number): Promise<CounterResult> {
    this.counterCalls += 1;
    for (const rule of rules) this.counterKeys.push(rule.key);
    return super.hitCounters(rules, now);
  }

  override check(input: StoreCheckInput): Promise<StoreCheckResult> {
    this.checkCalls += 1;
    return super.check(input);
  }

  reset(): void {
    this.counterCalls = 0;
    this.checkCalls = 0;
    this.counterKeys = [];
  }
}
