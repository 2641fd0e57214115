// The pumping simulation as a test: a scripted attack mixed with legitimate sign-ups, fixed seeds.
import { describe, expect, it } from 'vitest';
import { runPumpingSimulation } from '../bench/pumping/simulation.js';

describe('pumping simulation on MemoryStore', () => {
  it.each([20_261_122, 7])(
    'blocks at least 95 percent of the attack and at most 1 percent of legitimate sends (seed %i)',
    async (seed) => {
      const figures = await runPumpingSimulation({ seed });
      expect(figures.attack.sends).toBe(4_000);
      expect(figures.legit.sends).toBeGreaterThanOrEqual(2_000);
      expect(figures.attack.blockedShare).toBeGreaterThanOrEqual(0.95);
      expect(figures.legit.blockedShare).toBeLessThanOrEqual(0.01);
      // Every premium-rate send is refused before a message; the walked blocks and sprayed
      // countries are throttled for their conversion.
      expect(figures.attack.byKind.premium.blocked).toBe(figures.attack.byKind.premium.sends);
      expect(Object.keys(figures.attack.byReason).sort()).toEqual([
        'pumping:conversion:country',
        'pumping:conversion:prefix',
        'pumping:line_type:premium_rate',
      ]);
      expect(figures.legit.approved / figures.legit.users).toBeGreaterThan(0.8);
    },
  );

  it('gives the same figures for the same seed', async () => {
    const options = { seed: 3, legitUsers: 300, attackSends: 600, hours: 2 };
    expect(await runPumpingSimulation(options)).toEqual(await runPumpingSimulation(options));
  });
});
