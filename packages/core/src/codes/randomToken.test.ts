import { describe, expect, it } from 'vitest';
import { randomToken } from './randomToken.js';

describe('randomToken', () => {
  it('gives 128-bit base64url tokens that never repeat, across refills of its pool', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) tokens.add(randomToken(16)); // 160 KB: forty refills
    expect(tokens.size).toBe(10_000);
    for (const token of [...tokens].slice(0, 100)) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('spreads its bits evenly (each byte value about equally often)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_000; i += 1) {
      for (const byte of Buffer.from(randomToken(16), 'base64url'))
        counts[byte] = (counts[byte] ?? 0) + 1;
    }
    // 64,000 bytes over 256 values: 250 expected each; a stuck or zeroed pool would be far off.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(360);
  });
});
