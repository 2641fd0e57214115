import type { TallyOp } from './Store.js';

interface Tally {
  /** Counts by `<family><bucket index>`. */
  counts: Map<string, number>;
  /** The newest bucket added to: the tally is forgotten once it leaves the window. */
  newest: number;
}

/**
 * @internal
 * The judged range of a tally at `now` ({@link TallyOp}): bucket indexes `[first, last]`, the
 * buckets that started at or after `now - windowSeconds` and ended at or before
 * `now - graceSeconds`. RedisStore's Lua keeps running sums of the same range.
 */
export function judgedBuckets(
  op: Pick<TallyOp, 'bucketSeconds' | 'windowSeconds' | 'graceSeconds'>,
  now: number,
): [first: number, last: number] {
  const length = op.bucketSeconds * 1_000;
  return [
    Math.ceil((now - op.windowSeconds * 1_000) / length),
    Math.floor((now - op.graceSeconds * 1_000) / length) - 1,
  ];
}

/**
 * @internal
 * MemoryStore's tallies ({@link TallyOp}), judged against the caller's clock: the judged sum is
 * added up on each read (a few dozen map lookups). Synchronous, so each call is atomic within
 * MemoryStore's own step.
 */
export class MemoryTallies {
  private readonly tallies = new Map<string, Tally>();

  /** Applies the adds (`allowed`: the counters allowed, so adds without `always` count too) and returns the sums. */
  apply(ops: readonly TallyOp[], allowed: boolean, now: number): number[] {
    for (const op of ops) {
      if (op.add === undefined || !(allowed || op.add.always === true)) continue;
      this.add(op, op.add.at, op.add.count ?? 1, now);
    }
    return ops.map((op) => (allowed && op.judged === true ? this.sum(op, now) : 0));
  }

  /** Drops what has left every window. */
  sweep(now: number): void {
    for (const [key, tally] of this.tallies) if (now >= tally.newest) this.tallies.delete(key);
  }

  private add(op: TallyOp, at: number, count: number, now: number): void {
    const length = op.bucketSeconds * 1_000;
    const bucket = Math.floor(at / length);
    const [first] = judgedBuckets(op, now);
    if (bucket < first) return;
    let tally = this.tallies.get(op.key);
    if (tally !== undefined && now >= tally.newest) {
      this.tallies.delete(op.key);
      tally = undefined;
    }
    if (tally === undefined) {
      tally = { counts: new Map(), newest: 0 };
      this.tallies.set(op.key, tally);
    }
    const field = `${op.family}${bucket}`;
    tally.counts.set(field, (tally.counts.get(field) ?? 0) + count);
    // Forgotten once this bucket left the window: it starts more than a window before now.
    tally.newest = Math.max(tally.newest, bucket * length + op.windowSeconds * 1_000 + 1);
    // Buckets that left the window are dropped once they pile up, so a busy tally stays small.
    if (tally.counts.size > 4 * Math.ceil(op.windowSeconds / op.bucketSeconds) + 8) {
      for (const name of [...tally.counts.keys()]) {
        if (Number(name.replace(/^\D+/, '')) < first) tally.counts.delete(name);
      }
    }
  }

  private sum(op: TallyOp, now: number): number {
    const tally = this.tallies.get(op.key);
    if (tally === undefined || now >= tally.newest) return 0;
    const [first, last] = judgedBuckets(op, now);
    let total = 0;
    for (let bucket = first; bucket <= last; bucket += 1)
      total += tally.counts.get(`${op.family}${bucket}`) ?? 0;
    return total;
  }
}
