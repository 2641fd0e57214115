import { describe, expect, it } from 'vitest';
import { bindingHash, canonicalJson } from './bindingHash.js';

const base = { userId: 'u1', checkpoint: 'billing_change' };

describe('bindingHash', () => {
  it('is the same for the same action whatever the key order', () => {
    expect(bindingHash({ ...base, fields: { amount: 100, payee: 'acme' } })).toBe(
      bindingHash({ ...base, fields: { payee: 'acme', amount: 100 } }),
    );
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }] })).toBe(
      '{"a":[{"y":2,"z":1}],"b":{"c":2,"d":1}}',
    );
  });

  it.each([
    ['another payload', { ...base, fields: { amount: 101, payee: 'acme' } }],
    ['another payee', { ...base, fields: { amount: 100, payee: 'mallory' } }],
    ['another user', { ...base, userId: 'u2', fields: { amount: 100, payee: 'acme' } }],
    [
      'another checkpoint',
      { ...base, checkpoint: 'data_export', fields: { amount: 100, payee: 'acme' } },
    ],
  ])('differs for %s', (_label, other) => {
    expect(bindingHash(other)).not.toBe(
      bindingHash({ ...base, fields: { amount: 100, payee: 'acme' } }),
    );
  });
});
