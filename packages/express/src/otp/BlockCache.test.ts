import { describe, expect, it } from 'vitest';
import { BlockCache } from './BlockCache.js';

describe('BlockCache', () => {
  it('reports the seconds left on a block, rounded up, until it ends', () => {
    const cache = new BlockCache();
    cache.block('k', 10_500, 0);
    expect(cache.retryAfter('k', 0)).toBe(11);
    expect(cache.retryAfter('k', 10_000)).toBe(1);
    expect(cache.retryAfter('k', 10_500)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('knows nothing of keys it was not told about', () => {
    expect(new BlockCache().retryAfter('other', 0)).toBeUndefined();
  });

  it('stays within its capacity, dropping ended blocks first, then the oldest', () => {
    const cache = new BlockCache(3);
    cache.block('ended', 5, 0);
    cache.block('a', 100, 0);
    cache.block('b', 100, 0);
    cache.block('c', 100, 10);
    expect(cache.size).toBe(3);
    expect(cache.retryAfter('a', 10)).toBe(1);
    cache.block('d', 100, 10);
    expect(cache.size).toBe(3);
    expect(cache.retryAfter('a', 10)).toBeUndefined();
    expect(cache.retryAfter('d', 10)).toBe(1);
  });
});
