import { type Clock, systemClock, type TimerHandle } from '@checkpoint/core';
import type { DeadLetter, DeadLetterQuery, WebhookDelivery, WebhookQueue } from './WebhookQueue.js';

/** Options of {@link MemoryWebhookQueue}. */
export interface MemoryWebhookQueueOptions {
  /** Timers for due deliveries. @default systemClock (unref'd timers) */
  clock?: Clock;
  /** Dead letters kept per tenant; past it the oldest go. @default 1000 */
  maxDeadLetters?: number;
  /** Deliveries sent at once; due ones beyond it wait their turn. @default 10 */
  concurrency?: number;
}

/**
 * Deliveries on timers in this process, dead letters and disabled endpoints in memory. Pending
 * retries are lost when the process exits: use `BullMQWebhookQueue` when they must survive a
 * restart or run in another process.
 *
 * @example
 * const webhooks = createWebhooks({ endpoints, queue: new MemoryWebhookQueue({ maxDeadLetters: 100 }) });
 */
export class MemoryWebhookQueue implements WebhookQueue {
  private readonly clock: Clock;
  private readonly maxDeadLetters: number;
  private readonly concurrency: number;
  private readonly due: WebhookDelivery[] = [];
  private readonly timers = new Set<TimerHandle>();
  private readonly running = new Set<Promise<void>>();
  private readonly dead = new Map<string, DeadLetter>();
  private readonly disabled = new Set<string>();
  private run: ((delivery: WebhookDelivery) => Promise<void>) | undefined;
  private closed = false;

  constructor({
    clock = systemClock,
    maxDeadLetters = 1_000,
    concurrency = 10,
  }: MemoryWebhookQueueOptions = {}) {
    if (!Number.isInteger(maxDeadLetters) || maxDeadLetters < 1) {
      throw new TypeError('MemoryWebhookQueue: maxDeadLetters must be a positive integer');
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TypeError('MemoryWebhookQueue: concurrency must be a positive integer');
    }
    this.clock = clock;
    this.maxDeadLetters = maxDeadLetters;
    this.concurrency = concurrency;
  }

  start(run: (delivery: WebhookDelivery) => Promise<void>): void {
    this.run = run;
  }

  async add(delivery: WebhookDelivery, delayMs: number): Promise<void> {
    if (this.closed) return;
    const copy = structuredClone(delivery);
    const timer = this.clock.setTimer(() => {
      this.timers.delete(timer);
      this.due.push(copy);
      return this.drain();
    }, delayMs);
    this.timers.add(timer);
  }

  async addDeadLetter(letter: DeadLetter): Promise<void> {
    this.dead.delete(letter.id);
    this.dead.set(letter.id, structuredClone(letter));
    const ofTenant = [...this.dead.values()].filter((entry) => entry.tenantId === letter.tenantId);
    for (const old of ofTenant.slice(0, Math.max(0, ofTenant.length - this.maxDeadLetters))) {
      this.dead.delete(old.id);
    }
  }

  async deadLetters({ tenantId, limit = 100 }: DeadLetterQuery): Promise<DeadLetter[]> {
    return [...this.dead.values()]
      .filter((letter) => letter.tenantId === tenantId)
      .reverse()
      .slice(0, limit)
      .map((letter) => structuredClone(letter));
  }

  async takeDeadLetter(id: string): Promise<DeadLetter | null> {
    const letter = this.dead.get(id);
    if (letter === undefined) return null;
    this.dead.delete(id);
    return letter;
  }

  async setDisabled(url: string, disabled: boolean): Promise<boolean> {
    if (this.disabled.has(url) === disabled) return false;
    if (disabled) this.disabled.add(url);
    else this.disabled.delete(url);
    return true;
  }

  async isDisabled(url: string): Promise<boolean> {
    return this.disabled.has(url);
  }

  /** Deliveries waiting for their time or their turn (not those under way), for diagnostics. */
  get pending(): number {
    return this.timers.size + this.due.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) this.clock.clearTimer(timer);
    this.timers.clear();
    this.due.length = 0;
    await Promise.allSettled([...this.running]);
  }

  /** Starts due deliveries while there is room; resolves when those it started have finished. */
  private async drain(): Promise<void> {
    const started: Promise<void>[] = [];
    while (!this.closed && this.run !== undefined && this.running.size < this.concurrency) {
      const delivery = this.due.shift();
      if (delivery === undefined) break;
      started.push(this.execute(this.run, delivery));
    }
    await Promise.all(started);
  }

  private async execute(
    run: (delivery: WebhookDelivery) => Promise<void>,
    delivery: WebhookDelivery,
  ): Promise<void> {
    const running = run(delivery).catch((error: unknown) => {
      // The runner reports its own failures; this is only a last resort.
      console.error('checkpoint: webhook delivery failed', error);
    });
    this.running.add(running);
    try {
      await running;
    } finally {
      this.running.delete(running);
    }
    // A slot is free: the next due delivery takes it.
    await this.drain();
  }
}
