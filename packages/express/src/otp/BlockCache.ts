/**
 * @internal
 * Keys this process knows to be over their failed-check limit, with the time each block ends:
 * lets `/check` refuse a blocked client without a store round trip. Bounded: when full, ended
 * blocks are dropped first, then the oldest.
 */
export class BlockCache {
  private readonly until = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Seconds until `key` is free again, or undefined when it is not blocked at `now`. */
  retryAfter(key: string, now: number): number | undefined {
    const end = this.until.get(key);
    if (end === undefined) return undefined;
    if (end <= now) {
      this.until.delete(key);
      return undefined;
    }
    return Math.max(1, Math.ceil((end - now) / 1_000));
  }

  block(key: string, end: number, now: number): void {
    this.until.delete(key);
    if (this.until.size >= this.capacity) this.evict(now);
    this.until.set(key, end);
  }

  get size(): number {
    return this.until.size;
  }

  private evict(now: number): void {
    for (const [key, end] of this.until) if (end <= now) this.until.delete(key);
    // Map iteration is in insertion order: the first key is the oldest block.
    while (this.until.size >= this.capacity) {
      const oldest = this.until.keys().next();
      if (oldest.done === true) break;
      this.until.delete(oldest.value);
    }
  }
}
