import type { Tickets } from '@checkpoint/core';
import type { TenantPolicy } from '@checkpoint/policy';
import { userKey } from './controlEvent.js';

/**
 * @internal
 * "At most one action per user per interval" as a Store ticket per (tenant, user, checkpoint):
 * claimed atomically when the guard lets the action through — so of concurrent requests on any
 * number of processes exactly one proceeds — and given back when the action did not succeed.
 */
export class Frequency {
  constructor(
    private readonly tickets: Tickets,
    private readonly now: () => number,
  ) {}

  /** Seconds until `userId` may act again at `checkpoint`, or 0 when now. */
  async wait(tenant: TenantPolicy, userId: string, checkpoint: string): Promise<number> {
    const value = await this.tickets.read(keyOf(tenant, userId, checkpoint));
    return value === null || this.over(value) ? 0 : this.secondsUntil(Number(value));
  }

  /**
   * Claims this interval for `userId`: 0 when claimed, else the seconds until the next one.
   */
  async claim(
    tenant: TenantPolicy,
    userId: string,
    checkpoint: string,
    intervalSeconds: number,
  ): Promise<number> {
    const key = keyOf(tenant, userId, checkpoint);
    const until = this.now() + intervalSeconds * 1000;
    const put = () => this.tickets.put({ key, value: String(until), ttlSeconds: intervalSeconds });
    if (await put()) return 0;
    let held = await this.tickets.read(key);
    // Over on this clock though the Store keeps it (clocks apart): whoever takes it claims anew.
    if (held !== null && this.over(held) && (await this.tickets.take(key)) !== null) {
      if (await put()) return 0;
      held = await this.tickets.read(key);
    }
    // Taken and gone between the two calls: the next request claims it.
    return held === null ? 1 : this.secondsUntil(Number(held));
  }

  /** Gives the interval back (the action failed). */
  async release(tenant: TenantPolicy, userId: string, checkpoint: string): Promise<void> {
    await this.tickets.take(keyOf(tenant, userId, checkpoint));
  }

  private over(value: string): boolean {
    return Number(value) <= this.now();
  }

  private secondsUntil(until: number): number {
    return Number.isFinite(until) ? Math.max(1, Math.ceil((until - this.now()) / 1000)) : 1;
  }
}

function keyOf(tenant: TenantPolicy, userId: string, checkpoint: string): string {
  return userKey(`su:once:${checkpoint}`, tenant, userId);
}
