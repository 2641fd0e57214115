/** One measured run: how many operations per second, and latency percentiles in milliseconds. */
export interface Measurement {
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** @internal Per-operation latencies, for combining rounds; not written out. */
  latencies?: Float64Array;
  seconds?: number;
}

/** Several rounds of one operation as one measurement: total ops over total time, pooled percentiles. */
export function combine(rounds: readonly Measurement[]): Measurement {
  const ops = rounds.reduce((sum, round) => sum + round.ops, 0);
  const seconds = rounds.reduce((sum, round) => sum + (round.seconds ?? 0), 0);
  const all = rounds.flatMap((round) => [...(round.latencies ?? [])]).sort((a, b) => a - b);
  const at = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? 0;
  return { ops, opsPerSecond: ops / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Runs `operation(i)` `total` times with `concurrency` in flight and measures throughput and
 * per-operation latency. Bounded: it stops after `total` operations.
 */
export async function measure(
  total: number,
  concurrency: number,
  operation: (index: number) => Promise<unknown>,
): Promise<Measurement> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    for (let index = next++; index < total; index = next++) {
      const begin = process.hrtime.bigint();
      await operation(index);
      latencies[index] = Number(process.hrtime.bigint() - begin) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    ops: total,
    opsPerSecond: total / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    latencies,
    seconds,
  };
}
