// `pnpm bench` section: the pumping simulation, on MemoryStore and on RedisStore, with its figures.
import { RedisStore } from '@checkpoint/redis';
import { deleteByPrefix } from '@checkpoint/redis/testing';
import type { Cluster, Redis } from 'ioredis';
import { type PumpingFigures, runPumpingSimulation } from './simulation.js';

/** Options of {@link benchPumping}. */
export interface PumpingBenchOptions {
  /** A client without `keyPrefix`; when given, the simulation runs on RedisStore too. */
  redis?: Redis | Cluster;
  /** Key prefix for the RedisStore run (its keys are deleted afterwards). @default 'cp-bench-pumping:' */
  prefix?: string;
  /** @default 20261122 */
  seed?: number;
}

/** The figures of each run, by store. */
export interface PumpingBenchResult {
  memory: PumpingFigures;
  redis?: PumpingFigures;
}

/**
 * Runs the pumping simulation (4,000 attack sends, 2,000 legitimate sign-ups, 6 simulated hours,
 * fixed seed) on a MemoryStore and, when a Redis client is given, on a RedisStore under `prefix`.
 *
 * @example
 * const pumping = await benchPumping({ redis, prefix: testPrefix('bench-pumping') });
 * results.pumping = pumping;
 * for (const line of pumpingTable(pumping)) log(line);
 */
export async function benchPumping(options: PumpingBenchOptions = {}): Promise<PumpingBenchResult> {
  const { redis, prefix = 'cp-bench-pumping:', seed = 20_261_122 } = options;
  const memory = await runPumpingSimulation({ seed });
  if (redis === undefined) return { memory };
  try {
    const store = new RedisStore({ redis, prefix });
    return { memory, redis: await runPumpingSimulation({ seed, store }) };
  } finally {
    await deleteByPrefix(redis, prefix);
  }
}

/** Lines for the console and the README: attack and legitimate sends blocked, per store. */
export function pumpingTable(result: PumpingBenchResult): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
  const rows = Object.entries(result)
    .filter((entry): entry is [string, PumpingFigures] => entry[1] !== undefined)
    .map(
      ([store, figures]) =>
        `| ${store} | ${figures.seed} | ${figures.attack.blocked} / ${figures.attack.sends} (${percent(figures.attack.blockedShare)}) | ${figures.legit.blocked} / ${figures.legit.sends} (${percent(figures.legit.blockedShare)}) | ${figures.throttles} |`,
    );
  const first = result.memory;
  const kinds = Object.entries(first.attack.byKind)
    .map(([kind, { sends, blocked }]) => `${kind} ${blocked}/${sends}`)
    .join(', ');
  return [
    `Pumping simulation (${first.hours} simulated hours; targets: >= 95 % of attack sends blocked, <= 1 % of legitimate sends blocked)`,
    '| store | seed | attack sends blocked | legitimate sends blocked | throttles |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    `attack by kind (memory): ${kinds}`,
    `attack refusals (memory): ${JSON.stringify(first.attack.byReason)}`,
  ];
}
