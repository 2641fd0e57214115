import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, RETRY_BASE_MS, RETRY_CAP_MS } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt', () => {
    const almostOne = () => 0.999_999;
    expect(backoffDelay(0, almostOne)).toBe(RETRY_BASE_MS - 1);
    expect(backoffDelay(1, almostOne)).toBe(RETRY_BASE_MS * 2 - 1);
    expect(backoffDelay(2, almostOne)).toBe(RETRY_BASE_MS * 4 - 1);
  });

  it('never waits longer than the cap', () => {
    expect(backoffDelay(30, () => 0.999_999)).toBeLessThan(RETRY_CAP_MS);
  });

  it('spreads retries with jitter, down to no wait at all', () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(RETRY_BASE_MS * 4);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('Sun, 22 Nov 2026 12:00:00 GMT');
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});
