import { describe, expect, it } from 'vitest';
import { Keyring, type SecretOption, safeEqual } from './keyring.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const OLD_KEY = 'the-old-secret-still-valid-for-checks-0001';
const NEW_KEY = 'the-new-secret-used-for-every-fresh-hash-02';
const VF = 'vf_AbCdEfGhIjKlMnOpQrStUvWxYz';

/** Builds a keyring from input a caller might pass by mistake, bypassing the static types. */
function keyringFrom(secret: unknown): Keyring {
  return new Keyring(secret as SecretOption | undefined);
}

describe('Keyring construction', () => {
  it('throws a TypeError that names the secret option when no secret is given', () => {
    expect(() => keyringFrom(undefined)).toThrow(TypeError);
    expect(() => keyringFrom(undefined)).toThrow(/requires a `secret`.*at least 32 bytes/);
    expect(() => keyringFrom(null)).toThrow(TypeError);
  });

  it('throws a TypeError for a 31-byte string and says how to generate a key', () => {
    expect(() => keyringFrom('x'.repeat(31))).toThrow(TypeError);
    expect(() => keyringFrom('x'.repeat(31))).toThrow(/at least 32 bytes.*randomBytes\(32\)/);
  });

  it('counts UTF-8 bytes, not characters, when checking the key length', () => {
    // 'é' is two bytes in UTF-8.
    expect(() => keyringFrom(`${'é'.repeat(15)}a`)).toThrow(TypeError);
    expect(keyringFrom('é'.repeat(16)).currentKeyId).toBe('k0');
  });

  it('accepts a 32-byte string and a 32-byte Uint8Array under the key id k0', () => {
    expect(new Keyring('x'.repeat(32)).currentKeyId).toBe('k0');
    expect(new Keyring(new Uint8Array(32).fill(7)).currentKeyId).toBe('k0');
    expect(() => keyringFrom(new Uint8Array(31))).toThrow(TypeError);
  });

  it('throws a TypeError for an empty array and for a value of the wrong type', () => {
    expect(() => keyringFrom([])).toThrow(TypeError);
    expect(() => keyringFrom([])).toThrow(/non-empty array of \{ id, key \}/);
    expect(() => keyringFrom(42)).toThrow(/must be a string, a Uint8Array, or a non-empty array/);
    expect(() => keyringFrom({ id: 'k1', key: SECRET })).toThrow(TypeError);
  });

  it('throws a TypeError naming the entry when a key id is missing or malformed', () => {
    expect(() => keyringFrom([{ id: 'has space', key: SECRET }])).toThrow(TypeError);
    expect(() => keyringFrom([{ id: 'has space', key: SECRET }])).toThrow(
      /secret\[0\]\.id must match/,
    );
    expect(() =>
      keyringFrom([
        { id: 'ok', key: SECRET },
        { id: '', key: SECRET },
      ]),
    ).toThrow(/secret\[1\]\.id/);
    expect(() => keyringFrom([{ id: 'k.1', key: SECRET }])).toThrow(TypeError);
    expect(() => keyringFrom([{ id: 'x'.repeat(33), key: SECRET }])).toThrow(TypeError);
    expect(() => keyringFrom([{ key: SECRET }])).toThrow(TypeError);
    expect(() => keyringFrom(['not-an-entry'])).toThrow(TypeError);
  });

  it('throws a TypeError when two keys share an id', () => {
    const twice = [
      { id: '2026-11', key: NEW_KEY },
      { id: '2026-11', key: OLD_KEY },
    ];
    expect(() => keyringFrom(twice)).toThrow(TypeError);
    expect(() => keyringFrom(twice)).toThrow("secret key id '2026-11' is used twice");
  });

  it('throws a TypeError naming the key id when a rotated key is too short', () => {
    expect(() => keyringFrom([{ id: 'short', key: 'too-short' }])).toThrow(
      /secret 'short' must be at least 32 bytes/,
    );
    expect(() => keyringFrom([{ id: 'nokey' }])).toThrow(/secret 'nokey'/);
  });

  it('uses the first key of a list as the current key', () => {
    const ring = new Keyring([
      { id: 'new', key: NEW_KEY },
      { id: 'old', key: OLD_KEY },
    ]);
    expect(ring.currentKeyId).toBe('new');
  });
});

describe('Keyring.hashCode', () => {
  const ring = new Keyring(SECRET);

  it('returns the key id, a dot and a base64url SHA-256 HMAC truncated to 132 bits', () => {
    expect(ring.hashCode(VF, '123456')).toMatch(/^k0\.[A-Za-z0-9_-]{22}$/);
  });

  it('never contains the code itself', () => {
    for (const code of ['123456', '000000', '9876543210']) {
      expect(ring.hashCode(VF, code)).not.toContain(code);
    }
  });

  it('is stable for the same key, verification and code, and differs for another code', () => {
    expect(ring.hashCode(VF, '123456')).toBe(new Keyring(SECRET).hashCode(VF, '123456'));
    expect(ring.hashCode(VF, '123456')).not.toBe(ring.hashCode(VF, '123457'));
  });

  it('binds the hash to the verification id', () => {
    const other = 'vf_ZyXwVuTsRqPoNmLkJiHgFeDcBa';
    expect(ring.hashCode(VF, '123456')).not.toBe(ring.hashCode(other, '123456'));
  });

  it('does not let the separator shift digits between the id and the code', () => {
    expect(ring.hashCode('vf_a1', '23456')).not.toBe(ring.hashCode('vf_a', '123456'));
  });

  it('depends on the secret', () => {
    expect(new Keyring(NEW_KEY).hashCode(VF, '123456')).not.toBe(
      new Keyring(OLD_KEY).hashCode(VF, '123456'),
    );
  });
});

describe('Keyring.codeCandidates', () => {
  const rotated = new Keyring([
    { id: 'new', key: NEW_KEY },
    { id: 'old', key: OLD_KEY },
  ]);

  it('returns one candidate per key, the first equal to hashCode under the current key', () => {
    const candidates = rotated.codeCandidates(VF, '123456');
    expect(candidates).toHaveLength(2);
    expect(candidates[0]).toBe(rotated.hashCode(VF, '123456'));
    expect(candidates[0]?.startsWith('new.')).toBe(true);
    expect(candidates[1]?.startsWith('old.')).toBe(true);
  });

  it('includes a hash made before rotation with the old key', () => {
    const before = new Keyring([{ id: 'old', key: OLD_KEY }]).hashCode(VF, '123456');
    expect(rotated.codeCandidates(VF, '123456')).toContain(before);
    expect(rotated.codeCandidates(VF, '654321')).not.toContain(before);
  });

  it('returns a single candidate for a single secret', () => {
    const ring = new Keyring(SECRET);
    expect(ring.codeCandidates(VF, '123456')).toEqual([ring.hashCode(VF, '123456')]);
  });
});

describe('Keyring.destinationHash', () => {
  it('is stable for one secret and 22 base64url characters long', () => {
    const hash = new Keyring(SECRET).destinationHash('+14155550100');
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Keyring(SECRET).destinationHash('+14155550100')).toBe(hash);
  });

  it('differs for another destination and for another secret', () => {
    const ring = new Keyring(SECRET);
    expect(ring.destinationHash('+14155550100')).not.toBe(ring.destinationHash('+14155550101'));
    expect(new Keyring(NEW_KEY).destinationHash('+14155550100')).not.toBe(
      ring.destinationHash('+14155550100'),
    );
  });

  it('does not contain the destination', () => {
    expect(new Keyring(SECRET).destinationHash('jane@example.com')).not.toContain('jane');
  });

  it('is made with the current key of a rotated ring', () => {
    const rotated = new Keyring([
      { id: 'new', key: NEW_KEY },
      { id: 'old', key: OLD_KEY },
    ]);
    expect(rotated.destinationHash('+14155550100')).toBe(
      new Keyring(NEW_KEY).destinationHash('+14155550100'),
    );
  });
});

describe('safeEqual', () => {
  it('returns true for equal strings, including empty ones', () => {
    expect(safeEqual('k0.abc', 'k0.abc')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
  });

  it('returns false for different strings of the same length', () => {
    expect(safeEqual('k0.abc', 'k0.abd')).toBe(false);
  });

  it('returns false for strings of different lengths without throwing', () => {
    expect(safeEqual('k0.abc', 'k0.abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });

  it('compares bytes, so different characters with equal UTF-8 lengths are unequal', () => {
    expect(safeEqual('é', 'ab')).toBe(false);
  });
});
