import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { type CborValue, encodeCbor } from './cbor.js';

const hex = (value: CborValue) => Buffer.from(encodeCbor(value)).toString('hex');

describe('encodeCbor', () => {
  // RFC 8949 Appendix A.
  it.each<[CborValue, string]>([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [100, '1864'],
    [1000, '1903e8'],
    [1_000_000, '1a000f4240'],
    [1_000_000_000_000, '1b000000e8d4a51000'],
    [-1, '20'],
    [-1000, '3903e7'],
    ['', '60'],
    ['a', '6161'],
    ['ü', '62c3bc'],
    [Uint8Array.of(1, 2, 3, 4), '4401020304'],
    [[1, 2, 3], '83010203'],
    [
      new Map<CborValue, CborValue>([
        [1, 2],
        [3, 4],
      ]),
      'a201020304',
    ],
    [{ a: 1, b: [2, 3] }, 'a26161016162820203'],
  ])('encodes %o as the RFC 8949 example %s', (value, expected) => {
    expect(hex(value)).toBe(expected);
  });

  it('refuses a number that is not a safe integer', () => {
    expect(() => encodeCbor(1.5)).toThrow(TypeError);
  });

  it('writes an attestation object the library decodes', () => {
    const authData = new Uint8Array(300).fill(9);
    const decoded = decodeAttestationObject(encodeCbor({ fmt: 'none', attStmt: {}, authData }));
    expect(decoded.get('fmt')).toBe('none');
    expect(decoded.get('attStmt').size).toBe(0);
    expect(decoded.get('authData')).toEqual(authData);
  });
});
