// The pumping simulation as a test: scripted attacks mixed with legitimate sign-ups, on a
// checkpoint with its default guards (no `guards` option), in three shapes of traffic and several
// fixed seeds.
import { describe, expect, it } from 'vitest';
import { runPumpingSimulation, type SimulationVariant } from '../bench/pumping/simulation.js';

const SEEDS = [20_261_122, 7, 3];

describe('pumping simulation on MemoryStore, default guards', () => {
  describe.each<SimulationVariant>(['baseline', 'compressed', 'gb'])('%s traffic', (variant) => {
    it.each(SEEDS)(
      'blocks more than 95 percent of the attack and less than 1 percent of legitimate sends (seed %i)',
      async (seed) => {
        const figures = await runPumpingSimulation({ seed, variant });
        expect(figures.attack.sends).toBeGreaterThanOrEqual(3_990);
        expect(figures.legit.sends).toBeGreaterThanOrEqual(2_000);
        expect(figures.attack.blockedShare).toBeGreaterThan(0.95);
        expect(figures.legit.blockedShare).toBeLessThan(0.01);
        // Every premium-rate send is refused before a message, and each kind of attack mostly.
        expect(figures.attack.byKind.premium.blocked).toBe(figures.attack.byKind.premium.sends);
        for (const { sends, blocked } of Object.values(figures.attack.byKind))
          expect(blocked / sends).toBeGreaterThan(0.85);
        expect(figures.legit.approved / figures.legit.users).toBeGreaterThan(0.8);
      },
    );
  });

  it('stops the attack by conversion when it comes over hours, and by bursts when it comes at once', async () => {
    const hours = await runPumpingSimulation({ seed: 7, variant: 'baseline' });
    expect(hours.attack.byReason['pumping:conversion:network']).toBeGreaterThan(300);
    expect(hours.attack.byReason['pumping:conversion:prefix']).toBeGreaterThan(300);
    expect(hours.throttles.prefix + hours.throttles.network).toBeGreaterThan(10);
    const minute = await runPumpingSimulation({ seed: 7, variant: 'compressed' });
    expect(minute.attack.byReason['pumping:network_burst']).toBeGreaterThan(1_000);
    expect(minute.throttles).toEqual({ prefix: 0, network: 0, country: 0 });
  });

  it('gives the same figures for the same seed', async () => {
    const options = { seed: 3, legitUsers: 300, attackSends: 600, hours: 2 };
    expect(await runPumpingSimulation(options)).toEqual(await runPumpingSimulation(options));
  });
});
