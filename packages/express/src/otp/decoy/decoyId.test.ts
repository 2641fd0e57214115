import { randomBytes } from 'node:crypto';
import { isVerificationId } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { decodeDecoyId, encodeDecoyId, idShard } from './decoyId.js';

const KEY = randomBytes(16);
const FACTS = { expiresAt: Date.UTC(2026, 10, 22, 12, 10), maxAttempts: 5 };

describe('decoy ids', () => {
  it('have the shape of a real verification id', () => {
    const id = encodeDecoyId(KEY, 'Ab3x', FACTS);
    expect(isVerificationId(id)).toBe(true);
    expect(idShard(id)).toBe('Ab3x');
  });

  it('read back their facts under the key they were sealed with', () => {
    expect(decodeDecoyId([KEY], encodeDecoyId(KEY, 'Ab3x', FACTS))).toEqual(FACTS);
  });

  it('read as real ids under any other key, and under a rotated list that still holds theirs', () => {
    const id = encodeDecoyId(KEY, 'Ab3x', FACTS);
    expect(decodeDecoyId([randomBytes(16)], id)).toBeUndefined();
    expect(decodeDecoyId([randomBytes(16), KEY], id)).toEqual(FACTS);
  });

  it('are all different, even for the same facts', () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => encodeDecoyId(KEY, 'Ab3x', FACTS)));
    expect(ids.size).toBe(1_000);
  });

  it('end in the same four characters a 128-bit random id can end in', () => {
    const last = new Set(
      Array.from({ length: 400 }, () => encodeDecoyId(KEY, 'Ab3x', FACTS).at(-1)),
    );
    expect([...last].every((char) => 'AQgw'.includes(char as string))).toBe(true);
  });

  it('refuse a second spelling of the same bytes and ids of another shape', () => {
    const id = encodeDecoyId(KEY, 'Ab3x', FACTS);
    const last = id.at(-1) as string;
    const respelled = `${id.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
    expect(decodeDecoyId([KEY], respelled)).toBeUndefined();
    expect(decodeDecoyId([KEY], `${id}A`)).toBeUndefined();
    expect(decodeDecoyId([KEY], 'vf_short')).toBeUndefined();
  });

  it('almost never take a real id for a decoy', () => {
    for (let i = 0; i < 10_000; i += 1) {
      expect(
        decodeDecoyId([KEY], `vf_Ab3x${randomBytes(16).toString('base64url')}`),
      ).toBeUndefined();
    }
  });
});
