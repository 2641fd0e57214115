import type { TallyOp } from './Store.js';

interface Tally {
  /** Counts by `<family><bucket index>`. */
  counts: Map<string, number>;
  /** When the whole tally is forgotten: `keepSeconds` after its newest bucket ends. */
  expiresAt: number;
}

/**
 * @internal
 * The bucket index of `at`, and the indexes whose buckets start in `[from, to)`: the arithmetic
 * every store shares for {@link TallyOp} (RedisStore's Lua does the same).
 */
export function tallyBucket(at: number, bucketSeconds: number): number {
  return Math.floor(at / (bucketSeconds * 1_000));
}

/** @internal See {@link tallyBucket}. */
export function tallyRange(
  { from, to }: { from: number; to: number },
  bucketSeconds: number,
): [first: number, last: number] {
  const length = bucketSeconds * 1_000;
  return [Math.ceil(from / length), Math.ceil(to / length) - 1];
}

/**
 * @internal
 * MemoryStore's tallies ({@link TallyOp}), judged against the caller's clock. Synchronous, so
 * each call is atomic within MemoryStore's own step.
 */
export class MemoryTallies {
  private readonly tallies = new Map<string, Tally>();

  /** Applies the adds (`allowed`: the counters allowed, so adds without `always` count too) and returns the sums. */
  apply(ops: readonly TallyOp[], allowed: boolean, now: number): number[] {
    for (const op of ops) {
      if (op.add === undefined || !(allowed || op.add.always === true)) continue;
      this.add(op, op.add.at, op.add.count ?? 1, now);
    }
    return ops.map((op) => (allowed && op.sum !== undefined ? this.sum(op, now) : 0));
  }

  /** Drops what has ended. */
  sweep(now: number): void {
    for (const [key, tally] of this.tallies) if (now >= tally.expiresAt) this.tallies.delete(key);
  }

  private live(key: string, now: number): Tally | undefined {
    const tally = this.tallies.get(key);
    if (tally !== undefined && now >= tally.expiresAt) {
      this.tallies.delete(key);
      return undefined;
    }
    return tally;
  }

  private add(op: TallyOp, at: number, count: number, now: number): void {
    const bucket = tallyBucket(at, op.bucketSeconds);
    const length = op.bucketSeconds * 1_000;
    const keep = op.keepSeconds * 1_000;
    if ((bucket + 1) * length + keep <= now) return;
    let tally = this.live(op.key, now);
    if (tally === undefined) {
      tally = { counts: new Map(), expiresAt: 0 };
      this.tallies.set(op.key, tally);
    }
    const field = `${op.family}${bucket}`;
    tally.counts.set(field, (tally.counts.get(field) ?? 0) + count);
    tally.expiresAt = Math.max(tally.expiresAt, (bucket + 1) * length + keep);
    // Buckets past their keep are dropped once they pile up, so a busy tally stays small.
    if (tally.counts.size <= 2 * Math.ceil(keep / length) + 4) return;
    for (const name of [...tally.counts.keys()]) {
      const index = Number(name.replace(/^\D+/, ''));
      if ((index + 1) * length + keep <= now) tally.counts.delete(name);
    }
  }

  private sum(op: TallyOp, now: number): number {
    const tally = this.live(op.key, now);
    if (tally === undefined || op.sum === undefined) return 0;
    const [first, last] = tallyRange(op.sum, op.bucketSeconds);
    const length = op.bucketSeconds * 1_000;
    const keep = op.keepSeconds * 1_000;
    let total = 0;
    for (let bucket = first; bucket <= last; bucket += 1) {
      if ((bucket + 1) * length + keep <= now) continue;
      total += tally.counts.get(`${op.family}${bucket}`) ?? 0;
    }
    return total;
  }
}
