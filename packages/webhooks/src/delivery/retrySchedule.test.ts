import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  retryDelay,
} from './retrySchedule.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('retryDelay', () => {
  it('follows the spec example schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h', () => {
    const exact = { jitter: 0, random: () => 0.5, retryAfterMs: undefined };
    expect(
      DEFAULT_RETRY_SCHEDULE.map(
        (_, retry) => retryDelay(DEFAULT_RETRY_SCHEDULE, retry, exact) / 1_000,
      ),
    ).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400]);
  });

  it('spreads each delay by at most the jitter fraction either way', () => {
    const low = retryDelay([10_000], 0, { jitter: 0.2, random: () => 0, retryAfterMs: undefined });
    const high = retryDelay([10_000], 0, {
      jitter: 0.2,
      random: () => 0.999_999,
      retryAfterMs: undefined,
    });
    expect(low).toBe(8_000);
    expect(high).toBe(12_000);
  });

  it('waits at least as long as Retry-After asks, up to a day', () => {
    const options = { jitter: 0, random: () => 0.5 };
    expect(retryDelay([1_000], 0, { ...options, retryAfterMs: 120_000 })).toBe(120_000);
    expect(retryDelay([600_000], 0, { ...options, retryAfterMs: 120_000 })).toBe(600_000);
    expect(retryDelay([1_000], 0, { ...options, retryAfterMs: 10 * MAX_RETRY_AFTER_MS })).toBe(
      MAX_RETRY_AFTER_MS,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores anything else', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
  });
});
