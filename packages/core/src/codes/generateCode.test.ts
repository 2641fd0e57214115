import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCode, type RandomInt } from './generateCode.js';

/**
 * Upper 1e-6 quantile of the chi-square distribution with 9 degrees of freedom (10 digit classes).
 * scipy.stats.chi2.isf(1e-6, 9) = 44.8109…; the test below re-derives the tail probability by
 * integrating the density, so the constant cannot silently drift. Seven statistics are tested per
 * run (six positions and the pooled digits), so a correct generator fails about once in 140,000 runs.
 */
const CRITICAL_DF9_P1E6 = 44.81;
const SAMPLE = 100_000;
const LENGTH = 6;

function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

/** Chi-square statistics of digit frequencies, per position and over all digits. */
function digitStatistics(codes: readonly string[]): { perPosition: number[]; overall: number } {
  const perPosition = Array.from({ length: LENGTH }, () => new Array<number>(10).fill(0));
  const overall = new Array<number>(10).fill(0);
  for (const code of codes) {
    for (let position = 0; position < LENGTH; position += 1) {
      const digit = code.charCodeAt(position) - 48;
      (perPosition[position] as number[])[digit] =
        ((perPosition[position] as number[])[digit] ?? 0) + 1;
      overall[digit] = (overall[digit] ?? 0) + 1;
    }
  }
  return {
    perPosition: perPosition.map((counts) => chiSquare(counts, codes.length / 10)),
    overall: chiSquare(overall, (codes.length * LENGTH) / 10),
  };
}

function isUniform(codes: readonly string[]): boolean {
  const { perPosition, overall } = digitStatistics(codes);
  return (
    perPosition.every((statistic) => statistic < CRITICAL_DF9_P1E6) && overall < CRITICAL_DF9_P1E6
  );
}

function draw(count: number, make: () => string): string[] {
  return Array.from({ length: count }, make);
}

/** P(X > x) for chi-square with 9 degrees of freedom, by Simpson's rule on the density. */
function chiSquareTailDf9(x: number): number {
  const gamma45 = 3.5 * 2.5 * 1.5 * 0.5 * Math.sqrt(Math.PI);
  const density = (t: number) => (t ** 3.5 * Math.exp(-t / 2)) / (2 ** 4.5 * gamma45);
  const upper = x + 400;
  const steps = 200_000;
  const h = (upper - x) / steps;
  let sum = density(x) + density(upper);
  for (let i = 1; i < steps; i += 1) sum += (i % 2 === 1 ? 4 : 2) * density(x + i * h);
  return (sum * h) / 3;
}

describe('generateCode', () => {
  it.each([4, 5, 6, 7, 8, 9, 10])('returns a string of exactly %i digits', (length) => {
    for (let i = 0; i < 200; i += 1) {
      const code = generateCode(length);
      expect(typeof code).toBe('string');
      expect(code).toMatch(new RegExp(`^\\d{${length}}$`));
    }
  });

  it('keeps leading zeros when the random integer is small', () => {
    const fortyTwo: RandomInt = () => 42;
    expect(generateCode(6, fortyTwo)).toBe('000042');
    expect(generateCode(10, () => 0)).toBe('0000000000');
  });

  it('draws one integer below 10 to the power of the length', () => {
    const seen: number[] = [];
    const record: RandomInt = (max) => {
      seen.push(max);
      return max - 1;
    };
    expect(generateCode(6, record)).toBe('999999');
    expect(generateCode(10, record)).toBe('9999999999');
    expect(seen).toEqual([1_000_000, 10_000_000_000]);
  });

  it.each([3, 11, 6.5, 0, -6, Number.NaN, Number.POSITIVE_INFINITY])(
    'throws a RangeError for length %s',
    (length) => {
      expect(() => generateCode(length)).toThrow(RangeError);
      expect(() => generateCode(length)).toThrow(/integer from 4 to 10/);
    },
  );
});

describe('generateCode uniformity (chi-square, 9 degrees of freedom, p = 1e-6)', () => {
  it('uses a critical value whose upper tail probability is 1e-6', () => {
    const tail = chiSquareTailDf9(CRITICAL_DF9_P1E6);
    expect(tail).toBeGreaterThan(0.99e-6);
    expect(tail).toBeLessThan(1.01e-6);
  });

  it('finds the digits of 100,000 CSPRNG codes uniform at every position and overall', () => {
    const codes = draw(SAMPLE, () => generateCode(LENGTH));
    const { perPosition, overall } = digitStatistics(codes);
    expect(perPosition).toHaveLength(LENGTH);
    for (const statistic of perPosition) expect(statistic).toBeLessThan(CRITICAL_DF9_P1E6);
    expect(overall).toBeLessThan(CRITICAL_DF9_P1E6);
  });

  it('starts about one code in ten with a zero', () => {
    const codes = draw(SAMPLE, () => generateCode(LENGTH));
    const share = codes.filter((code) => code.startsWith('0')).length / SAMPLE;
    // The standard deviation of the share is 0.00095; ±0.005 is more than five of them.
    expect(share).toBeGreaterThan(0.095);
    expect(share).toBeLessThan(0.105);
  });

  it('rejects a generator that reduces a random integer modulo 900,000', () => {
    const biased = () => String(Math.floor(Math.random() * 1e6) % 900_000).padStart(LENGTH, '0');
    const codes = draw(SAMPLE, biased);
    const { perPosition, overall } = digitStatistics(codes);
    // The first digit is never 9 and twice as often 0: the statistic is in the tens of thousands.
    expect(perPosition[0]).toBeGreaterThan(CRITICAL_DF9_P1E6);
    expect(overall).toBeGreaterThan(CRITICAL_DF9_P1E6);
    expect(isUniform(codes)).toBe(false);
  });

  it('rejects a generator that takes each digit as a random byte modulo 10', () => {
    // Bytes 0–255 modulo 10 favour 0–5 (26/256) over 6–9 (25/256): a 1.6% bias that the pooled
    // 600,000 digits expose (expected statistic about 230, against 44.81).
    const bytes = randomBytes(SAMPLE * LENGTH);
    const codes = draw(
      SAMPLE,
      (() => {
        let offset = 0;
        return () => {
          let code = '';
          for (let i = 0; i < LENGTH; i += 1) code += String((bytes[offset++] ?? 0) % 10);
          return code;
        };
      })(),
    );
    expect(digitStatistics(codes).overall).toBeGreaterThan(CRITICAL_DF9_P1E6);
    expect(isUniform(codes)).toBe(false);
  });
});
