import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/MemoryStore.js';
import {
  countRules,
  judgedSeries,
  ladderLimits,
  levelReached,
  probeRules,
} from './conversionLadder.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('conversion ladder', () => {
  it('judges with the series whose window is at least half a window old', () => {
    expect(judgedSeries(T, 3_600)).toEqual({
      series: 1,
      window: Math.floor((T - HOUR / 2) / HOUR),
    });
    expect(judgedSeries(T + HOUR / 2, 3_600)).toEqual({ series: 0, window: T / HOUR });
    expect(judgedSeries(T + HOUR / 2 - 1, 3_600).series).toBe(1);
  });

  it('steps volume by doubling and asks a share of each step in approvals (at least one)', () => {
    expect(ladderLimits(10, 20, 3)).toEqual({ sends: [10, 20, 40], approvals: [2, 4, 8] });
    expect(ladderLimits(3, 10, 2)).toEqual({ sends: [3, 6], approvals: [1, 1] });
  });

  it('reads back the highest level a count has reached in one Store call', async () => {
    const store = new MemoryStore();
    const shape = { windowSeconds: 3_600, levels: 4 };
    const limits = [5, 10, 20, 40];
    const read = async (now: number) =>
      levelReached(await store.hitCounters(probeRules('s', 'scope', now, limits, shape), now));
    const expected = (count: number) => limits.filter((limit) => count >= limit).length;
    let now = T;
    for (let count = 1; count <= 45; count += 1) {
      await store.hitCounters(countRules('s', 'scope', now, shape), now);
      now += 20_000;
      expect(await read(now)).toBe(expected(count));
    }
  });
});
