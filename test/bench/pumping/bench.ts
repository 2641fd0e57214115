// `pnpm bench` section: the pumping simulation on the default guards, in each shape of traffic and
// several seeds on MemoryStore, and once on RedisStore, with its figures.
import { RedisStore } from '@checkpoint/redis';
import { deleteByPrefix } from '@checkpoint/redis/testing';
import type { Cluster, Redis } from 'ioredis';
import { type PumpingFigures, runPumpingSimulation, type SimulationVariant } from './simulation.js';

/** Options of {@link benchPumping}. */
export interface PumpingBenchOptions {
  /** A client without `keyPrefix`; when given, the baseline runs on RedisStore too. */
  redis?: Redis | Cluster;
  /** Key prefix for the RedisStore run (its keys are deleted afterwards). @default 'cp-bench-pumping:' */
  prefix?: string;
  /** @default [20261122, 7, 3] */
  seeds?: readonly number[];
}

/** One run of the simulation, and where it ran. */
export interface PumpingRun {
  store: 'memory' | 'redis';
  figures: PumpingFigures;
}

const VARIANTS: readonly SimulationVariant[] = ['baseline', 'compressed', 'gb'];

/**
 * Runs the pumping simulation (4,000 attack sends, 2,000 legitimate sign-ups, 6 simulated hours)
 * in every variant and seed on a MemoryStore and, when a Redis client is given, the baseline of
 * the first seed on a RedisStore under `prefix`.
 *
 * @example
 * const pumping = await benchPumping({ redis, prefix: testPrefix('bench-pumping') });
 * for (const line of pumpingTable(pumping)) log(line);
 */
export async function benchPumping(options: PumpingBenchOptions = {}): Promise<PumpingRun[]> {
  const { redis, prefix = 'cp-bench-pumping:', seeds = [20_261_122, 7, 3] } = options;
  const runs: PumpingRun[] = [];
  for (const variant of VARIANTS)
    for (const seed of seeds)
      runs.push({ store: 'memory', figures: await runPumpingSimulation({ seed, variant }) });
  if (redis === undefined) return runs;
  try {
    const store = new RedisStore({ redis, prefix });
    runs.push({
      store: 'redis',
      figures: await runPumpingSimulation({ seed: seeds[0] ?? 20_261_122, store }),
    });
  } finally {
    await deleteByPrefix(redis, prefix);
  }
  return runs;
}

/** Lines for the console and the README: attack and legitimate sends blocked, per run. */
export function pumpingTable(runs: readonly PumpingRun[]): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
  const met = ({ attack, legit }: PumpingFigures) =>
    attack.blockedShare > 0.95 && legit.blockedShare < 0.01 ? 'met' : 'MISSED';
  const rows = runs.map(({ store, figures }) => {
    const { attack, legit, throttles } = figures;
    return `| ${figures.variant} | ${store} | ${figures.seed} | ${attack.blocked} / ${attack.sends} (${percent(attack.blockedShare)}) | ${legit.blocked} / ${legit.sends} (${percent(legit.blockedShare)}) | ${throttles.prefix} / ${throttles.network} / ${throttles.country} | ${met(figures)} |`;
  });
  const first = runs[0]?.figures;
  const kinds =
    first === undefined
      ? ''
      : Object.entries(first.attack.byKind)
          .map(([kind, { sends, blocked }]) => `${kind} ${blocked}/${sends}`)
          .join(', ');
  return [
    'Pumping simulation, default guards (targets: > 95 % of attack sends blocked, < 1 % of legitimate sends blocked)',
    '| traffic | store | seed | attack sends blocked | legitimate sends blocked | closed prefix / network / country | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `attack by kind (first run): ${kinds}`,
    `attack refusals (first run): ${JSON.stringify(first?.attack.byReason ?? {})}`,
  ];
}
